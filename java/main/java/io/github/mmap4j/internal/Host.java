/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

/**
 * The natives that touch no memory: the platform the library was built for, whether its headers
 * define {@code posix_fadvise}, {@code isatty}, {@code lseek(SEEK_DATA)}. Bound by the library's {@code JNI_OnLoad} next to
 * {@code io.github.mmap4j.Native}'s (the compiled-in build identity covers both); package-private
 * like those, reached through {@link NativeLibrary}'s public facts, which load the library first.
 */
final class Host {

    private Host() {
    }

    /** The platform the library was compiled for: its jar folder, e.g. {@code linux_64} or {@code linux_64_musl}. */
    static native String platform();

    /** Whether the platform has {@code posix_fadvise}. */
    static native boolean hasFadvise();

    /** {@code isatty(3)}: whether the descriptor is a terminal ({@code 2} for standard error). */
    static native boolean isatty(int fd);

    /**
     * {@code open(2)} read-only with {@code O_NONBLOCK}: a FIFO does not wait for a writer.
     *
     * @param path the path's bytes, NUL-terminated.
     * @return the descriptor, or {@code -errno}.
     */
    static native long openToSeek(byte[] path);

    /**
     * {@code lseek(2)} {@code SEEK_DATA} or {@code SEEK_HOLE}.
     *
     * @param fd     a descriptor from {@link #openToSeek}.
     * @param offset where to look from.
     * @param hole   {@code true} for the next hole, {@code false} for the next data.
     * @return the offset found; {@code -1} when no data follows {@code offset} ({@code ENXIO});
     *         {@code -2} when it cannot be told (not supported, a descriptor that cannot seek).
     */
    static native long seekData(int fd, long offset, boolean hole);

    /**
     * {@code close(2)}.
     *
     * @param fd the descriptor.
     * @return 0 or {@code -errno}.
     */
    static native long close(int fd);
}
