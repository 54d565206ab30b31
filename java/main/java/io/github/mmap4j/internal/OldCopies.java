/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.regex.Pattern;

/**
 * Extracted copies of other builds in an extraction directory, removed once unused for a day and
 * when no JVM can be loading one. A JVM holds a shared lock on the directory's {@value #LOCK} file
 * from before it checks or writes its copy until {@code System.load} returned
 * ({@link #whileLoading}); once loaded, it marks its copy used (its modification time, at most
 * hourly), takes that lock exclusively without waiting, and removes every other
 * {@code libmmap4j-<hash>} copy no JVM marked for {@value #IDLE_HOURS} hours, and every leftover
 * {@code .extract-*.tmp} ({@link #remove}). Copies in use by other versions, or by JVMs of
 * another platform sharing the directory (an arm64 JVM under emulation, a musl JVM in a
 * container), stay. A copy that a running JVM loaded may go: the JVM keeps its mapping, only the
 * file's name goes. When the lock is busy or locks are not supported there, nothing is removed
 * (the next JVM tries again).
 */
final class OldCopies {

    /** The lock file's name in the extraction directory. */
    static final String LOCK = ".lock";

    /** How long a copy no JVM loaded stays. */
    static final int IDLE_HOURS = 24;

    private static final long HOUR = 3_600_000L;
    private static final Pattern COPY = Pattern.compile("libmmap4j-[0-9a-f]{16}\\.(so|dylib)");
    private static final Pattern LEFTOVER = Pattern.compile("\\.extract-.*\\.tmp");

    private OldCopies() {
    }

    /** What runs under the shared lock. */
    interface Loading<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code loading} holding a shared lock on {@code directory}'s {@value #LOCK} (the
     * directory is the user's own, checked by {@link ExtractionDirectory}); without the lock when
     * it cannot be had (a file system without locks, or this JVM holding it through another class
     * loader).
     */
    static <T> T whileLoading(Path directory, Loading<T> loading) throws IOException {
        FileChannel channel = open(directory);
        try {
            if (channel != null) {
                try {
                    channel.lock(0, Long.MAX_VALUE, true);
                } catch (IOException | OverlappingFileLockException e) {
                    // Loading goes on without it; remove() finds the lock busy or unsupported too.
                }
            }
            return loading.run();
        } finally {
            if (channel != null) {
                try {
                    channel.close(); // releases the lock
                } catch (IOException e) {
                    // Nothing to undo: the lock goes with the descriptor.
                }
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
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        boolean old = COPY.matcher(name).matches() && !entry.equals(keep)
                                && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis()
                                        < now - IDLE_HOURS * HOUR;
                        if ((old || LEFTOVER.matcher(name).matches())
                                && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                            Files.deleteIfExists(entry);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Tidying only: the next JVM tries again.
        }
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
