/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mmap4j.internal.Jdk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomics on every kind of direct buffer, in one JVM; the two-process tests are in {@link IpcTest}. */
class AtomicsTest {

    @TempDir
    Path dir;

    /** Every operation, int and long, on one buffer; checked through plain native-order reads. */
    private static void everyOperation(ByteBuffer b) {
        ByteBuffer plain = b.duplicate().order(ByteOrder.nativeOrder());
        Atomics.setIntVolatile(b, 8, 7);
        assertEquals(7, Atomics.getIntVolatile(b, 8));
        assertEquals(7, plain.getInt(8));
        Atomics.setIntRelease(b, 8, 8);
        assertEquals(8, plain.getInt(8));
        assertTrue(Atomics.compareAndSetInt(b, 8, 8, 9));
        assertFalse(Atomics.compareAndSetInt(b, 8, 8, 10));
        assertEquals(9, Atomics.getAndAddInt(b, 8, 5));
        assertEquals(14, Atomics.getAndSetInt(b, 8, -1));
        assertEquals(-1, Atomics.getAndAddInt(b, 8, 1));
        assertEquals(0, plain.getInt(8));
        Atomics.setIntVolatile(b, 12, 0);
        assertEquals(0, Atomics.getAndAddInt(b, 12, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, Atomics.getAndAddInt(b, 12, 1));
        assertEquals(Integer.MIN_VALUE, plain.getInt(12), "wraps around");

        Atomics.setLongVolatile(b, 16, 1L << 40);
        assertEquals(1L << 40, Atomics.getLongVolatile(b, 16));
        assertEquals(1L << 40, plain.getLong(16));
        Atomics.setLongRelease(b, 16, 3);
        assertEquals(3, plain.getLong(16));
        assertTrue(Atomics.compareAndSetLong(b, 16, 3, Long.MIN_VALUE));
        assertFalse(Atomics.compareAndSetLong(b, 16, 3, 4));
        assertEquals(Long.MIN_VALUE, Atomics.getAndAddLong(b, 16, -1));
        assertEquals(Long.MAX_VALUE, Atomics.getAndSetLong(b, 16, 42));
        assertEquals(42, plain.getLong(16));
    }

    @Test
    void everyOperationOnAllocateDirect() {
        everyOperation(ByteBuffer.allocateDirect(64));
    }

    @Test
    void everyOperationOnTheJdksMappedByteBuffer() throws Exception {
        Path file = dir.resolve("jdk.bin");
        Files.write(file, new byte[4096]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            everyOperation(ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096));
        }
    }

    @Test
    void everyOperationOnMmap4jMappingsAndViews() throws Exception {
        Path file = dir.resolve("mmap4j.bin");
        ByteBuffer mapped = Mmap.map(file, 0, 4096, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        everyOperation(mapped);
        everyOperation(mapped.duplicate());
        MappedRegion region = Mmap.mapRegion(file, 0, Files.size(file), MapOptions.of(MapMode.READ_WRITE));
        everyOperation(region.view(1024, 64));
        region.close();
        Mmap.unmap(mapped);
        ByteBuffer anonymous = Mmap.anonymous(4096, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
        everyOperation(anonymous);
        Mmap.unmap(anonymous);
    }

    @Test
    void indicesCountFromTheBuffersStartWhateverItsPositionOrOrder() {
        ByteBuffer b = ByteBuffer.allocateDirect(64).order(ByteOrder.BIG_ENDIAN);
        b.position(20);
        Atomics.setIntVolatile(b, 0, 0x01020304);
        assertEquals(0x01020304, b.duplicate().order(ByteOrder.nativeOrder()).getInt(0), "native byte order");
        b.position(0);
        ByteBuffer slice = ((ByteBuffer) b.position(8)).slice();
        Atomics.setLongVolatile(slice, 8, 99);
        assertEquals(99, Atomics.getLongVolatile(b, 16), "a slice's index 0 is its first byte");
    }

    @Test
    void theLimitBoundsTheWord() {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        b.limit(16);
        Atomics.setIntVolatile(b, 12, 1);
        Atomics.setLongVolatile(b, 8, 1);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Atomics.getLongVolatile(b, 16));
        assertTrue(e.getMessage().contains("index=16 size=8 limit=16"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Atomics.getIntVolatile(b, -4));
        assertThrows(IndexOutOfBoundsException.class, () -> Atomics.getIntVolatile(b, Integer.MAX_VALUE - 3));
    }

    @Test
    void aMisalignedAddressIsNamed() {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        ByteBuffer shifted = ((ByteBuffer) b.position(4)).slice();
        Atomics.setIntVolatile(shifted, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Atomics.getAndAddLong(shifted, 8, 1));
        String address = "0x" + Long.toHexString(Mmap.address(shifted) + 8);
        assertTrue(e.getMessage().contains(address), e.getMessage() + " names " + address);
        assertThrows(IllegalArgumentException.class, () -> Atomics.compareAndSetInt(b, 2, 0, 1));
    }

    @Test
    void writesToReadOnlyBuffersAreRefusedAndReadsAllowed() throws Exception {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        Atomics.setIntVolatile(b, 0, 5);
        ByteBuffer ro = b.asReadOnlyBuffer();
        assertEquals(5, Atomics.getIntVolatile(ro, 0));
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> Atomics.getAndAddInt(ro, 0, 1));
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> Atomics.setLongRelease(ro, 8, 1));
        Path file = dir.resolve("ro.bin");
        Files.write(file, new byte[4096]);
        ByteBuffer mappedReadOnly = Mmap.map(file, MapMode.READ_ONLY);
        assertEquals(0, Atomics.getLongVolatile(mappedReadOnly, 0));
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> Atomics.compareAndSetLong(mappedReadOnly, 0, 0, 1));
        Mmap.unmap(mappedReadOnly);
    }

    @Test
    void aClosedMappingIsRefusedThroughEveryView() throws Exception {
        ByteBuffer b = Mmap.anonymous(4096, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
        ByteBuffer seenBefore = b.duplicate();
        Atomics.setIntVolatile(seenBefore, 0, 1); // the check remembers this view
        ByteBuffer neverSeen = b.duplicate();
        Mmap.unmap(b);
        for (ByteBuffer view : new ByteBuffer[] {b, seenBefore, neverSeen}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Atomics.getIntVolatile(view, 0));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Atomics.getAndAddLong(view, 8, 1));
        }
    }

    @Test
    void threadsCountExactly() throws Exception {
        ByteBuffer b = Mmap.anonymous(4096, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
        int threads = 4;
        int each = 200_000;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        Atomics.getAndAddLong(b, 0, 1);
                        int v;
                        do {
                            v = Atomics.getIntVolatile(b, 64);
                        } while (!Atomics.compareAndSetInt(b, 64, v, v + 1));
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
        assertEquals((long) threads * each, Atomics.getLongVolatile(b, 0));
        assertEquals(threads * each, Atomics.getIntVolatile(b, 64));
        Mmap.unmap(b);
    }

    /** A JVM that only uses Atomics on allocateDirect: prints whether libmmap4j got loaded. */
    public static final class Quiet {
        public static void main(String[] args) throws Exception {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < 100_000; i++) {
                Atomics.getAndAddLong(b, 0, 1);
                Atomics.compareAndSetInt(b, 8, i, i + 1);
            }
            Path maps = java.nio.file.Paths.get("/proc/self/maps");
            boolean loaded = Files.exists(maps) && new String(Files.readAllBytes(maps), "UTF-8").contains("libmmap4j");
            System.out.println("sum=" + Atomics.getLongVolatile(b, 0) + " library=" + loaded);
            try {
                Atomics.getIntVolatile(b, 2);
            } catch (IllegalArgumentException expected) {
                // The message names the address: through FFM on JDK 22+, the library before (no warnings there).
                System.out.println(expected.getMessage().contains("address 0x") ? "address named" : expected);
            }
        }
    }

    @Test
    void atomicsPrintNoWarningAndNeedNoNativeLibraryOnThisJdk() throws Exception {
        List<String> options = new ArrayList<>();
        if (Jdk.major() >= 23) {
            // Any use of sun.misc.Unsafe's memory access would now throw.
            options.add("--sun-misc-unsafe-memory-access=deny");
        }
        ChildProcess.Result r = ChildProcess.jvm(Quiet.class).in(dir).options(options).timeout(60).run();
        assertEquals(0, r.exit, r.toString());
        assertEquals("", r.err.trim(), "nothing on stderr (no Unsafe or native-access warning):\n" + r);
        assertEquals("sum=100000 library=false\naddress named", r.out.trim(), r.toString());
    }
}
