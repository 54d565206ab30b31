/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
     * The kernel's limit on mappings per process ({@code vm.max_map_count}), read
     * once; 65530 (Linux's default) where it cannot be read (macOS has no such limit).
     *
     * @return the limit.
     */
    public static long maxMapCount() {
        return Limits.MAX_MAP_COUNT;
    }

    /**
     * The default huge page size ({@code Hugepagesize} in {@code /proc/meminfo}),
     * read once; 2 MiB where it cannot be read.
     *
     * @return bytes.
     */
    public static long hugePageSize() {
        return Limits.HUGE_PAGE_SIZE;
    }

    /** Read from /proc only when first asked. */
    private static final class Limits {
        static final long MAX_MAP_COUNT = readLong("/proc/sys/vm/max_map_count", null, 65530L);
        static final long HUGE_PAGE_SIZE = readLong("/proc/meminfo", "Hugepagesize:", 2048L) * 1024;

        /** The first number in the file, or in its line that starts with {@code key}. */
        private static long readLong(String file, String key, long fallback) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new FileInputStream(file), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null;) {
                    if (key == null || line.startsWith(key)) {
                        Matcher m = Pattern.compile("\\d+").matcher(line);
                        return m.find() ? Long.parseLong(m.group()) : fallback;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux, or /proc not mounted: the fallback.
            }
            return fallback;
        }
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
