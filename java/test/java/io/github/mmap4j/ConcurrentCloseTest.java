/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When any close returns, the mapping is released (issue 25, item 6): a second {@code unmap} (or
 * {@code close}) racing with a first one that still waits for an operation in flight (a long
 * {@code force} on another thread, held here with {@link Mapping#acquire}) must not return before
 * the range is covered: the buffer has {@code limit(0)} and the file is no longer mapped, so a
 * truncation right after cannot fault through an earlier view.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentCloseTest {

    @TempDir
    Path dir;

    /** Whether {@code /proc/self/maps} still maps the file. */
    private static boolean mapped(Path file) throws Exception {
        String name = file.toAbsolutePath().toString();
        for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            if (line.endsWith(name)) {
                return true;
            }
        }
        return false;
    }

    /** A closing call, run on its own thread. */
    interface Close {
        void run() throws Exception;
    }

    /**
     * Holds an operation on {@code mapping}, lets {@code first} start closing (it then waits for
     * the operation), runs {@code second} and records what it saw the moment it returned.
     */
    private static String secondCloseSees(Mapping mapping, Path file, ByteBuffer buffer, Close first, Close second)
            throws Exception {
        mapping.acquire("a long force");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread one = new Thread(() -> {
            try {
                first.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "first-close");
        one.start();
        while (!mapping.isClosed()) {
            Thread.yield(); // the first close marked it closed; it now waits for the held operation
        }
        AtomicReference<String> seen = new AtomicReference<>();
        Thread two = new Thread(() -> {
            try {
                second.run();
                seen.set("limit=" + buffer.limit() + " fileMapped=" + mapped(file));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "second-close");
        two.start();
        // Until the second close returned (the defect) or waits for the first one.
        for (Thread.State s = two.getState(); s != Thread.State.TERMINATED && s != Thread.State.WAITING
                && s != Thread.State.TIMED_WAITING; s = two.getState()) {
            Thread.yield();
        }
        mapping.release(); // the long force ends
        one.join();
        two.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(mapping.isClosed());
        return seen.get();
    }

    @Test
    void aSecondUnmapReturnsOnlyOnceTheFileIsReleased() throws Exception {
        Path file = dir.resolve("held.bin");
        Files.write(file, new byte[(int) Mmap.pageSize()]);
        ByteBuffer buf = Mmap.map(file, 0, (int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE));
        ByteBuffer view = buf.duplicate();
        String seen = secondCloseSees(Maps.owner("test", buf), file, buf, () -> Mmap.unmap(buf),
                () -> Mmap.unmap(view));
        assertEquals("limit=0 fileMapped=false", seen);
    }

    @Test
    void aSecondRegionCloseReturnsOnlyOnceTheFileIsReleased() throws Exception {
        Path file = dir.resolve("region.bin");
        Files.write(file, new byte[(int) Mmap.pageSize()]);
        MappedRegion region = Mmap.mapRegion(file, 0, Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE));
        ByteBuffer view = region.view(0, 64);
        String seen = secondCloseSees(region.mapping, file, view, region::close, region::close);
        assertEquals("limit=0 fileMapped=false", seen);
    }
}
