/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** mmap flags and anonymous memory: each defined flag is used once, each undefined one refused. */
class MapFlagTest {

    private static MapOptions anon(MapFlag... flags) {
        return MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE).flags(flags);
    }

    @Test
    void enumsCoverEveryNativeCodeOnce() {
        Set<Integer> codes = new HashSet<>();
        for (Advice a : Advice.values()) {
            assertTrue(codes.add(a.code()), a.name());
        }
        assertEquals(Native.ADV_COUNT, codes.size());
        codes.clear();
        for (MapFlag f : MapFlag.values()) {
            assertTrue(codes.add(f.code()), f.name());
        }
        assertEquals(Native.FLAG_COUNT, codes.size());
    }

    @Test
    void everyUndefinedFlagRaisesUnsupportedOperation() {
        for (MapFlag flag : MapFlag.values()) {
            if (flag.isSupported()) {
                continue;
            }
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Mmap.anonymous(4096, anon(flag)));
            assertTrue(e.getMessage().contains(flag.name()) && e.getMessage().contains(Platform.name()),
                    e.getMessage());
        }
    }

    @Test
    void noreserveMapsMoreThanItTouches() throws Exception {
        if (!MapFlag.NORESERVE.isSupported()) {
            return;
        }
        ByteBuffer buf = Mmap.anonymous(256 << 20, anon(MapFlag.NORESERVE));
        buf.put(0, (byte) 1).put(buf.capacity() - 1, (byte) 2);
        assertEquals(2, Mmap.residency(buf).resident(), "only the touched pages use memory");
        Mmap.unmap(buf);
    }

    @Test
    void map32BitLandsInTheFirstTwoGigabytes() throws Exception {
        if (!MapFlag.MAP_32BIT.isSupported()) {
            return;
        }
        ByteBuffer buf;
        try {
            buf = Mmap.anonymous((int) Mmap.pageSize(), anon(MapFlag.MAP_32BIT));
        } catch (MmapException e) {
            // Linux places MAP_32BIT mappings in [1 GiB + up to 32 MiB of randomization, 2 GiB); the
            // JVM's own heap (unscaled compressed oops below 4 GiB) can fill that window. ENOMEM is
            // then the kernel's right answer; with a free page in the window it would be a bug.
            assertEquals("ENOMEM", e.errnoName(), e.getMessage());
            long free = freeBytes(0x42000000L, 0x80000000L);
            assertTrue(free < Mmap.pageSize(), free + " bytes are free in the MAP_32BIT window, yet: " + e.getMessage());
            Assumptions.assumeTrue(false, "the MAP_32BIT window (1-2 GiB) is full in this JVM: " + e.getMessage());
            return;
        }
        long address = Mmap.address(buf);
        assertTrue(address > 0 && address + buf.capacity() <= 1L << 31, "0x" + Long.toHexString(address));
        Mmap.unmap(buf);
    }

    /** Bytes of {@code [from, to)} that no mapping in /proc/self/maps covers. */
    private static long freeBytes(long from, long to) throws IOException {
        long free = 0;
        long at = from;
        for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            long start = Long.parseUnsignedLong(range[0], 16);
            long end = Long.parseUnsignedLong(range[1], 16);
            if (end <= at || start >= to) {
                continue;
            }
            free += Math.max(0, Math.min(start, to) - at);
            at = Math.max(at, end);
        }
        return free + Math.max(0, to - at);
    }

    @Test
    void hugePagesMapOrFailWithTheReserveHint() throws Exception {
        for (MapFlag flag : new MapFlag[] {MapFlag.HUGETLB, MapFlag.HUGE_2MB, MapFlag.HUGE_1GB}) {
            if (!flag.isSupported()) {
                continue;
            }
            int length = flag == MapFlag.HUGE_1GB ? 1 << 30 : 2 << 20;
            try {
                ByteBuffer buf = Mmap.anonymous(length, anon(flag));
                buf.put(0, (byte) 1);
                Mmap.unmap(buf);
                System.out.println(flag + ": mapped");
            } catch (MmapException e) {
                // No huge pages reserved (vm.nr_hugepages=0) gives ENOMEM; a size the CPU lacks gives EINVAL.
                assertTrue(e.errnoName().equals("ENOMEM") || e.errnoName().equals("EINVAL"), e.getMessage());
                assertTrue(e.hint().contains("nr_hugepages"), e.getMessage());
                System.out.println(flag + ": " + e.getMessage());
            }
        }
    }

    /**
     * A HUGETLB mapping of an odd length once could not be unmapped (munmap wants whole huge
     * pages): every cycle leaked a huge page and the fourth got ENOMEM. Twice as many cycles as
     * there are free huge pages must all succeed and leave every page free again.
     */
    @Test
    void hugetlbOddLengthsAreGivenBack() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(MapFlag.HUGETLB.isSupported(), "no MAP_HUGETLB here");
        long free = meminfo("HugePages_Free:");
        org.junit.jupiter.api.Assumptions.assumeTrue(free >= 1,
                "no huge pages reserved (vm.nr_hugepages; .ci/run reserves some when it may)");
        for (int i = 0; i < 2 * free + 2; i++) {
            ByteBuffer buf = Mmap.anonymous(100 + i, anon(MapFlag.HUGETLB));
            buf.put(99, (byte) i);
            ByteBuffer stale = buf.duplicate();
            Mmap.unmap(buf);
            assertEquals(0, stale.get(99), "a stale view of a closed huge page mapping reads zeros");
        }
        for (int i = 0; i < 100 && meminfo("HugePages_Free:") < free; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(free, meminfo("HugePages_Free:"), "every huge page is free again");
    }

    private static long meminfo(String key) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/meminfo"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split(" ")[0]);
            }
        }
        return 0;
    }

    @Test
    void anonymousMemorySharedOrPrivateWithProtections() throws Exception {
        long page = Mmap.pageSize();
        ByteBuffer shared = Mmap.anonymous((int) (3 * page), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
        ByteBuffer priv = Mmap.anonymous((int) (3 * page) + 5, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        assertEquals(3 * page + 5, priv.capacity(), "any size, not only whole pages");
        assertEquals(0, shared.getLong(0));
        priv.put((int) (3 * page) + 4, (byte) 1);
        ByteBuffer readOnly = Mmap.anonymous((int) page,
                MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE).protection(Protection.READ));
        assertTrue(readOnly.isReadOnly(), "no PROT_WRITE: a read-only buffer, never a fault");
        assertEquals(0, readOnly.get(0));
        MapOptions noAccess = MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE).protection();
        if (!Mmap.canTrapProtectionFaults()) {
            // Java 8-10 by default: memory any access to would fault is refused up front.
            assertThrows(UnsupportedOperationException.class, () -> Mmap.anonymous((int) page, noAccess));
        } else {
            ByteBuffer none = Mmap.anonymous((int) page, noAccess);
            assertFalse(Mmap.residency(none).resident() > 0);
            Mmap.unmap(none);
        }
        for (ByteBuffer b : new ByteBuffer[] {shared, priv, readOnly}) {
            Mmap.unmap(b);
        }
    }
}
