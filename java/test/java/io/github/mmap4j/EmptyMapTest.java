/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Length 0 is an empty buffer (or region), as {@code FileChannel.map} gives one (issue 26, item 2):
 * {@code mmap(2)} refuses length 0, so nothing is mapped; the buffer has capacity 0 and address 0
 * (the JDK's too), {@code unmap} accepts it, {@code isMapped} says {@code false} (no mapping holds
 * it), the range calls do nothing, and it never resolves to another mapping.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmptyMapTest {

    @TempDir
    Path dir;

    private final int page = (int) Mmap.pageSize();

    /** What every empty buffer does; {@code other} is an open mapping nothing here may touch. */
    private void assertEmptyBuffer(ByteBuffer empty, ByteBuffer other) throws Exception {
        assertEquals(0, empty.capacity());
        assertEquals(0, empty.limit());
        assertTrue(empty.isDirect());
        assertEquals(0, Mmap.address(empty), "nothing is mapped: address 0, as FileChannel.map's empty buffer");
        assertFalse(Mmap.isMapped(empty), "no mapping holds it");
        assertFalse(Mmap.isTruncated(empty), "nothing is mapped, so nothing can be past a file's end");
        Mmap.force(empty);
        Mmap.advise(empty, Advice.WILLNEED);
        Mmap.advise(empty, Advice.DONTNEED);
        assertEquals(0, Mmap.residency(empty).pages());
        assertTrue(Mmap.residency(empty).isLoaded());
        Mmap.lock(empty);
        Mmap.unlock(empty);
        Mmap.protect(empty, Protection.READ);
        assertThrows(IndexOutOfBoundsException.class, () -> Atomics.getIntVolatile(empty, 0));
        Mmap.unmap(empty);
        Mmap.unmap(empty); // twice, as for any buffer
        Mmap.unmap(empty.duplicate());
        assertTrue(Mmap.isMapped(other), "unmapping an empty buffer closes nothing else");
        assertEquals(other.capacity(), other.limit());
    }

    private ByteBuffer other() throws Exception {
        return Mmap.anonymous(page, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
    }

    @Test
    void emptyFileWholeAndByRange() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.bin"));
        ByteBuffer other = other();
        ByteBuffer ro = Mmap.map(empty, MapMode.READ_ONLY);
        assertTrue(ro.isReadOnly(), "read-only as the mode says");
        assertEmptyBuffer(ro, other);
        ByteBuffer rw = Mmap.map(empty, MapMode.READ_WRITE);
        assertFalse(rw.isReadOnly());
        assertEmptyBuffer(rw, other);
        assertEmptyBuffer(Mmap.map(empty, 0, 0, MapOptions.of(MapMode.READ_WRITE)), other);
        Mmap.unmap(other);
    }

    @Test
    void zeroLengthOfAFileByPathChannelAndDescriptor() throws Exception {
        Path file = dir.resolve("page.bin");
        Files.write(file, new byte[page]);
        ByteBuffer other = other();
        MapOptions ro = MapOptions.of(MapMode.READ_ONLY);
        assertEmptyBuffer(Mmap.map(file, page, 0, ro), other);
        assertEmptyBuffer(Mmap.map(file, 100, 0, ro), other);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertEmptyBuffer(Mmap.map(ch, 0, 0, ro), other);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            assertEmptyBuffer(Mmap.map(raf.getFD(), page, 0, ro), other);
        }
        MmapException e = assertThrows(MmapException.class, () -> Mmap.map(file, page + 1, 0, ro));
        assertEquals("ENXIO", e.errnoName(), "an empty range past the end is past the end, as any range");
        Mmap.unmap(other);
    }

    @Test
    void createOrGrowWithZeroLengthCreatesTheFile() throws Exception {
        Path file = dir.resolve("created.bin");
        ByteBuffer other = other();
        assertEmptyBuffer(Mmap.map(file, 0, 0, MapOptions.of(MapMode.READ_WRITE).createOrGrow()), other);
        assertTrue(Files.exists(file));
        assertEquals(0, Files.size(file));
        Mmap.unmap(other);
    }

    @Test
    void anonymousAndSharedMemory() throws Exception {
        ByteBuffer other = other();
        assertEmptyBuffer(Mmap.anonymous(0, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE)), other);
        assertEmptyBuffer(Mmap.anonymous(0, MapOptions.of(MapMode.READ_WRITE).flags(MapFlag.HUGETLB)), other);
        String name = "/mmap4j-empty-" + ProcessHandleless.pid();
        try {
            assertEmptyBuffer(SharedMemory.map(name, 0, 0, MapOptions.of(MapMode.READ_WRITE).createOrGrow()), other);
            assertTrue(SharedMemory.exists(name));
            assertEmptyBuffer(SharedMemory.map(name, 0, 0, MapOptions.of(MapMode.READ_ONLY)), other);
        } finally {
            SharedMemory.unlink(name);
        }
        Mmap.unmap(other);
    }

    @Test
    void anEmptyRegionOpensAndCloses() throws Exception {
        Path file = dir.resolve("page.bin");
        Files.write(file, new byte[page]);
        ByteBuffer other = other();
        for (MappedRegion region : new MappedRegion[] {
                Mmap.mapRegion(file, page, 0, MapOptions.of(MapMode.READ_WRITE)),
                Mmap.mapRegion(Files.createFile(dir.resolve("empty.bin")), 0, 0, MapOptions.of(MapMode.READ_ONLY)),
                Mmap.anonymousRegion(0, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE))}) {
            assertEquals(0, region.size());
            assertTrue(region.isOpen());
            ByteBuffer view = region.view(0, 0);
            assertEmptyBufferOfRegion(view);
            assertThrows(IndexOutOfBoundsException.class, () -> region.view(0, 1));
            region.force();
            region.advise(0, 0, Advice.WILLNEED);
            assertEquals(0, region.residency(0, 0).pages());
            region.close();
            assertFalse(region.isOpen());
            assertThrows(IllegalStateException.class, () -> region.view(0, 0));
            assertThrows(IllegalStateException.class, region::force);
            region.close(); // twice: a no-op
            assertTrue(Mmap.isMapped(other));
        }
        Mmap.unmap(other);
    }

    private static void assertEmptyBufferOfRegion(ByteBuffer view) throws Exception {
        assertEquals(0, view.capacity());
        assertEquals(0, Mmap.address(view));
        Mmap.force(view);
        Mmap.unmap(view); // accepted; an empty view maps nothing, so nothing is closed
    }

    /** Java 8 has no ProcessHandle: the pid from /proc/self. */
    static final class ProcessHandleless {
        static String pid() {
            try {
                return Files.readSymbolicLink(java.nio.file.Paths.get("/proc/self")).toString();
            } catch (java.io.IOException e) {
                return Long.toString(System.nanoTime());
            }
        }
    }
}
