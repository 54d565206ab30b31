/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mmap4j.internal.Jdk;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The range calls on buffers mmap4j did not map: the JDK's MappedByteBuffer, slices, allocateDirect. */
class AnyBufferTest {

    private static final int PAGES = 16;

    @TempDir
    Path dir;

    private MappedByteBuffer jdkMap(Path p) throws Exception {
        Files.write(p, new byte[(int) (PAGES * Mmap.pageSize())]);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, PAGES * Mmap.pageSize());
        }
    }

    @Test
    void theJdksMappedByteBufferAndItsSlices() throws Exception {
        Path p = dir.resolve("jdk.bin");
        MappedByteBuffer mbb = jdkMap(p);
        long page = Mmap.pageSize();
        mbb.put(3, (byte) 33);
        Mmap.force(mbb);
        assertEquals(33, Files.readAllBytes(p)[3]);
        Mmap.advise(mbb, Advice.SEQUENTIAL);
        Mmap.advise(TestBuffers.slice(mbb, 0, page), Advice.WILLNEED);
        mbb.load();
        assertEquals(PAGES, Mmap.residency(mbb).resident(), "after MappedByteBuffer.load(): full");
        Mmap.lock(TestBuffers.slice(mbb, 0, page));
        Mmap.unlock(TestBuffers.slice(mbb, 0, page));

        mbb.position((int) page + 100);
        ByteBuffer slice = mbb.slice();                   // unaligned start
        assertEquals(Mmap.address(mbb) + page + 100, Mmap.address(slice));
        slice.put(0, (byte) 44);
        Mmap.force(TestBuffers.slice(slice, 0, 1), SyncMode.SYNC);                           // rounded out to its page
        assertEquals(44, Files.readAllBytes(p)[(int) page + 100]);
        Residency r = Mmap.residency(TestBuffers.slice(slice, 0, 10));
        assertEquals(1, r.pages());
        assertEquals(1, r.resident());
        Mmap.advise(slice, Advice.RANDOM);
        Mmap.lock(TestBuffers.slice(slice, 0, 10));
        Mmap.unlock(TestBuffers.slice(slice, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> Mmap.protect(slice, Protection.READ),
                "an unaligned foreign range cannot be protected");
        IllegalArgumentException notOurs = assertThrows(IllegalArgumentException.class, () -> Mmap.unmap(mbb));
        assertTrue(notOurs.getMessage().contains("not mapped by mmap4j"), notOurs.getMessage());
    }

    @Test
    void dontneedOnAllocateDirectLeavesBytesOutsideWholePagesIntact() throws Exception {
        long page = Mmap.pageSize();
        ByteBuffer direct = ByteBuffer.allocateDirect((int) (4 * page));
        for (int i = 0; i < direct.capacity(); i++) {
            direct.put(i, (byte) 0x77);
        }
        int from = 1;
        int to = direct.capacity() - 1;
        Mmap.advise(TestBuffers.slice(direct, from, to - from), Advice.DONTNEED);
        long address = Mmap.address(direct);
        long firstWhole = (address + from + page - 1) / page * page;
        long endWhole = (address + to) / page * page;
        int zeros = 0;
        for (int i = 0; i < direct.capacity(); i++) {
            long a = address + i;
            boolean inside = a >= firstWhole && a < endWhole;
            if (!inside) {
                assertEquals(0x77, direct.get(i), "byte " + i + " is outside the whole pages and must survive");
            } else if (direct.get(i) == 0) {
                zeros++;
            }
        }
        assertEquals(endWhole - firstWhole, zeros, "the whole pages inside the range were dropped");
        Mmap.force(TestBuffers.slice(direct, 0, 10), SyncMode.ASYNC);        // harmless calls round outward and work
        assertEquals(0x77, direct.get(0));
        Mmap.residency(direct);
        Mmap.lock(direct);
        Mmap.unlock(direct);
    }

    /**
     * The address is read from {@code Buffer.address} (issue 27: without {@code GetDirectBufferAddress}'s
     * type check): for a buffer made at a known address and every kind of view of it, on every JDK.
     */
    @Test
    void theAddressIsWhereTheBufferWasMadeForEveryKindOfView() throws Exception {
        Path p = dir.resolve("at.bin");
        int page = (int) Mmap.pageSize();
        Files.write(p, new byte[2 * page]);
        ByteBuffer mapped = Mmap.map(p, MapMode.READ_WRITE);
        try {
            long at = Mmap.address(mapped);
            ByteBuffer made = Native.newBuffer(at, 2 * page); // NewDirectByteBuffer at a known address
            ByteBuffer[] views = {made, made.duplicate(), made.asReadOnlyBuffer(), TestBuffers.slice(made, 0, page)};
            for (ByteBuffer view : views) {
                assertEquals(at, Mmap.address(view), view.toString());
            }
            ByteBuffer inner = TestBuffers.slice(made, page + 3, 5);
            assertEquals(at + page + 3, Mmap.address(inner));
            assertEquals(at + page + 4, Mmap.address(TestBuffers.slice(inner.asReadOnlyBuffer(), 1, 2)));
            inner.put(0, (byte) 7);
            assertEquals(7, mapped.get(page + 3), "the address is the mapping's: a write there is in it");
        } finally {
            Mmap.unmap(mapped);
        }
    }

    @Test
    void onJdk8TheAddressIsReadInJavaAndEverywhereItIsTheLibrarysAnswer() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        ByteBuffer[] views = {direct, direct.duplicate(), direct.asReadOnlyBuffer(), TestBuffers.slice(direct, 8, 16),
            TestBuffers.slice(direct.asReadOnlyBuffer(), 3, 0)};
        Platform.ensureLoaded();
        for (ByteBuffer view : views) {
            long library = Native.address(view);
            assertEquals(library, BufferAddress.of(view), view.toString());
            // JDK 8 reads the field in Java: a range call makes one JNI transition, not two (issue 27).
            assertEquals(Jdk.major() == 8 ? library : 0, BufferAddress.inJava(view), view.toString());
        }
    }

    @Test
    void aHeapBufferIsRefusedWithAClearMessage() {
        ByteBuffer heap = ByteBuffer.allocate(4096);
        Executable[] calls = {
            () -> Mmap.advise(heap, Advice.NORMAL),
            () -> Mmap.force(heap),
            () -> Mmap.residency(heap),
            () -> Mmap.lock(heap),
            () -> Mmap.unlock(heap),
            () -> Mmap.protect(heap, Protection.READ),
            () -> Mmap.address(heap),
        };
        for (Executable call : calls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("heap buffer"), e.getMessage());
        }
    }
}
