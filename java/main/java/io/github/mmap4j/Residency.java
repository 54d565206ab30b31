/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.util.BitSet;

/**
 * Which pages of a range are in memory ({@code mincore(2)}): the seeds'
 * {@code incore} pair (pages not resident, pages resident), and, when asked
 * for, the answer page by page.
 *
 * <p>Page {@code 0} is the page holding the range's first byte; pages are
 * {@link Mmap#pageSize()} bytes. A snapshot: the kernel may bring pages in or
 * drop them at any moment.
 */
public final class Residency {

    /** What {@code mincore} found: pages, resident pages, and the bits when asked for. */
    private final Ranges.PageCount count;

    Residency(Ranges.PageCount count) {
        this.count = count;
    }

    /**
     * Pages in the range.
     *
     * @return the count, including partly covered first and last pages.
     */
    public long pages() {
        return count.pages;
    }

    /**
     * Pages in memory.
     *
     * @return the count.
     */
    public long resident() {
        return count.resident;
    }

    /**
     * Whether every page is in memory, the answer of {@code MappedByteBuffer.isLoaded()}.
     *
     * @return {@code resident() == pages()}.
     */
    public boolean isLoaded() {
        return count.resident == count.pages;
    }

    /** Whether the per-page answer was asked for ({@link #isResident(long)} and {@link #toBitSet()} work). */
    boolean hasPageDetail() {
        return count.bits != null;
    }

    /**
     * Whether one page is in memory.
     *
     * @param page page index, from 0.
     * @return {@code true} when it was resident.
     * @throws IllegalStateException when the per-page answer was not asked for.
     * @throws IndexOutOfBoundsException when {@code page} is outside the range.
     */
    public boolean isResident(long page) {
        requireDetail();
        if (page < 0 || page >= count.pages) {
            throw new IndexOutOfBoundsException("page " + page + " of " + count.pages);
        }
        return (count.bits[(int) (page >>> 6)] & (1L << page)) != 0;
    }

    /**
     * The per-page answer as a bit set (bit {@code i} set when page {@code i} is resident).
     *
     * @return a new {@link BitSet}.
     * @throws IllegalStateException when the per-page answer was not asked for.
     */
    public BitSet toBitSet() {
        requireDetail();
        return BitSet.valueOf(count.bits);
    }

    private void requireDetail() {
        if (count.bits == null) {
            throw new IllegalStateException("this Residency is a summary: ask Mmap.residency(buffer, offset, length, "
                    + "true) for the per-page answer");
        }
    }

    @Override
    public String toString() {
        return "Residency[" + count.resident + " of " + count.pages + " pages resident]";
    }
}
