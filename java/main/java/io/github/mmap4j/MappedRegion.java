/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.Ranges.Span;

import java.nio.ByteBuffer;

/**
 * A mapping of any size the address space allows ({@code mmap(2)}), with
 * {@code long} sizes and offsets, from {@link Mmap#mapRegion} or
 * {@link Mmap#anonymousRegion}.
 *
 * <pre>{@code
 * try (MappedRegion r = Mmap.mapRegion(path, 0, 8L << 30, MapOptions.of(MapMode.READ_WRITE))) {
 *     ByteBuffer at5g = r.view(5L << 30, 1 << 20);   // any long offset, up to 2 GiB per view
 *     at5g.putLong(0, 42L);
 *     r.force(5L << 30, 8, SyncMode.SYNC);            // msync on a long range
 * }
 * }</pre>
 *
 * <p><b>Lifetime.</b> {@link #close()} works as {@link Mmap#unmap}: the file is
 * released at once, every view gets {@code limit(0)}, every later call on the
 * region throws {@link IllegalStateException}, and a stale view that still
 * reads sees zeros and its writes go nowhere: nothing can crash the JVM. The
 * address range goes back to the OS once neither the region nor any view of
 * it is reachable; a region never closed is unmapped then too.
 *
 * <p>{@code mlock}, {@code munlock} and {@code mprotect} of a part: pass a view,
 * {@code Mmap.lock(r.view(offset, length))}.
 *
 * <p>All methods are thread-safe; closing while another thread runs a call on
 * the region waits for that call to finish.
 */
public class MappedRegion implements AutoCloseable {

    final Mapping mapping;
    final long base;

    /** The size of a region that cannot grow ({@link GrowableRegion} keeps its own). */
    private final long size;
    /** What views are cut from, made at the first view. */
    private volatile Windows windows;

    MappedRegion(Mapping mapping, long base, long size) {
        this.mapping = mapping;
        this.base = base;
        this.size = size;
        Mappings.track(mapping, this);
    }

    /**
     * The region's size: the bytes views and range calls may cover.
     *
     * @return bytes.
     */
    public long size() {
        return size;
    }

    /**
     * The address of the region's byte 0, for other native code (valid while open).
     *
     * @return the address.
     */
    public long address() {
        return base;
    }

    /**
     * Whether the region is still open. Also how a reader learns that a read overlapped a close
     * on another thread: read through a view, then ask; {@code true} means every byte the read
     * returned came from the file (the reads are kept before the check), {@code false} that
     * part of it may be the zeros a close leaves (discard it). A volatile read and a load fence.
     *
     * @return {@code false} once {@link #close()} began.
     */
    public boolean isOpen() {
        AtomicAccess.loadFence();
        return !mapping.isClosed();
    }

    /**
     * Whether a page of the region was found past the end of its file (another process truncated
     * it, or the file system had no room for a page written): see {@link Mmap#isTruncated}.
     *
     * @return {@code true} once mmap4j covered such a page with zeros.
     */
    public boolean isTruncated() {
        return (Guard.marks(mapping) & Native.RANGE_TRUNCATED) != 0;
    }

    /**
     * A direct buffer over bytes {@code offset .. offset+length} of the region
     * (a view of the {@code mmap(2)} range; no system call). Read-only when the
     * region is not writable. The range stays mapped while any view is reachable.
     *
     * @param offset first byte, from the region's byte 0.
     * @param length bytes; up to {@link Integer#MAX_VALUE}.
     * @return the view; its index 0 is byte {@code offset} of the region.
     * @throws IllegalArgumentException when {@code length} is negative.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the region.
     * @throws IllegalStateException when the region is closed.
     */
    public ByteBuffer view(long offset, int length) {
        Windows w = windows;
        if (w == null) {
            // A race makes two: each tracks its own windows, and the last one written is kept.
            w = new Windows(mapping, base);
            windows = w;
        }
        return Mapper.view(mapping, w, base, size(), offset, length);
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
     * Which pages of bytes {@code offset .. offset+length} are in memory ({@code mincore(2)}),
     * as {@link Mmap#residency(ByteBuffer)} answers for a buffer.
     *
     * @param offset first byte, from the region's byte 0.
     * @param length bytes.
     * @return the residency; page 0 is the page holding byte {@code offset}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the region.
     * @throws IllegalStateException when the region is closed.
     * @throws MmapException when {@code mincore} fails.
     */
    public Residency residency(long offset, long length) throws MmapException {
        return RangeOps.residency(span(offset, length));
    }

    final Span span(long offset, long length) {
        return Span.of(this, mapping, base, size(), offset, length);
    }

    /**
     * Closes the region ({@code munmap(2)}, made safe as in {@link Mmap#unmap}).
     * Closing twice does nothing.
     *
     * @throws MmapException when the kernel refuses to replace the range.
     * @throws InternalError on JDK 11 to 18, once closed: an earlier access of this thread faulted on a
     *                       page {@code protect} took access from, and the JVM had not thrown its error yet.
     */
    @Override
    public void close() throws MmapException {
        Error late;
        try {
            late = Mappings.close(mapping, this, null);
        } catch (InternalError struck) {
            late = Mappings.close(mapping, this, struck); // an earlier fault's, on the way in: close anyway
        }
        if (late != null) {
            throw late;
        }
    }

    /**
     * What is mapped, and whether it is open.
     *
     * @return e.g. {@code MappedRegion[path=/data/x, offset=0, length=8589934592, READ_WRITE, open]}.
     */
    @Override
    public String toString() {
        return "MappedRegion[" + mapping.description() + (isOpen() ? ", open]" : ", closed]");
    }

}
