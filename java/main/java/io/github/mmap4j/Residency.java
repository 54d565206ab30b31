/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * Which pages of a range are in memory ({@code mincore(2)}): how many, and
 * the answer page by page.
 *
 * <p>Page {@code 0} is the page holding the range's first byte; pages are
 * {@link Mmap#pageSize()} bytes. A snapshot: the kernel may bring pages in or
 * drop them at any moment.
 */
public final class Residency {

    /** What {@code mincore} found: pages, resident pages, one bit per page. */
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

    /**
     * Whether one page is in memory.
     *
     * @param page page index, from 0.
     * @return {@code true} when it was resident.
     * @throws IndexOutOfBoundsException when {@code page} is outside the range.
     * @throws IllegalStateException     for a region range of more than 2<sup>24</sup> pages
     *                                   (64 GiB of 4 KiB pages): those are only counted.
     */
    public boolean isResident(long page) {
        if (count.bits == null) {
            throw new IllegalStateException("isResident: this range has " + count.pages + " pages, more than the "
                    + Ranges.MAX_DETAIL_PAGES + " a residency keeps one bit each for; ask about a smaller range");
        }
        if (page < 0 || page >= count.pages) {
            throw new IndexOutOfBoundsException("page " + page + " of " + count.pages);
        }
        return (count.bits[(int) (page >>> 6)] & (1L << page)) != 0;
    }

    @Override
    public String toString() {
        return "Residency[" + count.resident + " of " + count.pages + " pages resident]";
    }
}
