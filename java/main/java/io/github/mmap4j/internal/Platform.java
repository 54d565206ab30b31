/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

/**
 * Facts about the running platform, asked of the shim once: page size, the
 * advice and map flags its headers define, whether it has {@code posix_fadvise}.
 */
public final class Platform {

    private static final long PAGE_SIZE = Native.pageSize();
    private static final String NAME = Native.platform();
    private static final long ADVICE = Native.supportedAdvice();
    private static final long MAP_FLAGS = Native.supportedMapFlags();
    private static final boolean FADVISE = Native.hasFadvise();
    private static final int SHM_NAME_MAX = Native.shmNameMax();

    static {
        if (PAGE_SIZE <= 0 || (PAGE_SIZE & (PAGE_SIZE - 1)) != 0) {
            throw new ExceptionInInitializerError("mmap4j: sysconf(_SC_PAGESIZE) returned " + PAGE_SIZE);
        }
    }

    private Platform() {
    }

    /**
     * The page size, from {@code sysconf(_SC_PAGESIZE)}.
     *
     * @return bytes per page, a power of two.
     */
    public static long pageSize() {
        return PAGE_SIZE;
    }

    /**
     * The platform the loaded library was built for.
     *
     * @return e.g. {@code linux-x86_64} or {@code macos-aarch64}.
     */
    public static String name() {
        return NAME;
    }

    /**
     * Advice the headers define.
     *
     * @return bit {@code Native.ADV_x} set for each.
     */
    public static long supportedAdvice() {
        return ADVICE;
    }

    /**
     * Map flags the headers define.
     *
     * @return bit {@code Native.FLAG_x} set for each.
     */
    public static long supportedMapFlags() {
        return MAP_FLAGS;
    }

    /**
     * Whether {@code posix_fadvise} exists (not on macOS).
     *
     * @return {@code true} on Linux.
     */
    public static boolean hasFadvise() {
        return FADVISE;
    }

    /**
     * The longest POSIX shared memory name {@code shm_open} accepts here.
     *
     * @return bytes, the leading {@code '/'} included: 31 on macOS, 256 on Linux.
     */
    public static int shmNameMax() {
        return SHM_NAME_MAX;
    }

    /**
     * Where the native library was loaded from.
     *
     * @return the absolute path of the loaded file.
     */
    public static String libraryPath() {
        return NativeLibrary.loadedFrom();
    }

    /**
     * Rounds down to a page boundary.
     *
     * @param value an address or offset.
     * @return the largest multiple of the page size not above {@code value}.
     */
    public static long alignDown(long value) {
        return value & -PAGE_SIZE;
    }

    /**
     * Rounds up to a page boundary.
     *
     * @param value an address or offset.
     * @return the smallest multiple of the page size not below {@code value}.
     */
    public static long alignUp(long value) {
        return (value + PAGE_SIZE - 1) & -PAGE_SIZE;
    }
}
