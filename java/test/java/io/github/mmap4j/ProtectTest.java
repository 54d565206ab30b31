/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mprotect: the effect is read back from {@code /proc/self/maps}; faults are left to a child JVM. */
class ProtectTest {

    @TempDir
    Path dir;

    /** The rwx letters of the /proc/self/maps line holding the address, or null without /proc. */
    static String permissionsAt(long address) throws Exception {
        String[] line = mapsLineAt(address);
        return line == null ? null : line.length < 5 ? "unmapped" : line[1].substring(0, 3);
    }

    /**
     * The fields of the /proc/self/maps line holding the address (range, permissions, offset,
     * device, inode, path if any), {@code {"unmapped"}} when none does, or null without /proc.
     */
    static String[] mapsLineAt(long address) throws Exception {
        Path maps = Paths.get("/proc/self/maps");
        if (!Files.exists(maps)) {
            return null;
        }
        for (String line : Files.readAllLines(maps)) {
            String[] fields = line.trim().split("\\s+");
            String[] range = fields[0].split("-");
            long from = Long.parseUnsignedLong(range[0], 16);
            long to = Long.parseUnsignedLong(range[1], 16);
            if (address >= from && address < to) {
                return fields;
            }
        }
        return new String[] {"unmapped"};
    }

    private static void assertPermissions(String expected, long address) throws Exception {
        String actual = permissionsAt(address);
        if (actual != null) {
            assertEquals(expected, actual, "/proc/self/maps at 0x" + Long.toHexString(address));
        }
    }

    @Test
    void readOnlyThenReadWriteAgain() throws Exception {
        long page = Mmap.pageSize();
        ByteBuffer buf = Mmap.anonymous((int) (4 * page), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        if (!Mmap.canTrapProtectionFaults()) {
            // Java 8-10 by default: taking WRITE from writable buffers is refused, nothing changes.
            assertThrows(UnsupportedOperationException.class, () -> Mmap.protect(TestBuffers.slice(buf, 0, page), Protection.READ));
            assertPermissions("rw-", Mmap.address(buf));
            Mmap.protect(buf, Protection.READ, Protection.WRITE); // giving access is always allowed
            Mmap.unmap(buf);
            return;
        }
        long base = Mmap.address(buf);
        buf.put(0, (byte) 9).put((int) page, (byte) 8);
        assertPermissions("rw-", base);

        Mmap.protect(TestBuffers.slice(buf, 0, page), Protection.READ);
        assertPermissions("r--", base);
        assertPermissions("rw-", base + page);
        assertEquals(9, buf.get(0), "reading a read-only page works");

        Mmap.protect(buf, Protection.READ, Protection.WRITE);
        assertPermissions("rw-", base);
        buf.put(0, (byte) 10);
        assertEquals(10, buf.get(0), "writable again");

        Mmap.protect(TestBuffers.slice(buf, 1, 1), Protection.READ); // unaligned inside an mmap4j mapping: rounded to its page
        assertPermissions("r--", base);
        Mmap.protect(buf, Protection.READ, Protection.WRITE);
        Mmap.unmap(buf);
    }

    /**
     * Read-only mappings hand out read-only buffers, which cannot write, so they need no entry in
     * the SIGSEGV forwarder's table: mapping number 4,097 once failed after ~0.5 s each.
     */
    @Test
    void fiveThousandReadOnlyMappingsAtOnce() throws Exception {
        Path p = dir.resolve("ro.bin");
        Files.write(p, new byte[(int) Mmap.pageSize()]);
        List<ByteBuffer> held = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 5000; i++) {
            held.add(Mmap.map(p, 0, 16, MapOptions.of(MapMode.READ_ONLY)));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("5000 read-only mappings in " + ms + " ms");
        for (ByteBuffer b : held) {
            assertTrue(b.isReadOnly());
            Mmap.unmap(b);
        }
    }

    @Test
    void aForeignUnalignedBufferIsRefused() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect((int) (3 * Mmap.pageSize()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mmap.protect(TestBuffers.slice(direct, 1, 10), Protection.READ));
        assertTrue(e.getMessage().startsWith("mprotect[READ]") && e.getMessage().contains("page boundaries"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mmap.protect(ByteBuffer.allocate(10), Protection.READ));
    }

    @Test
    void aReadOnlyFileMappingCannotBeMadeWritable() throws Exception {
        Path p = dir.resolve("ro.bin");
        Files.write(p, new byte[(int) Mmap.pageSize()]);
        ByteBuffer buf = Mmap.map(p, MapMode.READ_ONLY);
        MmapException e = assertThrows(MmapException.class,
                () -> Mmap.protect(buf, Protection.READ, Protection.WRITE));
        assertEquals("EACCES", e.errnoName());
        assertTrue(e.hint().contains("READ_WRITE"), e.getMessage());
        Mmap.unmap(buf);
    }

    /**
     * A write through a buffer whose pages were made read-only raises SIGSEGV, which
     * HotSpot does not turn into an exception: today the JVM dies (hs_err, exit 134).
     * This asserts the outcome wanted once mmap4j forwards that fault as an exception.
     */

    /**
     * Every live mapping is in the fault handlers' table, not only 4,096 protected ones: more
     * mappings than the old forwarder table had slots are protected at once (then an atomic
     * access to each is refused, not faulted), and closing them frees their slots.
     */
    @Test
    void moreProtectedMappingsThanTheOldTableHeld() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Mmap.canTrapProtectionFaults(), "protect is refused here");
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ByteBuffer b = Mmap.anonymous((int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE));
            Mmap.protect(b, Protection.READ);
            held.add(b);
        }
        // At least the 5,000 held (earlier tests' mappings may be reclaimed meanwhile, freeing theirs).
        assertTrue(Native.rangesLive() >= 5000, "every mapping has a slot: " + Native.rangesLive());
        assertEquals("r--", permissionsAt(Mmap.address(held.get(4999))) == null ? "r--"
                : permissionsAt(Mmap.address(held.get(4999))));
        assertThrows(IllegalStateException.class, () -> Atomics.getAndAddInt(held.get(4999), 0, 1));
        for (ByteBuffer b : held) {
            Mmap.unmap(b);
        }
    }

    /** GrowableRegion does not offer protect (a part mapped by a later grow would not carry it): refused. */
    @Test
    void aGrowableRegionsViewCannotBeProtected() throws Exception {
        try (GrowableRegion g = GrowableRegion.open(dir.resolve("g.bin"), 1L << 20,
                MapOptions.of(MapMode.READ_WRITE).createOrGrow())) {
            g.grow(Mmap.pageSize());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Mmap.protect(g.view(0, (int) Mmap.pageSize()), Protection.READ));
            assertTrue(e.getMessage().contains("GrowableRegion"), e.getMessage());
            assertEquals("rw-", permissionsAt(g.address()) == null ? "rw-" : permissionsAt(g.address()));
        }
    }

    // A write after protect(READ) is SegvForwarderTest's: it needs a child JVM and the forwarder.
}
