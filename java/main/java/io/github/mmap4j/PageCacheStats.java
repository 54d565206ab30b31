/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * The page-cache state of a file range, from {@link PageCache#stats}: pages cached, and where
 * the kernel can tell ({@code cachestat(2)}, Linux 6.5+), pages dirty, under writeback,
 * evicted and recently evicted. Where it cannot ({@code mincore(2)}: older kernels, macOS,
 * or {@code -Dmmap4j.cachestat=false}) only the cached count is known, and the other
 * counts are {@code -1}; {@link #method()} says which applied.
 *
 * <p>A snapshot: the kernel may bring pages in, write them back or drop them at any moment.
 * Pages are {@link Mmap#pageSize()} bytes; a range's pages are those holding any of its bytes.
 * Immutable.
 */
public final class PageCacheStats {

    /** How the counts were obtained. */
    public enum Method {
        /** {@code cachestat(2)}: every count is known, and no mapping was made. */
        CACHESTAT,
        /**
         * {@code mincore(2)} over a read-only mapping of the range made for the call: only
         * {@link #cached()} is known.
         */
        MINCORE
    }

    private final long length;
    private final long pages;
    /** The counts in {@code cachestat}'s order, {@code Native.CS_*}; {@code -1} where unknown. */
    private final long[] counts;
    private final Method method;

    PageCacheStats(long length, long pages, long[] counts, Method method) {
        this.length = length;
        this.pages = pages;
        this.counts = counts;
        this.method = method;
    }

    /**
     * The bytes measured: the range asked for, cut at the end of the file.
     *
     * @return bytes; for a whole file its size when it was opened.
     */
    public long length() {
        return length;
    }

    /**
     * Pages in the range.
     *
     * @return the count, partly covered first and last pages included.
     */
    public long pages() {
        return pages;
    }

    /**
     * Pages in the page cache ({@code nr_cache} of {@code cachestat}, the resident pages of
     * {@code mincore}).
     *
     * @return the count.
     */
    public long cached() {
        return counts[Native.CS_CACHED];
    }

    /**
     * Cached pages modified and not yet written back ({@code nr_dirty}).
     *
     * @return the count, or {@code -1} when {@link #method()} is {@link Method#MINCORE}.
     */
    public long dirty() {
        return counts[Native.CS_DIRTY];
    }

    /**
     * Cached pages being written back right now ({@code nr_writeback}).
     *
     * @return the count, or {@code -1} when {@link #method()} is {@link Method#MINCORE}.
     */
    public long writeback() {
        return counts[Native.CS_WRITEBACK];
    }

    /**
     * Pages of the range the kernel evicted and still remembers ({@code nr_evicted}: shadow
     * entries left by reclaim; {@code posix_fadvise(DONTNEED)}, {@link PageCache#evict}, leaves none).
     *
     * @return the count, or {@code -1} when {@link #method()} is {@link Method#MINCORE}.
     */
    public long evicted() {
        return counts[Native.CS_EVICTED];
    }

    /**
     * Evicted pages that would still be in memory if the cache were as large as the memory
     * in use ({@code nr_recently_evicted}: their refault would count as thrashing).
     *
     * @return the count, or {@code -1} when {@link #method()} is {@link Method#MINCORE}.
     */
    public long recentlyEvicted() {
        return counts[Native.CS_RECENTLY_EVICTED];
    }

    /**
     * Which call answered.
     *
     * @return {@link Method#CACHESTAT} or {@link Method#MINCORE}.
     */
    public Method method() {
        return method;
    }

    @Override
    public String toString() {
        String counts = cached() + " of " + pages + " pages cached";
        return "PageCacheStats[" + counts + (method == Method.CACHESTAT ? ", " + dirty() + " dirty, " + writeback()
                + " writeback, " + evicted() + " evicted, " + recentlyEvicted() + " recently evicted (cachestat)"
                : "; dirty, writeback and evicted unknown (mincore)") + "]";
    }
}
