/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.Ranges.Span;

import java.nio.ByteBuffer;

/**
 * What {@link MappedRegion} and {@link GrowableRegion} share: a registered mapping handed out as
 * an object with {@code long} offsets, its views and its range calls, once.
 */
abstract class Region implements AutoCloseable {

    final Mapping mapping;
    final long base;

    Region(Mapping mapping, long base) {
        this.mapping = mapping;
        this.base = base;
        Mappings.track(mapping, this);
    }

    /**
     * The region's size: the bytes views and range calls may cover.
     *
     * @return bytes.
     */
    public abstract long size();

    /**
     * The address of the region's byte 0, for other native code (valid while open).
     *
     * @return the address.
     */
    public long address() {
        return base;
    }

    /**
     * Whether the region is still open.
     *
     * @return {@code false} once {@link #close()} began.
     */
    public boolean isOpen() {
        return !mapping.isClosed();
    }

    /**
     * A direct buffer over bytes {@code offset .. offset+length} of the region
     * (a view of the {@code mmap(2)} range; no system call). Read-only when the
     * region is not writable. Each view is tracked on its own: the range stays
     * mapped while any view is reachable.
     *
     * @param offset first byte, from the region's byte 0.
     * @param length bytes; up to {@link Integer#MAX_VALUE}.
     * @return the view; its index 0 is byte {@code offset} of the region.
     * @throws IllegalArgumentException when {@code length} is negative.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the region.
     * @throws IllegalStateException when the region is closed.
     */
    public ByteBuffer view(long offset, int length) {
        return Mapper.view(mapping, base, size(), offset, length);
    }

    /**
     * Advises the kernel about bytes {@code offset .. offset+length} ({@code madvise(2)}),
     * rounded out to whole pages.
     *
     * @param offset first byte, from the region's byte 0.
     * @param length bytes.
     * @param advice the advice.
     * @throws UnsupportedOperationException when this platform lacks the advice.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the region.
     * @throws IllegalStateException when the region is closed.
     * @throws MmapException when {@code madvise} fails.
     */
    public void advise(long offset, long length, Advice advice) throws MmapException {
        RangeOps.advise(span(offset, length), advice);
    }

    /**
     * Writes the region's changed pages to the file and waits ({@code msync(MS_SYNC)}), as
     * {@link java.nio.MappedByteBuffer#force()} does.
     *
     * @throws MmapException when {@code msync} fails.
     * @throws IllegalStateException when the region is closed.
     */
    public void force() throws MmapException {
        force(0, size(), SyncMode.SYNC);
    }

    /**
     * Writes the changed pages of bytes {@code offset .. offset+length} to the file
     * ({@code msync(2)}), rounded out to whole pages.
     *
     * @param offset first byte, from the region's byte 0.
     * @param length bytes.
     * @param mode   wait or only schedule, with or without {@code MS_INVALIDATE}.
     * @throws MmapException when {@code msync} fails.
     * @throws IllegalStateException when the region is closed.
     */
    public void force(long offset, long length, SyncMode mode) throws MmapException {
        RangeOps.sync(span(offset, length), mode);
    }

    /**
     * Which pages of bytes {@code offset .. offset+length} are in memory ({@code mincore(2)}).
     *
     * @param offset  first byte, from the region's byte 0.
     * @param length  bytes.
     * @param perPage also record each page's answer.
     * @return the residency; page 0 is the page holding byte {@code offset}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the region.
     * @throws IllegalStateException when the region is closed.
     * @throws MmapException when {@code mincore} fails.
     */
    public Residency residency(long offset, long length, boolean perPage) throws MmapException {
        return RangeOps.residency(span(offset, length), perPage);
    }

    final Span span(long offset, long length) {
        return Span.of(this, mapping, base, size(), offset, length);
    }
}
