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
import java.util.regex.Pattern;

/**
 * Extracted copies of other builds in an extraction directory, removed when no JVM can be
 * loading one. A JVM holds a shared lock on the directory's {@value #LOCK} file from before it
 * checks or writes its copy until {@code System.load} returned ({@link #whileLoading}); once
 * loaded, it takes that lock exclusively, without waiting, and removes every other
 * {@code libmmap4j-<hash>} copy and every leftover {@code .extract-*.tmp} ({@link #remove}).
 * A copy that a running JVM has loaded may go: the JVM keeps its mapping, the file's name was
 * all that went. When the lock is busy or locks are not supported there, nothing is removed
 * (the next JVM tries again).
 */
final class OldCopies {

    /** The lock file's name in the extraction directory. */
    static final String LOCK = ".lock";

    private static final Pattern COPY = Pattern.compile("libmmap4j-[0-9a-f]{16}\\.(so|dylib)|\\.extract-.*\\.tmp");

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

    /** Removes the copies in {@code directory} other than {@code keep}, if no JVM is loading one. */
    static void remove(Path directory, Path keep) {
        try {
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
                        if (!entry.equals(keep) && COPY.matcher(name).matches()
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
