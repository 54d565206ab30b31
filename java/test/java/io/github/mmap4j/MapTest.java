/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core: map files from every kind of source, read and write real bytes, unmap. */
class MapTest {

    @TempDir
    Path dir;

    private Path file(String name, int size) throws IOException {
        Path p = dir.resolve(name);
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void pageSizeIsTheSystemsPowerOfTwo() throws Exception {
        long page = Mmap.pageSize();
        assertTrue(page >= 4096 && Long.bitCount(page) == 1, "page size " + page);
        Process getconf = new ProcessBuilder("getconf", "PAGESIZE").start();
        String expected = new String(readAll(getconf.getInputStream()), StandardCharsets.US_ASCII).trim();
        assertEquals(Long.parseLong(expected), page);
    }

    @Test
    void sharedWriteReachesTheFile() throws Exception {
        Path p = file("shared.bin", 10_000);
        ByteBuffer buf = Mmap.map(p, 0, 10_000, MapOptions.of(MapMode.READ_WRITE));
        buf.put(5000, (byte) 0x5a).putLong(16, 0x0102030405060708L);
        byte[] seen = readAll(new FileInputStream(p.toFile()));
        assertEquals(0x5a, seen[5000]);
        assertEquals(0x01, seen[16]);
        assertEquals(0x08, seen[23]);
        Mmap.unmap(buf);
        assertEquals(0x5a, Files.readAllBytes(p)[5000], "after unmap the bytes stay in the file");
    }

    @Test
    void privateWriteNeverReachesTheFile() throws Exception {
        Path p = file("private.bin", 8192);
        byte before = Files.readAllBytes(p)[100];
        ByteBuffer buf = Mmap.map(p, 0, 8192, MapOptions.of(MapMode.PRIVATE));
        buf.put(100, (byte) (before + 1));
        assertEquals((byte) (before + 1), buf.get(100));
        Mmap.force(buf);
        Mmap.unmap(buf);
        assertEquals(before, Files.readAllBytes(p)[100]);
    }

    @Test
    void readOnlyFileMapsReadOnly() throws Exception {
        Path p = file("ro.bin", 4096);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--r--"));
        byte[] expected = Files.readAllBytes(p);
        ByteBuffer buf = Mmap.map(p, MapMode.READ_ONLY);
        assertTrue(buf.isReadOnly());
        byte[] got = new byte[4096];
        buf.get(got);
        assertArrayEquals(expected, got);
        assertThrows(ReadOnlyBufferException.class, () -> buf.put(0, (byte) 1));
        Mmap.unmap(buf);
    }

    @Test
    void unalignedOffsetsStartAtTheRequestedByte() throws Exception {
        int size = 5 * (int) Mmap.pageSize() + 123;
        Path p = file("unaligned.bin", size);
        byte[] all = Files.readAllBytes(p);
        for (long offset : new long[] {1, 4095, 4097, Mmap.pageSize() * 2 + 17, size - 1}) {
            int length = (int) Math.min(3000, size - offset);
            ByteBuffer buf = Mmap.map(p, offset, length, MapOptions.of(MapMode.READ_ONLY));
            assertEquals(length, buf.capacity());
            for (int i = 0; i < length; i++) {
                if (buf.get(i) != all[(int) offset + i]) {
                    throw new AssertionError("offset " + offset + " byte " + i);
                }
            }
            Mmap.unmap(buf);
        }
    }

    @Test
    void everySourceKindMapsTheSameBytes() throws Exception {
        Path p = file("sources.bin", 20_000);
        byte[] all = Files.readAllBytes(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
             RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r");
             FileInputStream in = new FileInputStream(p.toFile())) {
            ByteBuffer[] bufs = {
                Mmap.map(p, 7, 100, MapOptions.of(MapMode.READ_ONLY)),
                Mmap.map(p.toFile().toPath(), 7, 100, MapOptions.of(MapMode.READ_ONLY)),
                Mmap.map(ch, 7, 100, MapOptions.of(MapMode.READ_ONLY)),
                Mmap.map(raf.getChannel(), 7, 100, MapOptions.of(MapMode.READ_ONLY)),
                Mmap.map(raf.getChannel(), 7, 100, MapOptions.of(MapMode.READ_ONLY)),
                Mmap.map(in.getFD(), 7, 100, MapOptions.of(MapMode.READ_ONLY)),
                Mmap.map(in.getChannel(), 7, 100, MapOptions.of(MapMode.READ_ONLY)),
            };
            for (ByteBuffer b : bufs) {
                byte[] got = new byte[100];
                b.get(got);
                assertArrayEquals(java.util.Arrays.copyOfRange(all, 7, 107), got);
                Mmap.unmap(b);
            }
        }
    }

    @Test
    void channelMayBeClosedRightAfterMapping() throws Exception {
        Path p = file("closed-after.bin", 4096);
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            buf = Mmap.map(ch, 0, 4096, MapOptions.of(MapMode.READ_WRITE));
        }
        buf.put(0, (byte) 42);
        Mmap.force(buf);
        assertEquals(42, Files.readAllBytes(p)[0]);
        Mmap.unmap(buf);
    }

    @Test
    void mapByNameCreatesAndGrowsTheFileWithMode0600() throws Exception {
        Path p = dir.resolve("created.bin");
        ByteBuffer buf = Mmap.map(p, 100, 1000, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        assertEquals(1100, Files.size(p));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        buf.put(0, (byte) 7);
        Mmap.unmap(buf);
        assertEquals(7, Files.readAllBytes(p)[100]);
        ByteBuffer grown = Mmap.map(p, 5000, 10, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        assertEquals(5010, Files.size(p));
        assertEquals(7, Files.readAllBytes(p)[100], "growing keeps the data");
        Mmap.unmap(grown);
        ByteBuffer smaller = Mmap.map(p, 0, 10, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        assertEquals(5010, Files.size(p), "never shrinks");
        Mmap.unmap(smaller);
        Path custom = dir.resolve("custom-mode.bin");
        Mmap.unmap(Mmap.map(custom, 0, 10, MapOptions.of(MapMode.READ_WRITE).createOrGrow().permissions(0640)));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(custom)));
    }

    @Test
    void anonymousMemoryIsZeroedAndWritable() throws Exception {
        ByteBuffer buf = Mmap.anonymous(1 << 20, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        assertEquals(0, buf.getLong(12345));
        buf.putLong(12345, -1L);
        assertEquals(-1L, buf.getLong(12345));
        Mmap.unmap(buf);
    }

    @Test
    void unmapLimitsTheBufferAndIsIdempotent() throws Exception {
        Path p = file("unmap.bin", 4096);
        ByteBuffer buf = Mmap.map(p, 0, 4096, MapOptions.of(MapMode.READ_WRITE));
        assertTrue(Mmap.isMapped(buf));
        Mmap.unmap(buf);
        assertFalse(Mmap.isMapped(buf));
        assertEquals(0, buf.limit());
        assertThrows(IndexOutOfBoundsException.class, () -> buf.get(0));
        Mmap.unmap(buf);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Mmap.force(buf));
        assertTrue(e.getMessage().contains("closed mapping"), e.getMessage());
        // The file is released at once: it can be truncated and deleted.
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        Files.delete(p);
    }

    @Test
    void foreignBuffersCannotBeUnmapped() {
        assertThrows(IllegalArgumentException.class, () -> Mmap.unmap(ByteBuffer.allocateDirect(16)));
        assertThrows(IllegalArgumentException.class, () -> Mmap.unmap(ByteBuffer.allocate(16)));
        assertThrows(NullPointerException.class, () -> Mmap.unmap(null));
    }

    @Test
    void addressIsTheFirstByte() throws Exception {
        Path p = file("addr.bin", 8192);
        ByteBuffer buf = Mmap.map(p, 10, 100, MapOptions.of(MapMode.READ_ONLY));
        long address = Mmap.address(buf);
        assertEquals(10, address % Mmap.pageSize());
        ByteBuffer slice = ((ByteBuffer) buf.position(5)).slice();
        assertEquals(address + 5, Mmap.address(slice));
        Mmap.unmap(buf);
    }

    static byte[] readAll(java.io.InputStream in) throws IOException {
        try (java.io.InputStream s = in) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            while ((n = s.read(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
    }

}
