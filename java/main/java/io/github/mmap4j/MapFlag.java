/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * Extra {@code mmap(2)} flags, beyond shared or private.
 *
 * <p>Each exists where the platform's headers define it at build time;
 * {@link #isSupported()} answers for the running platform, and mapping with an
 * unsupported one raises {@link UnsupportedOperationException}.
 */
public enum MapFlag {
    /** {@code MAP_NORESERVE}: do not reserve swap space for the mapping (Linux). */
    NORESERVE(Native.FLAG_NORESERVE),
    /** {@code MAP_POPULATE}: fault the whole mapping in now (Linux). */
    POPULATE(Native.FLAG_POPULATE),
    /** {@code MAP_LOCKED}: lock the pages in memory, like {@code mlock} (Linux). */
    LOCKED(Native.FLAG_LOCKED),
    /** {@code MAP_HUGETLB}: use huge pages of the default size (Linux; anonymous or hugetlbfs). */
    HUGETLB(Native.FLAG_HUGETLB),
    /** {@code MAP_HUGETLB | MAP_HUGE_2MB}: 2 MiB huge pages (Linux). */
    HUGE_2MB(Native.FLAG_HUGE_2MB),
    /** {@code MAP_HUGETLB | MAP_HUGE_1GB}: 1 GiB huge pages (Linux). */
    HUGE_1GB(Native.FLAG_HUGE_1GB),
    /** {@code MAP_32BIT}: place the mapping in the first 2 GiB (Linux x86_64) or 4 GiB (macOS) of the address space. */
    MAP_32BIT(Native.FLAG_32BIT),
    /** {@code MAP_NOCACHE}: pages of this mapping are the first to be reclaimed (macOS). */
    NOCACHE(Native.FLAG_NOCACHE),
    /** {@code MAP_JIT}: memory for just-in-time compiled code (macOS). */
    JIT(Native.FLAG_JIT);

    private final int code;

    MapFlag(int code) {
        this.code = code;
    }

    /**
     * Whether the running platform defines this flag.
     *
     * @return {@code true} when {@code mmap} can be asked for it here.
     */
    public boolean isSupported() {
        return (Platform.supportedMapFlags() & (1L << code)) != 0;
    }

    int code() {
        return code;
    }
}
