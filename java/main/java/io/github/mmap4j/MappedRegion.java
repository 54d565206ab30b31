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
public final class MappedRegion extends Region {

    private final long size;

    MappedRegion(Mapping mapping, long base, long size) {
        super(mapping, base);
        this.size = size;
    }

    /**
     * The region's size.
     *
     * @return bytes, as asked of {@code mmap}.
     */
    @Override
    public long size() {
        return size;
    }








    /**
     * Closes the region ({@code munmap(2)}, made safe as in {@link Mmap#unmap}).
     * Closing twice does nothing.
     *
     * @throws MmapException when the kernel refuses to replace the range.
     */
    @Override
    public void close() throws MmapException {
        Mappings.close(mapping, this);
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
