/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Errors;
import io.github.mmap4j.internal.Native;
import io.github.mmap4j.internal.Platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The operating system's page cache for whole files, as opposed to
 * {@link Mmap}'s calls on one mapping.
 *
 * <pre>{@code
 * PageCache.evict(Paths.get("index.bin"));   // fdatasync + posix_fadvise(POSIX_FADV_DONTNEED)
 * }</pre>
 */
public final class PageCache {

    /** The largest range mapped at once on platforms that evict through a mapping. */
    private static final long WINDOW = 1L << 30;

    private PageCache() {
    }

    /**
     * Drops a file's pages from the page cache. On Linux: {@code fdatasync(2)}
     * first (the kernel keeps dirty pages), then
     * {@code posix_fadvise(POSIX_FADV_DONTNEED)} over the whole file. Where there is
     * no {@code posix_fadvise} (macOS): {@code msync(MS_SYNC | MS_INVALIDATE)} over a
     * read-only mapping of the file, a window at a time.
     *
     * <p>Advice, not a command: pages another process has mapped and locked, or
     * brings back at once, stay resident. Check with {@link Mmap#residency}.
     *
     * @param path a regular file; opened read-only.
     * @throws java.nio.file.NoSuchFileException when the file does not exist.
     * @throws MmapException when {@code posix_fadvise}, {@code mmap} or {@code msync} fails.
     * @throws IOException when the file cannot be opened or synced.
     */
    public static void evict(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        if (Platform.hasFadvise()) {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                channel.force(false);
                Errors.check(Native.fadvise(Native.descriptor(channel), 0, 0, Native.FADV_DONTNEED), "posix_fadvise",
                        "path=" + path + ", offset=0, length=0 (whole file), POSIX_FADV_DONTNEED");
            }
            return;
        }
        long size;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            size = channel.size();
        }
        for (long offset = 0; offset < size; offset += WINDOW) {
            ByteBuffer window = Mmap.map(path, MapMode.READ_ONLY, offset, (int) Math.min(WINDOW, size - offset));
            try {
                Mmap.sync(window, SyncMode.SYNC, SyncMode.INVALIDATE);
            } finally {
                Mmap.unmap(window);
            }
        }
    }
}
