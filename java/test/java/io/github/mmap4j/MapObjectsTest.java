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

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one map makes (issue 27: 451 bytes a map+unmap cycle before, 268 after): a read-only
 * map is one buffer object, and a mapping handed out as a buffer watches that buffer itself,
 * without a watch object of its own; neither may weaken a lifetime guarantee.
 */
class MapObjectsTest {

    @TempDir
    Path dir;

    @Test
    void aReadOnlyMapIsOneReadOnlyBufferWithNothingBehindIt() throws Exception {
        Path file = dir.resolve("ro.bin");
        Files.write(file, new byte[] {1, 2, 3, 4});
        for (ByteBuffer buffer : new ByteBuffer[] {
                Mmap.map(file, MapMode.READ_ONLY),
                Mmap.map(file, 1, 2, MapOptions.of(MapMode.READ_ONLY))}) {
            assertTrue(buffer.isReadOnly());
            // Not a read-only view of a writable buffer: nothing a caller could reach to write through.
            assertNull(Native.attachment(buffer), "made in one object, no buffer behind it");
            assertThrows(ReadOnlyBufferException.class, () -> buffer.put(0, (byte) 9));
            ByteBuffer view = buffer.duplicate();
            assertEquals(buffer.get(0), view.get(0));
            assertTrue(Mmap.isMapped(view));
            Mmap.unmap(buffer);
            assertEquals(0, buffer.limit(), "limit(0) at close, through the mapping's weak handle");
            assertEquals(0, view.get(0), "a view made before the close reads the quarantine");
        }
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer buffer = Mmap.map(channel, 0, 4, MapOptions.of(MapMode.READ_ONLY));
            assertEquals(3, buffer.get(2));
            assertNull(Native.attachment(buffer));
            Mmap.unmap(buffer);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDroppedBufferIsReclaimedThroughItsMappingsOwnWatch() throws Exception {
        Path file = dir.resolve("dropped.bin");
        Files.write(file, new byte[(int) Mmap.pageSize()]);
        long reclaimed = Mappings.reclaimed();
        for (int i = 0; i < 10; i++) {
            Mmap.map(file, MapMode.READ_ONLY).get(0); // dropped unclosed
        }
        for (int i = 0; i < 200 && Mappings.reclaimed() < reclaimed + 10; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(Mappings.reclaimed() >= reclaimed + 10, "reclaimed " + (Mappings.reclaimed() - reclaimed));
    }

    @Test
    void theDescriptionKeepsTheLengthAskedForOnceRareFieldsAreMade() throws Exception {
        Path file = dir.resolve("described.bin");
        Files.write(file, new byte[2 * (int) Mmap.pageSize()]);
        try (MappedRegion region = Mmap.mapRegion(file, 0, 100, MapOptions.of(MapMode.READ_WRITE))) {
            assertTrue(region.toString().contains("offset=0, length=100,"), region.toString());
            region.view(0, 10);
            region.view(20, 10); // a second view: the region's list of views is made
            assertTrue(region.toString().contains("offset=0, length=100,"), region.toString());
        }
    }

    /** Collects until no mapping is reclaimed for five rounds in a row. */
    private static void settle() throws InterruptedException {
        long last = -1;
        for (int quiet = 0; quiet < 5; ) {
            System.gc();
            Thread.sleep(20);
            Reclaimer.drain();
            long now = Mappings.reclaimed();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMappingDiscardedBeforeItsBufferWasHandedOutIsGivenBackOnce() throws Exception {
        settle(); // what earlier tests dropped is reclaimed first: the count below is this test's
        long page = Platform.pageSize();
        int share = Native.SHARE_PRIVATE | Native.SHARE_ANONYMOUS;
        MapOptions options = MapOptions.of(MapMode.PRIVATE);
        Mapping mapping = Mapper.map(null, 0, page, Native.PROT_READ | Native.PROT_WRITE, share, 0, -1, options,
                true);
        ByteBuffer root = mapping.takeRoot();
        assertNotNull(root);
        Mappings.discard(mapping); // as when handing out fails: the range goes straight back
        long reclaimed = Mappings.reclaimed();
        root = null;
        // New mappings take the address space the discarded one gave back; none may be unmapped
        // when the discarded buffer is collected (the mapping itself stays reachable here).
        List<ByteBuffer> others = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            ByteBuffer other = Mmap.anonymous((int) page, MapOptions.of(MapMode.READ_WRITE));
            other.put(0, (byte) i);
            others.add(other);
        }
        for (int i = 0; i < 30; i++) {
            System.gc();
            Thread.sleep(20);
            Reclaimer.drain();
        }
        assertEquals(reclaimed, Mappings.reclaimed(), "nothing given back twice");
        assertEquals(1, mapping.tracked(), "its own watch, enqueued, changed nothing");
        assertEquals(Mapping.RECLAIMED, mapping.phase);
        for (int i = 0; i < others.size(); i++) {
            assertEquals(i, others.get(i).get(0), "mapping " + i + " intact");
            Mmap.unmap(others.get(i));
        }
    }

    /**
     * A buffer handed out as the root its mapping watches holds no JNI weak handle (made and
     * deleted per map: 2% of a map+unmap cycle); close finds it through whatever view it is given.
     */
    @Test
    void aMappedBufferNeedsNoHandleAndCloseThroughAnyViewLimitsIt() throws Exception {
        Path file = dir.resolve("views.bin");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String[] kinds = {"itself", "duplicate", "slice", "asReadOnlyBuffer", "slice of a slice of a duplicate"};
        for (MapMode mode : MapMode.values()) {
            for (int anonymous = 0; anonymous < 2; anonymous++) {
                for (String kind : kinds) {
                    String what = mode + (anonymous == 1 ? " anonymous" : " file") + ", closed through " + kind;
                    ByteBuffer buffer = anonymous == 1 ? Mmap.anonymous(8, MapOptions.of(mode))
                            : Mmap.map(file, 0, 8, MapOptions.of(mode));
                    Mapping mapping = Maps.owner("test", buffer);
                    assertTrue(mapping.remembersOnlyItsRoot(), what + ": no handle");
                    ByteBuffer view = kind.equals("itself") ? buffer
                            : kind.equals("duplicate") ? buffer.duplicate()
                            : kind.equals("slice") ? buffer.slice()
                            : kind.equals("asReadOnlyBuffer") ? buffer.asReadOnlyBuffer()
                            : ((ByteBuffer) ((ByteBuffer) buffer.duplicate().position(1)).slice().position(2)).slice();
                    int viewLimit = view.limit();
                    Mmap.unmap(view);
                    assertFalse(Mmap.isMapped(buffer), what);
                    assertEquals(0, buffer.limit(), what + ": the buffer map returned gets limit(0)");
                    if (view != buffer) {
                        assertEquals(viewLimit, view.limit(), what + ": a view keeps its limit (and reads zeros)");
                        assertEquals(0, view.get(0), what);
                    }
                    Mmap.unmap(buffer); // twice: nothing happens
                }
            }
        }
    }
}
