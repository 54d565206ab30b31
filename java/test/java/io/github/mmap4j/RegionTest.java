/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MappedRegion: mappings over 2 GiB with long offsets, views at any offset, and the same lifetime rules. */
class RegionTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private Path sparse(String name, long size) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(size); // sparse: no disk used until written
        }
        return p;
    }

    private static byte[] readFile(Path p, long at, int n) throws Exception {
        byte[] bytes = new byte[n];
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r")) {
            raf.seek(at);
            raf.readFully(bytes);
        }
        return bytes;
    }

    private static void writeFile(Path p, long at, byte[] bytes) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.seek(at);
            raf.write(bytes);
        }
    }

    @Test
    void threeGibFileAcrossTheTwoGibBoundary() throws Exception {
        Path p = sparse("3g.bin", 3 * GIB);
        try (MappedRegion r = Mmap.mapRegion(p, 0, Files.size(p), MapOptions.of(MapMode.READ_WRITE))) {
            assertEquals(3 * GIB, r.size());
            // One view straddling 2 GiB (a ByteBuffer's limit from offset 0), one near the end.
            ByteBuffer across = r.view(2 * GIB - 4, 8);
            across.putLong(0, 0x0102030405060708L);
            ByteBuffer end = r.view(3 * GIB - 16, 16);
            end.put(15, (byte) 0x7f);
            r.force(2 * GIB - 4, 8, SyncMode.SYNC);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, readFile(p, 2 * GIB - 4, 8));
            assertEquals(0x7f, readFile(p, 3 * GIB - 1, 1)[0]);
            // Two views over the same bytes see each other's writes.
            assertEquals(0x05060708, r.view(2 * GIB, 4).getInt(0));
        }
    }

    /** The JDK's LargeMapTest: an 8 GB file mapped from an offset near 3.7 GB, bytes past 4 GiB checked. */
    @Test
    void eightGibFileAtAnOffsetNear3point7GB() throws Exception {
        Path p = sparse("8g.bin", 8 * GIB);
        long base = 3_700_000_000L + 123; // not page-aligned
        byte[] marker = "mmap4j above 4 GiB".getBytes(StandardCharsets.US_ASCII);
        writeFile(p, 6 * GIB + 17, marker); // written with plain I/O, read through the mapping
        try (MappedRegion r = Mmap.mapRegion(p, base, 8 * GIB - base, MapOptions.of(MapMode.READ_WRITE))) {
            assertEquals(8 * GIB - base, r.size());
            byte[] seen = new byte[marker.length];
            r.view(6 * GIB + 17 - base, marker.length).get(seen);
            assertArrayEquals(marker, seen);
            // Writes above 4 GiB and across the boundary between two views.
            long at = 5 * GIB - base - 3;
            ByteBuffer first = r.view(at, 3);
            ByteBuffer second = r.view(at + 3, 5);
            first.put(new byte[] {10, 11, 12});
            second.put(new byte[] {13, 14, 15, 16, 17});
            assertEquals(0x0a0b0c0d0e0f1011L, r.view(at, 8).getLong(0));
            ByteBuffer top = r.view(r.size() - Integer.MAX_VALUE, Integer.MAX_VALUE); // a maximal view
            top.put(Integer.MAX_VALUE - 1, (byte) 99);
            r.force(at, 8, SyncMode.SYNC);
            r.force();
            assertArrayEquals(new byte[] {10, 11, 12, 13, 14, 15, 16, 17}, readFile(p, at + base, 8));
            assertEquals(99, readFile(p, 8 * GIB - 1, 1)[0]);
            // Range calls on long ranges far past 2 GiB.
            Residency res = r.residency(at, 8);
            assertTrue(res.pages() >= 1 && res.isResident(0), "the page just written is resident");
            r.advise(at, Mmap.pageSize(), Advice.WILLNEED);
            r.advise(0, r.size(), Advice.NORMAL);
        }
    }

    /** A range too large for one bit per page is counted only: asking cannot exhaust the heap. */
    @Test
    void aHugeRegionIsCountedWithoutPerPageBits() throws Exception {
        long page = Mmap.pageSize();
        long pages = Ranges.MAX_DETAIL_PAGES + 1;
        long size = pages * page;
        try (MappedRegion r = Mmap.anonymousRegion(size, MapOptions.of(MapMode.READ_WRITE)
                .sharing(Sharing.PRIVATE).flags(MapFlag.NORESERVE))) {
            r.view(size - 8, 8).putLong(0, 1L);
            Residency all = r.residency(0, size);
            assertEquals(pages, all.pages());
            assertTrue(all.resident() >= 1, all.toString()); // a transparent huge page may bring in more
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> all.isResident(0));
            assertTrue(e.getMessage().contains("smaller range"), e.getMessage());
            assertTrue(r.residency(size - page, page).isResident(0), "a small range keeps its bits");
        }
    }

    @Test
    void anonymousRegionLargerThanABuffer() throws Exception {
        try (MappedRegion r = Mmap.anonymousRegion(3 * GIB, MapOptions.of(MapMode.READ_WRITE)
                .sharing(Sharing.PRIVATE).flags(MapFlag.NORESERVE))) {
            assertEquals(0, r.view(2 * GIB + 5, 8).getLong(0), "zero-filled");
            r.view(2 * GIB + 5, 8).putLong(0, -1L);
            assertEquals(-1L, r.view(2 * GIB + 5, 8).getLong(0));
            if (Mmap.canTrapProtectionFaults()) {
                Mmap.protect(r.view(2 * GIB, (int) Mmap.pageSize()), Protection.READ);
                assertEquals(-1L, r.view(2 * GIB + 5, 8).getLong(0), "still readable");
            } else { // Java 8-10 by default: refused, nothing changes
                assertThrows(UnsupportedOperationException.class,
                        () -> Mmap.protect(r.view(2 * GIB, (int) Mmap.pageSize()), Protection.READ));
            }
            Mmap.protect(r.view(2 * GIB, (int) Mmap.pageSize()), Protection.READ, Protection.WRITE);
            r.view(2 * GIB + 5, 8).putLong(0, 7L);
        }
    }

    @Test
    void readOnlyRegionHandsOutReadOnlyViews() throws Exception {
        Path p = sparse("ro.bin", 3 * Mmap.pageSize());
        try (MappedRegion r = Mmap.mapRegion(p, 0, Files.size(p), MapOptions.of(MapMode.READ_ONLY))) {
            ByteBuffer v = r.view(1, 10);
            assertTrue(v.isReadOnly());
            assertThrows(ReadOnlyBufferException.class, () -> v.put(0, (byte) 1));
        }
    }

    @Test
    void closeLimitsViewsAndRefusesLaterCalls() throws Exception {
        Path p = sparse("close.bin", 4 * Mmap.pageSize());
        MappedRegion r = Mmap.mapRegion(p, 0, Files.size(p), MapOptions.of(MapMode.READ_WRITE));
        ByteBuffer v = r.view(10, 100);
        v.put(0, (byte) 5);
        assertTrue(r.isOpen());
        r.close();
        r.close(); // twice: nothing
        assertFalse(r.isOpen());
        assertEquals(0, v.limit(), "views get limit(0)");
        assertThrows(IndexOutOfBoundsException.class, () -> v.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.view(0, 1));
        assertTrue(e.getMessage().contains("closed mapping") && e.getMessage().contains("close.bin"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> r.force());
        assertThrows(IllegalStateException.class, () -> r.advise(0, r.size(), Advice.NORMAL));
        assertThrows(IllegalStateException.class, () -> r.residency(0, 1));
        assertEquals(5, readFile(p, 10, 1)[0], "the write reached the file");
        Files.delete(p); // released: the file can go
    }

    @Test
    void rangeIsReclaimedOnlyWhenRegionAndEveryViewAreUnreachable() throws Exception {
        MappedRegion r = Mmap.anonymousRegion(4 * Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE)
                .sharing(Sharing.PRIVATE));
        long address = r.address();
        ByteBuffer view = r.view(Mmap.pageSize(), 16);
        view.putLong(0, 42L);
        r = null; // the region goes; the view stays
        collect(() -> false);
        assertNotNull(Mappings.find(address), "a reachable view keeps the range mapped");
        assertEquals(42L, view.getLong(0));
        view = null;
        collect(() -> Mappings.find(address) == null);
        assertNull(Mappings.find(address), "reclaimed once nothing reaches it");
    }

    private static void collect(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 50 && !done.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(20);
        }
    }

    @Test
    void viewsAndRangesAreChecked() throws Exception {
        try (MappedRegion r = Mmap.anonymousRegion(2 * Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE))) {
            long size = r.size();
            assertThrows(IndexOutOfBoundsException.class, () -> r.view(-1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> r.view(size, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> r.view(Long.MAX_VALUE, 1));
            assertThrows(IllegalArgumentException.class, () -> r.view(0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> r.force(size - 1, 2, SyncMode.SYNC));
            assertThrows(IndexOutOfBoundsException.class, () -> r.advise(-1, 1, Advice.NORMAL));
            assertThrows(IndexOutOfBoundsException.class, () -> r.residency(0, Long.MAX_VALUE));
            assertEquals(0, r.view(size, 0).capacity(), "an empty view at the end is fine");
            assertTrue(r.toString().contains("open"));
        }
    }
}
