/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.util.Map;
import java.util.TreeMap;

/**
 * The protection of each page of one mapping after {@code protect} changed some: intervals by
 * start address, each holding its {@code Native.PROT_*} bits until the next start. Made at a
 * mapping's first {@code protect}; {@link Atomics} ask it before they touch a word, so an atomic
 * access to a page mmap4j protected is refused instead of faulting.
 */
final class Protections {

    /** Start address of each interval to its bits; the range's end maps to 0 (nothing past it). */
    private final TreeMap<Long, Integer> from = new TreeMap<>();

    /**
     * The protection of a whole range.
     *
     * @param start the range's first address.
     * @param end   its end.
     * @param prot  the bits it was mapped with.
     */
    Protections(long start, long end, int prot) {
        from.put(start, prot);
        from.put(end, 0);
    }

    /**
     * Records new bits for {@code [start, end)}.
     *
     * @param start first address, inside the range.
     * @param end   end address, inside the range or its end.
     * @param prot  the bits.
     */
    synchronized void set(long start, long end, int prot) {
        Map.Entry<Long, Integer> atEnd = from.floorEntry(end);
        int after = atEnd == null ? 0 : atEnd.getValue();
        from.subMap(start, true, end, true).clear();
        from.put(start, prot);
        from.put(end, after);
    }

    /**
     * The bits of the page holding {@code address}.
     *
     * @param address an address.
     * @return the bits, or 0 outside the range.
     */
    synchronized int at(long address) {
        Map.Entry<Long, Integer> e = from.floorEntry(address);
        return e == null ? 0 : e.getValue();
    }
}
