/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No lookup resolves a view to a mapping it does not belong to. Two mmap4j mappings are made
 * adjacent on purpose (the kernel places consecutive mappings next to each other; the test maps
 * pairs until one pair touches): a zero-capacity view at the end of the lower one has the upper
 * one's start as its address, and {@code unmap}, {@code isMapped}, {@code force} and
 * {@code Atomics} must still answer for the lower one (issue 25, item 3).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LookupTest {

    @TempDir
    Path dir;

    private final long page = Mmap.pageSize();
    /** The mapping whose end is {@link #upper}'s start. */
    private ByteBuffer lower;
    private ByteBuffer upper;
    private Path lowerFile;
    private Path upperFile;
    private final List<ByteBuffer> spare = new ArrayList<>();

    @BeforeEach
    void adjacentMappings() throws Exception {
        lowerFile = dir.resolve("lower.bin");
        upperFile = dir.resolve("upper.bin");
        Files.write(lowerFile, new byte[(int) page]);
        Files.write(upperFile, new byte[(int) page]);
        MapOptions rw = MapOptions.of(MapMode.READ_WRITE);
        for (int i = 0; i < 200 && lower == null; i++) {
            ByteBuffer a = Mmap.map(upperFile, 0, (int) page, rw);
            ByteBuffer b = Mmap.map(lowerFile, 0, (int) page, rw);
            if (Mmap.address(b) + page == Mmap.address(a)) {
                upper = a;
                lower = b;
            } else if (Mmap.address(a) + page == Mmap.address(b)) {
                upper = b;
                lower = a;
                Path swap = lowerFile;
                lowerFile = upperFile;
                upperFile = swap;
            } else {
                spare.add(a);
                spare.add(b);
            }
        }
        assumeTrue(lower != null, "the kernel placed no two consecutive mappings next to each other");
        lower.put(0, (byte) 'L');
        upper.put(0, (byte) 'U');
    }

    @AfterEach
    void unmapAll() throws Exception {
        for (ByteBuffer b : spare) {
            Mmap.unmap(b);
        }
        if (lower != null) {
            Mmap.unmap(lower);
            Mmap.unmap(upper);
        }
    }

    /** {@code buf} read to its end, then sliced: capacity 0, address = the end of {@code buf}. */
    private static ByteBuffer emptySliceAtEnd(ByteBuffer buf) {
        ByteBuffer d = buf.duplicate();
        ((Buffer) d).position(d.capacity());
        return d.slice();
    }

    private void assertUpperUntouched() throws Exception {
        assertTrue(Mmap.isMapped(upper), "the upper mapping is still open");
        assertEquals(page, upper.limit(), "the upper mapping's buffer keeps its limit");
        upper.put(1, (byte) 'u');
        Mmap.force(upper);
        byte[] bytes = Files.readAllBytes(upperFile);
        assertEquals('U', bytes[0]);
        assertEquals('u', bytes[1], "a write to the upper mapping reaches its file");
    }

    @Test
    void unmapOfAnEmptySliceAtTheEndClosesItsOwnMappingNotTheNext() throws Exception {
        ByteBuffer slice = emptySliceAtEnd(lower);
        assertEquals(0, slice.capacity());
        assertEquals(Mmap.address(upper), Mmap.address(slice), "the slice's address is the neighbour's start");
        Mmap.unmap(slice);
        assertFalse(Mmap.isMapped(lower), "the slice's own mapping is closed");
        assertEquals(0, lower.limit());
        assertUpperUntouched();
    }

    @Test
    void viewsOfViewsAtTheEndResolveThroughTheirRoot() throws Exception {
        // JDK 8 chains attachments (a slice points at its parent); JDK 9+ points at the root.
        ByteBuffer chained = emptySliceAtEnd(lower.asReadOnlyBuffer().duplicate()).duplicate().slice();
        assertEquals(Mmap.address(upper), Mmap.address(chained));
        Mmap.unmap(upper);
        assertTrue(Mmap.isMapped(chained), "the lower mapping is open, whatever happened to its neighbour");
        Mmap.force(chained); // the neighbour's closed state is not the view's
        Mmap.unmap(chained);
        assertFalse(Mmap.isMapped(lower));
        assertEquals(0, lower.limit());
    }

    @Test
    void isMappedAndForceAnswerForTheViewsOwnMapping() throws Exception {
        ByteBuffer slice = emptySliceAtEnd(lower);
        Mmap.unmap(upper);
        assertTrue(Mmap.isMapped(slice), "the slice's mapping is open although the next one is closed");
        Mmap.force(slice);
        Mmap.advise(slice, Advice.WILLNEED);
        assertEquals(0, Mmap.residency(slice).pages());
        assertThrows(IndexOutOfBoundsException.class, () -> Atomics.getAndAddInt(slice, 0, 1),
                "an empty buffer has no word to add to; the neighbour's close is not its business");
    }

    @Test
    void aClosedOwnerIsReportedAndAnOpenNeighbourIsNot() throws Exception {
        ByteBuffer slice = emptySliceAtEnd(lower);
        Mmap.unmap(lower);
        assertFalse(Mmap.isMapped(slice), "the slice's own mapping is closed, though the next one is open");
        assertThrows(IllegalStateException.class, () -> Mmap.force(slice));
        assertUpperUntouched();
    }

    @Test
    void anEmptyRegionViewAtTheEndBelongsToItsRegion() throws Exception {
        // A region placed right below the lower mapping: its end is the lower mapping's start.
        List<MappedRegion> others = new ArrayList<>();
        MappedRegion region = null;
        try {
            for (int i = 0; i < 200 && region == null; i++) {
                MappedRegion r = Mmap.mapRegion(upperFile, 0, page, MapOptions.of(MapMode.READ_WRITE));
                if (r.address() + page == Mmap.address(lower)) {
                    region = r;
                } else {
                    others.add(r);
                }
            }
            assumeTrue(region != null, "the kernel placed no region right below the lower mapping");
            long base = region.address();
            ByteBuffer end = region.view(page, 0);
            assertEquals(base + page, Mmap.address(end), "the view's address is its offset in the region");
            ByteBuffer start = region.view(0, 0);
            assertEquals(base, Mmap.address(start));
            assertTrue(Mmap.isMapped(end));
            Mmap.unmap(end);
            assertFalse(region.isOpen(), "unmap of the region's empty view closes the region");
            assertFalse(Mmap.isMapped(start));
            assertTrue(Mmap.isMapped(lower), "the next mapping is still open");
            assertEquals(page, lower.limit());
        } finally {
            for (MappedRegion r : others) {
                r.close();
            }
            if (region != null) {
                region.close();
            }
        }
    }

    @Test
    void anEmptyBufferMmap4jDidNotMapIsRefused() {
        ByteBuffer direct = ByteBuffer.allocateDirect(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mmap.unmap(direct));
        assertTrue(e.getMessage().contains("unmap"), e.getMessage());
        assertFalse(Mmap.isMapped(direct));
        ByteBuffer notOurs = emptySliceAtEnd(ByteBuffer.allocateDirect(64));
        assertThrows(IllegalArgumentException.class, () -> Mmap.unmap(notOurs));
        assertFalse(Mmap.isMapped(notOurs));
    }
}
