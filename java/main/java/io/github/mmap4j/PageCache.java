/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.FileSource;
import io.github.mmap4j.internal.Platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
     * @param path a regular file (or block device); opened read-only, without waiting: a FIFO,
     *             socket, character device or directory is refused at once.
     * @throws MmapException when the file cannot be opened ({@code ENOENT} when it does not exist;
     *                       {@code ENODEV} or {@code EISDIR} when it is not a regular file), or
     *                       {@code fdatasync}, {@code posix_fadvise}, {@code mmap} or {@code msync} fails.
     * @throws IOException when the file cannot be read.
     */
    public static void evict(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        if (Platform.hasFadvise()) {
            // FileSource, not FileChannel.open: a FIFO put in place of the file must not block the open.
            try (FileSource source = FileSource.open(path, false, false, 0, -1)) {
                source.dropFromCache();
            }
            return;
        }
        long size;
        try (FileSource source = FileSource.open(path, false, false, 0, -1)) {
            size = source.size();
        }
        for (long offset = 0; offset < size; offset += WINDOW) {
            ByteBuffer window = Mmap.map(path, MapMode.READ_ONLY, offset, (int) Math.min(WINDOW, size - offset));
            try {
                Mmap.force(window, 0, window.capacity(), SyncMode.SYNC_INVALIDATE);
            } finally {
                Mmap.unmap(window);
            }
        }
    }
}
