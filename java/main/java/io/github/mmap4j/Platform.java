/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.NativeLibrary;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Facts about the running platform, asked of the shim once: page size, the
 * advice and map flags its headers define, whether it has {@code posix_fadvise}.
 *
 * <p>Also the gate every public entry point passes before its first native
 * call ({@link #ensureLoaded()}): the library is loaded then, not in a static
 * initialiser, because a static initialiser that fails leaves its class
 * unusable for the JVM's life ({@code NoClassDefFoundError} on every later
 * use). A failed load throws a clear {@link UnsatisfiedLinkError}, and the next
 * call tries again.
 */
final class Platform {

    /*
     * What the shim says about the platform, read once after loading and written before
     * {@link #loaded}: a thread that reads it true sees them (volatile). Fields of this class, not
     * of a holder object: one class fewer for the first map to load (issue 27).
     */
    private static long pageSize;
    private static String name;
    private static long advice;
    private static long mapFlags;
    private static boolean fadvise;
    private static int shmNameMax;
    /** Set once the library is loaded and the facts above are read. */
    private static volatile boolean loaded;

    private Platform() {
    }

    private static void facts() {
        if (!loaded) {
            load();
        }
    }

    private static synchronized void load() {
        if (loaded) {
            return;
        }
        NativeLibrary.load();
        long size = Native.pageSize();
        if (size <= 0 || (size & (size - 1)) != 0) {
            throw new IllegalStateException("mmap4j: sysconf(_SC_PAGESIZE) returned " + size);
        }
        pageSize = size;
        name = NativeLibrary.platform();
        advice = Native.supportedAdvice();
        mapFlags = Native.supportedMapFlags();
        fadvise = NativeLibrary.hasFadvise();
        shmNameMax = Native.shmNameMax();
        loaded = true;
    }

    /**
     * Loads the native library if no call did yet; a no-op after the first success. Then throws
     * the error of an earlier fault HotSpot still holds for this thread, before the call changes
     * anything ({@link Guard#takeLateFault}).
     *
     * @throws UnsatisfiedLinkError when it cannot be loaded (this time: a later call tries again).
     * @throws Error                the {@code InternalError} of an earlier fault on a protected page (JDK 11 to 18).
     */
    static void ensureLoaded() {
        facts();
        Guard.throwLateFault();
    }

    /**
     * {@link #ensureLoaded()} for a close: loads, and leaves an earlier fault's error to the
     * close, which takes it first and throws it once closed ({@link Mappings#close}).
     */
    static void ensureLoadedToClose() {
        facts();
    }

    /**
     * {@link #ensureLoaded()} for calls that open files: a load refused because no descriptor was
     * free is the {@code EMFILE} (or {@code ENFILE}) the caller's own {@code open} would have met.
     *
     * @throws MmapException         {@code EMFILE}/{@code ENFILE} when too few descriptors are free to load.
     * @throws UnsatisfiedLinkError when the library cannot be loaded for another reason.
     */
    static void ensureLoadedToOpen() throws MmapException {
        try {
            facts();
        } catch (UnsatisfiedLinkError e) {
            String message = String.valueOf(e.getMessage());
            if (!message.startsWith(NativeLibrary.NO_DESCRIPTORS)) {
                throw e;
            }
            // The library is not loaded: the errno values are the same on Linux and macOS.
            String name = message.contains("ENFILE") ? "ENFILE" : "EMFILE";
            MmapException m = new MmapException("open", name.equals("ENFILE") ? 23 : 24, name,
                    name.equals("ENFILE") ? "Too many open files in system" : "Too many open files",
                    "loading libmmap4j", Errors.hint("open", name, ""));
            m.initCause(e);
            throw m;
        }
        Guard.throwLateFault();
    }

    /**
     * The page size, from {@code sysconf(_SC_PAGESIZE)}.
     *
     * @return bytes per page, a power of two.
     */
    static long pageSize() {
        facts();
        return pageSize;
    }

    /**
     * The platform the loaded library was built for.
     *
     * @return its folder in the jar ({@code natives/<name>/}): {@code linux_64}, {@code linux_arm64},
     *     {@code osx_64}, {@code osx_arm64}, with {@code _musl} after a musl build's.
     */
    static String name() {
        facts();
        return name;
    }

    /**
     * Advice the headers define.
     *
     * @return bit {@code Native.ADV_x} set for each.
     */
    static long supportedAdvice() {
        facts();
        return advice;
    }

    /**
     * Map flags the headers define.
     *
     * @return bit {@code Native.FLAG_x} set for each.
     */
    static long supportedMapFlags() {
        facts();
        return mapFlags;
    }

    /**
     * Whether {@code posix_fadvise} exists (not on macOS).
     *
     * @return {@code true} on Linux.
     */
    static boolean hasFadvise() {
        facts();
        return fadvise;
    }

    /**
     * The address of a direct buffer's index 0 ({@link BufferAddress#of}); the caller checked {@code isDirect()}.
     *
     * @param buffer a direct buffer.
     * @return its address.
     */
    static long address(java.nio.Buffer buffer) {
        facts();
        return BufferAddress.of(buffer);
    }

    /**
     * The longest POSIX shared memory name {@code shm_open} accepts here.
     *
     * @return bytes, the leading {@code '/'} included: 31 on macOS, 256 on Linux.
     */
    static int shmNameMax() {
        facts();
        return shmNameMax;
    }

    /**
     * The kernel's limit on mappings per process ({@code vm.max_map_count}), read
     * once; 65530 (Linux's default) where it cannot be read (macOS has no such limit).
     *
     * @return the limit.
     */
    static long maxMapCount() {
        return readMaxMapCount();
    }

    /**
     * The default huge page size ({@code Hugepagesize} in {@code /proc/meminfo}),
     * read once; 2 MiB where it cannot be read.
     *
     * @return bytes.
     */
    static long hugePageSize() {
        return readHugePageSize();
    }

    /** {@code vm.max_map_count} once read; 0 until a read succeeded. */
    private static volatile long maxMapCount;
    /** The default huge page size once read; 0 until a read succeeded. */
    private static volatile long hugePageSize;

    /**
     * Read from /proc when first asked (by the first map: its budget, {@code Pressure}); a read
     * that failed (no descriptor free) gives the default and is tried again next time, never
     * remembered: no static initialiser holds it.
     */
    private static long readMaxMapCount() {
        long v = maxMapCount;
        if (v == 0) {
            v = readLong("/proc/sys/vm/max_map_count", null, -1);
            if (v <= 0) {
                if (!new java.io.File("/proc/sys/vm/max_map_count").exists()) {
                    maxMapCount = 65530L; // not Linux: no such limit, and nothing to read again
                }
                return 65530L;
            }
            maxMapCount = v;
        }
        return v;
    }

    /** Read from /proc when first asked (only by a map with {@code HUGETLB}); a failed read is retried. */
    private static long readHugePageSize() {
        long v = hugePageSize;
        if (v == 0) {
            v = readLong("/proc/meminfo", "Hugepagesize:", -1);
            if (v <= 0) {
                if (!new java.io.File("/proc/meminfo").exists()) {
                    hugePageSize = 2048L * 1024; // not Linux: nothing to read again
                }
                return 2048L * 1024;
            }
            hugePageSize = v * 1024;
            v = hugePageSize;
        }
        return v;
    }

    /**
     * The first number in the file (its first 64 KiB), or in its line that starts with {@code key}.
     * Read as bytes and scanned by hand: a regular expression cost the first map about a
     * millisecond, and a {@code Reader} loads a charset decoder.
     */
    private static long readLong(String file, String key, long fallback) {
        byte[] text = new byte[64 * 1024];
        int length = 0;
        try (FileInputStream in = new FileInputStream(file)) {
            int n;
            while (length < text.length && (n = in.read(text, length, text.length - length)) > 0) {
                length += n;
            }
        } catch (IOException | RuntimeException e) {
            return fallback; // not Linux, or /proc not mounted
        }
        String content = new String(text, 0, length, StandardCharsets.ISO_8859_1);
        int from = 0;
        if (key != null) {
            int at = content.startsWith(key) ? 0 : content.indexOf("\n" + key);
            if (at < 0) {
                return fallback;
            }
            from = at == 0 ? 0 : at + 1;
        }
        int lineEnd = content.indexOf('\n', from);
        if (lineEnd < 0) {
            lineEnd = length;
        }
        int start = from;
        while (start < lineEnd && (content.charAt(start) < '0' || content.charAt(start) > '9')) {
            start++;
        }
        int end = start;
        while (end < lineEnd && end - start < 18 && content.charAt(end) >= '0' && content.charAt(end) <= '9') {
            end++;
        }
        return end > start ? Long.parseLong(content.substring(start, end)) : fallback;
    }

    /**
     * Rounds down to a page boundary.
     *
     * @param value an address or offset.
     * @return the largest multiple of the page size not above {@code value}.
     */
    static long alignDown(long value) {
        facts();
        return value & -pageSize;
    }

    /**
     * Rounds up to a page boundary.
     *
     * @param value an address or offset.
     * @return the smallest multiple of the page size not below {@code value}.
     */
    static long alignUp(long value) {
        facts();
        return (value + pageSize - 1) & -pageSize;
    }
}
