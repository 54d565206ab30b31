/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Extracted copies of other builds in an extraction directory, removed once unused for a day and
 * when no JVM can be loading one. A JVM holds a shared lock on the directory's {@value #LOCK} file
 * from before it checks its copy (or writes one over it) until {@code System.load} returned
 * ({@link #lockShared}, {@link #release}); once loaded, it marks its copy used (its modification
 * time, at most hourly), takes that lock exclusively without waiting, and removes every other
 * {@code libmmap4j-<hash>} copy no JVM marked for {@value #IDLE_HOURS} hours with its
 * {@link VerifiedCopy} record, every record whose copy is gone, and every {@code .extract-*.tmp}
 * older than {@value #LEFTOVER_HOURS} hour ({@link #remove}). A JVM that finds no copy at all (a
 * first extraction) writes and loads one without the lock and tidies nothing: no cleaner takes a
 * copy written within the day or a temporary file written within the hour. Copies in use by
 * other versions, or by JVMs of another platform sharing the directory (an arm64 JVM under
 * emulation, a musl JVM in a container), stay. A copy that a running JVM loaded may go: the JVM keeps its mapping, only the
 * file's name goes. When the lock is busy or locks are not supported there, nothing is removed
 * (the next JVM tries again).
 *
 * <p>A JVM whose copy is vouched for by its {@link VerifiedCopy} record and was marked within the
 * hour ({@link #MARK_EVERY}) takes no lock and tidies nothing: it writes no file a cleaner could
 * take for a leftover, and no cleaner takes a copy marked within the last day. So the directory is
 * tidied by the JVMs that check a copy (the one after a first extraction does) or write one over a
 * copy that failed its check, and by one JVM an hour per copy in use (the one that marks it): an
 * idle copy goes within about an hour of its day running out.
 *
 * <p>Names are matched by hand, not by regular expressions: compiling them cost a fresh JVM's
 * first map about a millisecond.
 */
final class OldCopies {

    /** The lock file's name in the extraction directory. */
    static final String LOCK = ".lock";

    /** How long a copy no JVM loaded stays. */
    static final int IDLE_HOURS = 24;

    /**
     * How old, in hours, a temporary file must be to be a leftover (of a JVM that died before
     * renaming it): a first extraction writes and renames one without the lock, within milliseconds.
     */
    static final int LEFTOVER_HOURS = 1;

    /**
     * How often a JVM marks its copy used (ms): a JVM whose recorded copy was marked more recently
     * loads it without the lock (no cleaner takes a copy marked within {@value #IDLE_HOURS} hours).
     * A constant, so that {@code NativeLibrary} compares with it without loading this class.
     */
    static final long MARK_EVERY = 3_600_000L;

    private static final long HOUR = MARK_EVERY;
    private static final String COPY_PREFIX = "libmmap4j-";
    private static final int HASH_DIGITS = 16;

    private OldCopies() {
    }

    /**
     * Opens {@code directory}'s {@value #LOCK} (the directory is the user's own, checked by
     * {@link ExtractionDirectory}) and takes it shared, for the time a copy is checked, written and
     * loaded.
     *
     * @return the channel holding the lock, for {@link #release}; null when there is no lock file,
     *     and a channel without the lock when locking is not supported there or this JVM holds it
     *     through another class loader (loading goes on without it).
     */
    static FileChannel lockShared(Path directory) {
        FileChannel channel = open(directory);
        if (channel != null) {
            try {
                channel.lock(0, Long.MAX_VALUE, true);
            } catch (IOException | OverlappingFileLockException e) {
                // Loading goes on without it; remove() finds the lock busy or unsupported too.
            }
        }
        return channel;
    }

    /** Closes what {@link #lockShared} returned, which releases the lock; null does nothing. */
    static void release(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing to undo: the lock goes with the descriptor.
            }
        }
    }

    /** Marks {@code keep} used; removes the idle copies in {@code directory}, if no JVM is loading one. */
    static void remove(Path directory, Path keep) {
        try {
            long now = System.currentTimeMillis();
            if (Files.getLastModifiedTime(keep, LinkOption.NOFOLLOW_LINKS).toMillis() < now - HOUR) {
                Files.setLastModifiedTime(keep, FileTime.fromMillis(now));
            }
            FileChannel channel = open(directory);
            if (channel == null) {
                return;
            }
            try (FileChannel closing = channel; FileLock lock = tryExclusive(closing)) {
                if (lock == null) {
                    return;
                }
                String[] names = directory.toFile().list();
                if (names == null) {
                    return;
                }
                Set<String> copies = new HashSet<>();
                String kept = keep.getFileName().toString();
                for (String name : names) {
                    Path entry = directory.resolve(name);
                    if (isCopy(name)) {
                        boolean old = !name.equals(kept) && modifiedBefore(entry, now - IDLE_HOURS * HOUR);
                        if (!old || !delete(entry)) {
                            copies.add(name);
                        }
                    } else if (name.startsWith(".extract-") && name.endsWith(".tmp")
                            && modifiedBefore(entry, now - LEFTOVER_HOURS * HOUR)) {
                        delete(entry); // a first extraction writes its own without the lock
                    }
                }
                for (String name : names) {
                    if (name.endsWith(VerifiedCopy.SUFFIX)) {
                        String copy = name.substring(0, name.length() - VerifiedCopy.SUFFIX.length());
                        if (isCopy(copy) && !copies.contains(copy)) {
                            delete(directory.resolve(name));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Tidying only: the next JVM tries again.
        }
    }

    /**
     * Whether {@code entry} was last modified before {@code millis}; false when it is gone (a first
     * extraction, which takes no lock, renamed its temporary file after the listing) or cannot be
     * read: it stays, and the rest of the directory is still tidied.
     */
    private static boolean modifiedBefore(Path entry, long millis) {
        try {
            return Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis() < millis;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code libmmap4j-<16 hex digits>.so} or {@code .dylib}. */
    static boolean isCopy(String name) {
        int end = COPY_PREFIX.length() + HASH_DIGITS;
        if (!name.startsWith(COPY_PREFIX) || name.length() <= end) {
            return false;
        }
        for (int i = COPY_PREFIX.length(); i < end; i++) {
            char c = name.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return Arrays.asList(".so", ".dylib").contains(name.substring(end));
    }

    /** Deletes a regular file (never a link's target or a directory); whether it is gone. */
    private static boolean delete(Path entry) throws IOException {
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Files.deleteIfExists(entry);
        return true;
    }

    private static FileLock tryExclusive(FileChannel channel) {
        try {
            return channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            return null;
        }
    }

    private static FileChannel open(Path directory) {
        Path lock = directory.resolve(LOCK);
        try {
            return FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
