/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A region's views of a window it already made are cut in batches (issue 27: README's loop spent
 * most of each record on a JNI handle per view): one reference per {@link Views.Batch#SIZE} views,
 * and every lifetime rule as before. A view, and any buffer the user makes from it, keeps the range
 * mapped; close limits each view still reachable; an empty slice at a view's end names the
 * region, not whatever is mapped next to it.
 */
class ViewBatchTest {

    private static final MapOptions PRIVATE = MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE);
    /** Views made in each test: the first of a window takes the slow path, the rest fill batches. */
    private static final int VIEWS = 3 * Views.Batch.SIZE + 7;

    @TempDir
    Path dir;

    private static void collect(BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 100 && !done.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(20);
        }
    }

    @Test
    void viewsOfAWindowTakeOneReferencePerBatch() throws Exception {
        try (MappedRegion region = Mmap.anonymousRegion(1 << 20, PRIVATE)) {
            List<ByteBuffer> keep = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                keep.add(region.view(i % 16384 * 64, 64));
            }
            int slots = region.mapping.viewSlots();
            System.out.println("[batches] 100000 views held: " + slots + " references");
            assertTrue(slots <= 100_000 / Views.Batch.SIZE + 3, slots + " references for 100000 views");
            assertEquals(64, keep.get(99_999).capacity());
        }
    }

    /**
     * One view from the middle of a batch, a duplicate of another and a slice of a third are all
     * that is left of the region: the range stays mapped, with its bytes, until they go.
     */
    @Test
    void aBatchedViewOrABufferMadeFromOneKeepsTheRangeMapped() throws Exception {
        MappedRegion region = Mmap.anonymousRegion(16 * Mmap.pageSize(), PRIVATE);
        long address = region.address();
        ByteBuffer kept = null;
        ByteBuffer duplicate = null;
        ByteBuffer slice = null;
        for (int i = 0; i < VIEWS; i++) {
            ByteBuffer v = region.view(i * 64L, 64);
            v.putLong(0, 1000 + i);
            if (i == Views.Batch.SIZE + 5) {
                kept = v;
            } else if (i == 2 * Views.Batch.SIZE + 1) {
                duplicate = v.duplicate();
            } else if (i == VIEWS - 1) {
                ((Buffer) v).position(8);
                slice = v.slice();
            }
        }
        region = null;
        collect(() -> false);
        assertNotNull(Mappings.find(address), "reachable views keep the range mapped");
        assertEquals(1000 + Views.Batch.SIZE + 5, kept.getLong(0));
        assertEquals(1000 + 2 * Views.Batch.SIZE + 1, duplicate.getLong(0));
        assertEquals(56, slice.capacity());
        kept = null;
        slice = null;
        collect(() -> false);
        assertNotNull(Mappings.find(address), "a duplicate of a view alone keeps the range mapped");
        assertEquals(1000 + 2 * Views.Batch.SIZE + 1, duplicate.getLong(0));
        duplicate = null;
        collect(() -> Mappings.find(address) == null);
        assertNull(Mappings.find(address), "reclaimed once nothing reaches it");
    }

    @Test
    void closeLimitsEveryBatchedViewOfAReadOnlyRegion() throws Exception {
        Path file = dir.resolve("ro.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(4 * Mmap.pageSize());
            raf.seek(100);
            raf.write(42);
        }
        MappedRegion region = Mmap.mapRegion(file, 0, 4 * Mmap.pageSize(), MapOptions.of(MapMode.READ_ONLY));
        List<ByteBuffer> views = new ArrayList<>();
        for (int i = 0; i < VIEWS; i++) {
            ByteBuffer v = region.view(100, 8);
            assertTrue(v.isReadOnly(), "view " + i + " of a read-only region is read-only");
            assertThrows(ReadOnlyBufferException.class, () -> v.put(0, (byte) 1));
            assertEquals(42, v.get(0));
            views.add(v);
        }
        ByteBuffer duplicate = views.get(VIEWS / 2).duplicate();
        region.close();
        for (ByteBuffer v : views) {
            assertEquals(0, v.limit(), "close limits every view");
        }
        assertThrows(IllegalStateException.class, () -> region.view(100, 8));
        assertTrue(duplicate.isReadOnly());
        assertEquals(0, duplicate.get(0), "a copy the user made reads the quarantine's zeros");
    }

    @Test
    void anEmptySliceAtABatchedViewsEndNamesItsRegion() throws Exception {
        MappedRegion region = Mmap.anonymousRegion(4 * Mmap.pageSize(), PRIVATE);
        long end = 4 * Mmap.pageSize();
        ByteBuffer last = null;
        for (int i = 0; i < VIEWS; i++) {
            last = region.view(end - 64, 64);
        }
        ByteBuffer d = last.duplicate();
        ((Buffer) d).position(64);
        ByteBuffer empty = d.slice();
        assertEquals(0, empty.capacity());
        assertEquals(region.address() + end, Mmap.address(empty), "its address is the region's end");
        assertTrue(Mmap.isMapped(empty), "found through its batch's window, not by its address");
        region.close();
        assertFalse(Mmap.isMapped(empty), "its region is closed");
    }
}
