/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** msync in every argument form of the seeds; the file is read back with plain I/O. */
class SyncTest {

    @TempDir
    Path dir;

    private interface SyncForm {
        void sync(ByteBuffer buf, int offset, int length) throws Exception;
    }

    private static byte readWithPlainIo(Path p, long offset) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r")) {
            raf.seek(offset);
            return raf.readByte();
        }
    }

    @Test
    void everySeedFormWritesTheBytesToTheFile() throws Exception {
        long page = Mmap.pageSize();
        Path p = dir.resolve("sync.bin");
        Files.write(p, new byte[(int) (4 * page)]);
        ByteBuffer buf = Mmap.map(p, 0, (int) (4 * page), MapOptions.of(MapMode.READ_WRITE));
        SyncForm[] forms = {
            (b, o, l) -> Mmap.force(b),                                   // sync(buf)
            (b, o, l) -> Mmap.force(b),                             // sync(buf, blocking)
            (b, o, l) -> Mmap.force(b, SyncMode.ASYNC),
            (b, o, l) -> Mmap.force(b, SyncMode.SYNC_INVALIDATE),                       // sync(buf, blocking, invalidate)
            (b, o, l) -> Mmap.force(TestBuffers.slice(b, o, l), SyncMode.SYNC),                             // sync(buf, offset, length)
            (b, o, l) -> Mmap.force(TestBuffers.slice(b, o, l), SyncMode.SYNC),                       // sync(buf, offset, length, blocking)
            (b, o, l) -> Mmap.force(TestBuffers.slice(b, o, l), SyncMode.ASYNC),
            (b, o, l) -> Mmap.force(TestBuffers.slice(b, o, l), SyncMode.SYNC),                // the full mmap-io form
            (b, o, l) -> Mmap.force(TestBuffers.slice(b, o, l), SyncMode.ASYNC_INVALIDATE),
            (b, o, l) -> Mmap.force(b, SyncMode.ASYNC_INVALIDATE), // mmap 0.10's flags
            (b, o, l) -> Mmap.force(TestBuffers.slice(b, o, l), SyncMode.SYNC_INVALIDATE),
        };
        for (int i = 0; i < forms.length; i++) {
            int offset = (int) (i % 4 * page) + 7 + i;
            buf.put(offset, (byte) (i + 1));
            forms[i].sync(buf, offset, 1);
            assertEquals(i + 1, readWithPlainIo(p, offset), "form " + i);
        }
        Mmap.unmap(buf);
    }

    @Test
    void aPrivateMappingsWritesNeverReachTheFileEvenWhenSynced() throws Exception {
        long page = Mmap.pageSize();
        Path p = dir.resolve("private.bin");
        byte[] original = new byte[(int) (2 * page)];
        Arrays.fill(original, (byte) 'o');
        Files.write(p, original);
        ByteBuffer buf = Mmap.map(p, 0, original.length, MapOptions.of(MapMode.PRIVATE));
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 'p');
        }
        Mmap.force(buf);
        Mmap.force(buf, SyncMode.ASYNC);
        Mmap.unmap(buf);
        assertEquals(Arrays.toString(original), Arrays.toString(Files.readAllBytes(p)));
    }

    @Test
    void aRangePastTheRegionIsRefused() throws Exception {
        try (MappedRegion region = Mmap.anonymousRegion(100, MapOptions.of(MapMode.READ_WRITE))) {
            assertThrows(IndexOutOfBoundsException.class, () -> region.force(50, 51, SyncMode.SYNC));
        }
    }
}
