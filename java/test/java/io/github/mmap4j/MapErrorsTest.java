/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad arguments fail in Java before any system call; failed system calls name errno, call, arguments, hint. */
class MapErrorsTest {

    @TempDir
    Path dir;

    private Path file(int size) throws IOException {
        Path p = dir.resolve("f" + size + ".bin");
        Files.write(p, new byte[size]);
        return p;
    }

    @Test
    void invalidArgumentsAreRejectedBeforeAnySystemCall() throws Exception {
        Path p = file(4096);
        IllegalArgumentException e;
        e = assertThrows(IllegalArgumentException.class, () -> Mmap.map(p, -1, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertTrue(e.getMessage().contains("offset -1 is negative"), e.getMessage());
        assertEquals(0, Mmap.map(p, 0, 0, MapOptions.of(MapMode.READ_ONLY)).capacity(), "length 0: an empty buffer");
        assertThrows(IllegalArgumentException.class, () -> Mmap.map(p, 0, -5, MapOptions.of(MapMode.READ_ONLY)));
        e = assertThrows(IllegalArgumentException.class, () -> Mmap.map(p, Long.MAX_VALUE - 3, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Mmap.map((Path) null, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertThrows(NullPointerException.class, () -> Mmap.map(p, (MapMode) null));
        assertThrows(NullPointerException.class, () -> Mmap.map(p, 0, 10, null));
        assertThrows(NullPointerException.class, () -> Mmap.map((FileChannel) null, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertThrows(NullPointerException.class, () -> Mmap.map((FileDescriptor) null, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertThrows(IllegalArgumentException.class, () -> Mmap.anonymous(-1, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE)));
        assertThrows(IllegalArgumentException.class, () -> MapOptions.of(MapMode.READ_WRITE).permissions(01000));
        assertThrows(IllegalArgumentException.class, () -> Mmap.map(dir.resolve("a\0b"), 0, 1, MapOptions.of(MapMode.READ_ONLY)));
    }

    @Test
    void readOnlyChannelMappedForWriteIsEacces() throws Exception {
        Path p = file(4096);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            MmapException e = assertThrows(MmapException.class, () -> Mmap.map(ch, 0, 4096, MapOptions.of(MapMode.READ_WRITE)));
            assertEquals("EACCES", e.errnoName());
            assertEquals("mmap", e.call());
            assertTrue(e.errno() > 0);
            assertTrue(e.hint().contains("open it read-write"), e.hint());
            assertTrue(e.getMessage().startsWith("mmap failed: EACCES (Permission denied) [channel fd="),
                    e.getMessage());
            assertTrue(e.getMessage().contains("length=4096"), e.getMessage());
        }
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r")) {
            assertEquals("EACCES", assertThrows(MmapException.class,
                    () -> Mmap.map(raf.getChannel(), 0, 10, MapOptions.of(MapMode.READ_WRITE))).errnoName());
            // A private writable mapping of a read-only file is fine: writes never reach it.
            ByteBuffer priv = Mmap.map(raf.getChannel(), 0, 10, MapOptions.of(MapMode.PRIVATE));
            priv.put(0, (byte) 1);
            Mmap.unmap(priv);
        }
    }

    @Test
    void rangePastTheEndOfTheFileIsEnxio() throws Exception {
        Path p = file(1000);
        MmapException e = assertThrows(MmapException.class, () -> Mmap.map(p, 900, 200, MapOptions.of(MapMode.READ_ONLY)));
        assertEquals("ENXIO", e.errnoName());
        assertTrue(e.hint().contains("ends at byte 1100 but the file has 1000 bytes"), e.hint());
        assertEquals("ENXIO", assertThrows(MmapException.class,
                () -> Mmap.map(p, 5000, 1, MapOptions.of(MapMode.READ_ONLY))).errnoName());
    }

    @Test
    void missingFileIsEnoent() {
        MmapException e = assertThrows(MmapException.class,
                () -> Mmap.map(dir.resolve("missing"), 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertEquals("ENOENT", e.errnoName());
        assertEquals("open", e.call());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertTrue(e.hint().contains("createOrGrow"), e.hint());
    }

    @Test
    void directoriesCannotBeMapped() {
        MmapException ro = assertThrows(MmapException.class, () -> Mmap.map(dir, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        // open(O_RDONLY) of a directory works, so the size check or mmap refuses it.
        assertTrue(ro.errnoName().equals("ENODEV") || ro.errnoName().equals("ENXIO")
                || ro.errnoName().equals("EISDIR"), ro.getMessage());
        MmapException rw = assertThrows(MmapException.class, () -> Mmap.map(dir, 0, 10, MapOptions.of(MapMode.READ_WRITE)));
        assertEquals("EISDIR", rw.errnoName());
        assertTrue(rw.hint().contains("directories"), rw.hint());
    }

    @Test
    void closedChannelsAndDescriptorsAreReported() throws Exception {
        Path p = file(4096);
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        ch.close();
        assertThrows(ClosedChannelException.class, () -> Mmap.map(ch, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r");
        FileDescriptor fd = raf.getFD();
        raf.close();
        assertThrows(ClosedChannelException.class, () -> Mmap.map(fd, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertThrows(ClosedChannelException.class, () -> Mmap.map(raf.getChannel(), 0, 10, MapOptions.of(MapMode.READ_ONLY)));
    }

    @Test
    void heapBuffersAreRejectedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mmap.force(ByteBuffer.allocate(10)));
        assertTrue(e.getMessage().contains("needs a direct ByteBuffer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mmap.address(ByteBuffer.allocate(1)));
    }

    @Test
    void rangesOutsideTheRegionAreRejected() throws Exception {
        try (MappedRegion region = Mmap.anonymousRegion(100, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE))) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> region.force(50, 51, SyncMode.SYNC));
            assertTrue(e.getMessage().contains("offset=50 length=51"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> region.advise(-1, 10, Advice.NORMAL));
            assertThrows(IndexOutOfBoundsException.class, () -> region.residency(0, Long.MAX_VALUE));
        }
    }

    @Test
    void foreignBuffersNeedPageAlignedRangesForProtect() {
        ByteBuffer direct = ByteBuffer.allocateDirect(3 * (int) Mmap.pageSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mmap.protect(TestBuffers.slice(direct, 1, 10), Protection.READ));
        assertTrue(e.getMessage().contains("page boundaries"), e.getMessage());
    }

    @Test
    void kernelRefusalsCarryErrnoAndHint() throws Exception {
        // MADV_REMOVE needs shared memory: the kernel refuses it on a private mapping.
        ByteBuffer buf = Mmap.anonymous((int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        MmapException e = assertThrows(MmapException.class, () -> Mmap.advise(buf, Advice.REMOVE));
        assertEquals("EINVAL", e.errnoName());
        assertTrue(e.call().startsWith("madvise(REMOVE)"), e.call());
        assertTrue(e.getMessage().contains("anonymous"), e.getMessage());
        assertTrue(e.hint().contains("advice"), e.hint());
        Mmap.unmap(buf);
    }
}
