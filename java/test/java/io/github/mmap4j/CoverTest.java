/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What covers a closed range until it is unmapped: memory that allows every access the range
 * ever allowed. A range nothing could write (mapped without WRITE, never {@code protect}ed) gets
 * private anonymous memory that can only be read; any other range the writable quarantine. The
 * kernel's own view of the range ({@code /proc/self/maps}) is what is checked, with the stale
 * views' behaviour.
 */
class CoverTest {

    @TempDir
    Path dir;

    /** The permission letters ({@code r--p}), inode and path of the /proc/self/maps line holding the address. */
    private static String[] lineAt(long address) throws Exception {
        String[] fields = ProtectTest.mapsLineAt(address);
        assumeTrue(fields != null, "needs /proc/self/maps");
        return fields.length < 5 ? new String[] {"unmapped", "0", ""}
                : new String[] {fields[1], fields[4], fields.length > 5 ? fields[5] : ""};
    }

    private Path file(int size, byte fill) throws Exception {
        Path file = Files.createTempFile(dir, "cover", ".bin");
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, fill);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void aReadOnlyMappingIsCoveredWithMemoryThatCanOnlyBeRead() throws Exception {
        long page = Mmap.pageSize();
        Path file = file((int) (2 * page), (byte) 7);
        ByteBuffer view = Mmap.map(file, 0, (int) (2 * page), MapOptions.of(MapMode.READ_ONLY));
        long address = Mmap.address(view);
        assertEquals(7, view.get(0));
        ByteBuffer stale = view.duplicate(); // keeps its capacity: the handed-out buffer's limit drops to 0
        Mmap.unmap(view);
        String[] line = lineAt(address);
        assertEquals("r--p", line[0], "the cover of a read-only range: " + String.join(" ", line));
        assertEquals("0", line[1], "anonymous memory, not the file nor the quarantine memfd: " + String.join(" ", line));
        // Stale reads, by the view and by JDK code, see zeros and never fault.
        assertEquals(0, stale.get(0));
        assertEquals(0, stale.get((int) page + 5));
        CRC32 crc = new CRC32();
        crc.update(stale.duplicate());
        CRC32 zeros = new CRC32();
        zeros.update(new byte[(int) (2 * page)]);
        assertEquals(zeros.getValue(), crc.getValue());
        byte[] expected = new byte[(int) (2 * page)];
        java.util.Arrays.fill(expected, (byte) 7);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void aWritableMappingKeepsAWritableCover() throws Exception {
        long page = Mmap.pageSize();
        Path file = file((int) page, (byte) 1);
        ByteBuffer view = Mmap.map(file, 0, (int) page, MapOptions.of(MapMode.READ_WRITE));
        long address = Mmap.address(view);
        ByteBuffer stale = view.duplicate();
        Mmap.unmap(view);
        assertTrue(lineAt(address)[0].startsWith("rw-"), "the cover of a writable range: " + String.join(" ", lineAt(address)));
        stale.put(0, (byte) 9); // lands in the cover, never in the file
        assertEquals(9, stale.get(0));
        assertEquals(1, Files.readAllBytes(file)[0]);
    }

    @Test
    void aReadOnlyMappingThatWasProtectedKeepsAWritableCover() throws Exception {
        long page = Mmap.pageSize();
        Path file = file((int) page, (byte) 1);
        ByteBuffer view = Mmap.map(file, 0, (int) page, MapOptions.of(MapMode.READ_ONLY).sharing(Sharing.PRIVATE));
        long address = Mmap.address(view);
        Mmap.protect(view, Protection.READ, Protection.WRITE); // giving access is allowed on every JDK
        assertEquals("rw-p", lineAt(address)[0]);
        Mmap.unmap(view);
        assertTrue(lineAt(address)[0].startsWith("rw-"), "protect once gave WRITE: " + String.join(" ", lineAt(address)));
    }

    @Test
    void futexCallsOnAClosedReadOnlyViewNameTheClose() throws Exception {
        long page = Mmap.pageSize();
        Path file = file((int) page, (byte) 0);
        ByteBuffer view = Mmap.map(file, 0, (int) page, MapOptions.of(MapMode.READ_ONLY));
        ByteBuffer stale = view.duplicate();
        Mmap.unmap(view);
        IllegalStateException wait = assertThrows(IllegalStateException.class,
                () -> Futex.await(stale, 0, 0, 1, TimeUnit.MILLISECONDS));
        assertTrue(wait.getMessage().contains("closed mapping"), wait.getMessage());
        IllegalStateException wake = assertThrows(IllegalStateException.class, () -> Futex.wake(stale, 0, 1));
        assertTrue(wake.getMessage().contains("closed mapping"), wake.getMessage());
    }

    /**
     * A close racing a futex call on a read-only view: the call may reach the kernel after the
     * range was covered (the kernel answers {@code EFAULT} on memory that can only be read), and
     * must then report the close, as a call that came later would, never the errno.
     */
    @Test
    void aCloseRacingFutexCallsOnAReadOnlyViewIsReportedAsTheClose() throws Exception {
        long page = Mmap.pageSize();
        Path file = file((int) page, (byte) 0);
        int rounds = 300;
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        for (int round = 0; round < rounds && unexpected.get() == null; round++) {
            ByteBuffer view = Mmap.map(file, 0, (int) page, MapOptions.of(MapMode.READ_ONLY));
            ByteBuffer stale = view.duplicate();
            CountDownLatch started = new CountDownLatch(2);
            Thread[] callers = new Thread[2];
            for (int t = 0; t < callers.length; t++) {
                boolean waits = t == 0;
                callers[t] = new Thread(() -> {
                    started.countDown();
                    try {
                        for (;;) {
                            if (waits) {
                                Futex.await(stale, 0, 1, 0, TimeUnit.NANOSECONDS); // the word is 0: no sleep
                            } else {
                                Futex.wake(stale, 0, 1);
                            }
                        }
                    } catch (IllegalStateException closed) {
                        if (!closed.getMessage().contains("closed mapping")) {
                            unexpected.compareAndSet(null, closed);
                        }
                    } catch (Throwable t2) {
                        unexpected.compareAndSet(null, t2);
                    }
                });
                callers[t].start();
            }
            started.await();
            Mmap.unmap(view);
            for (Thread caller : callers) {
                caller.join(10_000);
            }
        }
        if (unexpected.get() != null) {
            throw new AssertionError("a futex call racing close failed otherwise than with the close", unexpected.get());
        }
    }
}
