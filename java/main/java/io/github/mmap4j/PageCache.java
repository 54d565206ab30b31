/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The operating system's page cache for files, as opposed to {@link Mmap}'s calls on one
 * mapping: what a file range has in it, without mapping it, and eviction.
 *
 * <pre>{@code
 * PageCacheStats s = PageCache.stats(Paths.get("index.bin"));  // cachestat(2), or mincore(2)
 * s.cached(); s.dirty(); s.writeback();                           // -1: not known (mincore)
 * PageCache.evict(Paths.get("index.bin"));   // fdatasync + posix_fadvise(POSIX_FADV_DONTNEED)
 * }</pre>
 *
 * <p>{@link #stats} uses {@code cachestat(2)} where the kernel has it (Linux 6.5+): one system
 * call per range, whatever its size, counting cached, dirty, writeback, evicted and recently
 * evicted pages. Elsewhere (older kernels, macOS, a seccomp filter that blocks the call, a
 * kernel that refuses it for this file: {@code EPERM} for a file the caller may not write on
 * Linux 6.14+ without ownership, {@code EOPNOTSUPP} on hugetlbfs) it maps the range read-only
 * a window at a time and asks {@code mincore(2)}, which knows the cached count only.
 * {@code -Dmmap4j.cachestat=false} forces that path.
 */
public final class PageCache {

    /** The largest range mapped at once on platforms that evict through a mapping. */
    private static final long WINDOW = 1L << 30;
    private static final MapOptions READ_ONLY = MapOptions.of(MapMode.READ_ONLY);

    /** The system property that turns {@code cachestat} off ({@code false}), read on every query. */
    static final String CACHESTAT_PROPERTY = "mmap4j.cachestat";

    private PageCache() {
    }

    /** Whether the kernel answers cachestat: probed once, after the library is loaded. */
    private static final class Probe {
        static volatile boolean cachestat = FileCalls.hasCachestat();
    }

    /**
     * Whether {@link #stats} can use {@code cachestat(2)} here: Linux 6.5 or later, and no
     * seccomp filter blocking it. Asked of the kernel once (a call on descriptor -1 that
     * fails with {@code EBADF} where it exists); {@code false} after a query met
     * {@code ENOSYS} anyway. Not affected by {@code -Dmmap4j.cachestat=false}.
     *
     * @return {@code true} when the kernel has the call.
     */
    public static boolean hasCachestat() {
        Platform.ensureLoaded();
        return Probe.cachestat;
    }

    /**
     * The page-cache state of a byte range of a file ({@code cachestat(2)}, else
     * {@code mincore(2)}: see the class comment).
     *
     * @param path   a regular file (or block device); opened read-only, without waiting: a FIFO,
     *               socket, character device or directory is refused at once.
     * @param offset the first byte, from 0; past the end of the file gives an empty range.
     * @param length bytes, from 0; cut at the end of the file ({@code Long.MAX_VALUE}: to the end).
     * @return the counts; {@link PageCacheStats#length()} is the range after the cut.
     * @throws IllegalArgumentException when {@code offset} or {@code length} is negative.
     * @throws MmapException when the file cannot be opened ({@code ENOENT}, {@code EACCES};
     *                       {@code ENODEV} or {@code EISDIR} when it is not a regular file), or
     *                       {@code cachestat}, {@code mmap} or {@code mincore} fails.
     */
    public static PageCacheStats stats(Path path, long offset, long length) throws MmapException {
        Objects.requireNonNull(path, "path");
        checkRange(offset, length);
        try (FileSource source = FileSource.openToQuery(path)) {
            return stats(source, offset, length);
        }
    }

    /**
     * The page-cache state of a byte range of the file behind a JDK {@link FileChannel}
     * ({@code cachestat(2)}, else {@code mincore(2)}); the channel stays open and its position
     * is not used.
     *
     * @param channel an open channel of a regular file or block device, readable.
     * @param offset  the first byte, from 0.
     * @param length  bytes, from 0; cut at the end of the file.
     * @return the counts.
     * @throws IllegalArgumentException when {@code offset} or {@code length} is negative, or the
     *                                  channel is not the JDK's file channel.
     * @throws java.nio.channels.ClosedChannelException when the channel is closed (also by another
     *                                  thread during the call).
     * @throws MmapException when the channel's file is not a regular file or block device, or
     *                       {@code cachestat}, {@code mmap} or {@code mincore} fails.
     * @throws IOException when the channel's size cannot be read.
     */
    public static PageCacheStats stats(FileChannel channel, long offset, long length) throws IOException {
        Objects.requireNonNull(channel, "channel");
        checkRange(offset, length);
        return borrowed(FileSource.of(channel), offset, length);
    }

    /**
     * The page-cache state of a byte range of the file behind a {@link FileDescriptor}
     * ({@code cachestat(2)}, else {@code mincore(2)}); the descriptor stays open.
     *
     * @param descriptor an open, readable descriptor of a regular file or block device.
     * @param offset     the first byte, from 0.
     * @param length     bytes, from 0; cut at the end of the file.
     * @return the counts.
     * @throws IllegalArgumentException when {@code offset} or {@code length} is negative.
     * @throws IOException when the descriptor is closed (also by another thread during the call).
     * @throws MmapException when its file is not a regular file or block device, or {@code lseek},
     *                       {@code cachestat}, {@code mmap} or {@code mincore} fails.
     */
    public static PageCacheStats stats(FileDescriptor descriptor, long offset, long length) throws IOException {
        Objects.requireNonNull(descriptor, "descriptor");
        checkRange(offset, length);
        return borrowed(FileSource.of(descriptor), offset, length);
    }

    /**
     * The counts of a borrowed descriptor, kept only if it stayed open throughout: closed
     * meanwhile, its number may have named another file.
     */
    private static PageCacheStats borrowed(FileSource source, long offset, long length) throws IOException {
        try (FileSource s = source) {
            PageCacheStats stats = stats(s, offset, length);
            s.checkStillOpen();
            return stats;
        }
    }

    private static void checkRange(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset=" + offset + ", length=" + length
                    + ": both must be 0 or more");
        }
    }

    /** The range cut at the file's end, then cachestat, or mincore where cachestat cannot answer. */
    private static PageCacheStats stats(FileSource source, long offset, long length) throws MmapException {
        long size = source.size();
        long start = Math.min(offset, size);
        long bytes = Math.min(length, size - start);
        long pages = bytes == 0 ? 0 : (Platform.alignUp(start + bytes) - Platform.alignDown(start))
                / Platform.pageSize();
        boolean useCachestat = Probe.cachestat && !"false".equals(System.getProperty(CACHESTAT_PROPERTY));
        if (useCachestat) {
            long[] counts = new long[Native.CS_COUNT];
            // Length 0 means "to the end of the file" to cachestat: an empty range is not asked.
            long rc = bytes == 0 ? 0 : FileCalls.cachestat(source, start, bytes, counts);
            if (rc >= 0) {
                return new PageCacheStats(bytes, pages, counts, PageCacheStats.Method.CACHESTAT);
            }
            // EOPNOTSUPP is named ENOTSUP on Linux, where both are 95.
            String errno = Errors.name((int) -rc);
            if (errno.equals("ENOSYS")) {
                Probe.cachestat = false;
            } else if (!errno.equals("EPERM") && !errno.equals("EOPNOTSUPP") && !errno.equals("ENOTSUP")) {
                throw Errors.exception((int) -rc, "cachestat", what(source, offset, length));
            }
        }
        long cached = bytes == 0 ? 0 : FileCalls.residentPages(source, start, bytes);
        if (cached < 0) {
            throw Errors.exception((int) -cached, "mmap+mincore",
                    what(source, offset, length) + ", PROT_READ, MAP_SHARED");
        }
        long[] counts = new long[Native.CS_COUNT];
        Arrays.fill(counts, -1);
        counts[Native.CS_CACHED] = cached;
        return new PageCacheStats(bytes, pages, counts, PageCacheStats.Method.MINCORE);
    }

    /** The arguments for a message, built only when a call failed (a tree of small files makes many calls). */
    private static String what(FileSource source, long offset, long length) {
        return source.description() + ", offset=" + offset + ", length=" + length;
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
                FileCalls.dropFromCache(source);
            }
            return;
        }
        long size;
        try (FileSource source = FileSource.open(path, false, false, 0, -1)) {
            size = source.size();
        }
        for (long offset = 0; offset < size; offset += WINDOW) {
            ByteBuffer window = Mmap.map(path, offset, (int) Math.min(WINDOW, size - offset), READ_ONLY);
            try {
                Mmap.force(window, SyncMode.SYNC_INVALIDATE);
            } finally {
                Mmap.unmap(window);
            }
        }
    }
}
