/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The close/GC race, made deterministic: a closing thread is paused after it
 * found the mapping and before it covers the range, while the test collects
 * and lets the reclaimer run. Nothing may be unmapped while the closing object
 * is still in use, and nothing may be covered once the range went back to the OS.
 */
class CloseRaceTest {

    @TempDir
    Path dir;

    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);

    @AfterEach
    void clearHook() {
        Mappings.beforeCover = null;
    }

    private void pauseClosers() {
        Mappings.beforeCover = () -> {
            paused.countDown();
            try {
                resume.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** The line of /proc/self/maps whose range holds {@code address}, or null. */
    private static String mapsLine(long address) throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            if (Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16)) {
                return line;
            }
        }
        return null;
    }

    private static void collect(long reclaimedBefore, int atLeast) throws InterruptedException {
        for (int i = 0; i < 100 && Mappings.reclaimed() < reclaimedBefore + atLeast; i++) {
            System.gc();
            Thread.sleep(20);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBufferBeingClosedIsNotUnmappedUnderTheClose() throws Exception {
        Path file = dir.resolve("paused.bin");
        Files.write(file, new byte[(int) Mmap.pageSize()]);
        AtomicReference<ByteBuffer> ref = new AtomicReference<>(Mmap.map(file, 0, (int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE)));
        long address = Mmap.address(ref.get());
        pauseClosers();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                Mmap.unmap(ref.getAndSet(null)); // the test keeps no reference: only the closing thread has it
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        closer.start();
        assertTrue(paused.await(10, TimeUnit.SECONDS));
        long reclaimed = Mappings.reclaimed();
        collect(reclaimed, 1);
        String line = mapsLine(address);
        assertNotNull(line, "unmapped while being closed");
        assertTrue(line.endsWith(file.getFileName().toString()), "still the file while paused: " + line);
        resume.countDown();
        closer.join();
        assertNull(failure.get());
        assertTrue(mapsLine(address).contains("mmap4j-quarantine"), "covered after the close: " + mapsLine(address));
        for (int i = 0; i < 20 && Mappings.find(address) != null; i++) { // this range, not any one
            collect(Mappings.reclaimed(), 1);
        }
        String after = mapsLine(address);
        assertTrue(after == null || !after.contains("mmap4j-quarantine"), "given back once unreachable: " + after);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRangeReclaimedDuringACloseIsNeverCovered() throws Exception {
        long page = Platform.pageSize();
        Mapping mapping = Mapper.map(null, 0, page, Native.PROT_READ | Native.PROT_WRITE,
                Native.SHARE_PRIVATE | Native.SHARE_ANONYMOUS, 0, -1, MapOptions.of(MapMode.PRIVATE), false);
        long address = mapping.address();
        AtomicReference<Object> owner = new AtomicReference<>(new Object());
        Mappings.track(mapping, owner.get());
        pauseClosers();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                Mappings.close(mapping, null, null); // a close that does not keep the owner reachable
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        closer.start();
        assertTrue(paused.await(10, TimeUnit.SECONDS));
        long reclaimed = Mappings.reclaimed();
        owner.set(null);
        // Other tests' ranges may be reclaimed meanwhile too: wait for this one, not for any one.
        for (int i = 0; i < 20 && Mappings.find(address) != null; i++) {
            collect(Mappings.reclaimed(), 1);
        }
        assertTrue(Mappings.reclaimed() > reclaimed, "the reclaimer returned the unreachable range");
        assertNull(Mappings.find(address));
        resume.countDown();
        closer.join();
        assertNull(failure.get());
        String line = mapsLine(address);
        assertTrue(line == null || !line.contains("mmap4j-quarantine"),
                "a close that lost the race must not cover the range: " + line);
        assertEquals(0, Mappings.retiredWaiting());
    }
}
