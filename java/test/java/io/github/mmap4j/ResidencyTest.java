/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mincore: what is resident after touching, dropping, evicting, prefetching and
 * populating. File residency is page-cache residency, so a file's pages are made
 * non-resident by evicting them ({@link PageCache#evict}), not by unmapping.
 */
class ResidencyTest {

    private static final int PAGES = 64;

    @TempDir
    Path dir;

    private Path evictedFile(String name) throws Exception {
        assumeTrue(Platform.hasFadvise(), "needs posix_fadvise to evict a file");
        Path p = dir.resolve(name);
        byte[] bytes = new byte[(int) (PAGES * Mmap.pageSize())];
        new Random(1).nextBytes(bytes);
        Files.write(p, bytes);
        PageCache.evict(p);
        return p;
    }

    private static void touchEveryPage(ByteBuffer buf) {
        long sum = 0;
        for (int i = 0; i < buf.capacity(); i += (int) Mmap.pageSize()) {
            sum += buf.get(i);
        }
        assertTrue(sum != Long.MIN_VALUE);
    }

    @Test
    void anonymousMemoryIsResidentExactlyWhereTouched() throws Exception {
        long page = Mmap.pageSize();
        ByteBuffer buf = Mmap.anonymous((int) (8 * page), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        Residency before = Mmap.residency(buf);
        assertEquals(8, before.pages());
        assertEquals(0, before.resident());
        assertEquals(8, before.pages() - before.resident());
        for (int p : new int[] {0, 3, 5}) {
            buf.put((int) (p * page), (byte) 1);
        }
        Residency detail = Mmap.residency(buf);
        assertEquals(3, detail.resident());
        for (int p = 0; p < 8; p++) {
            assertEquals(p == 0 || p == 3 || p == 5, detail.isResident(p), "page " + p);
        }
        assertTrue(detail.isResident(3) && !detail.isResident(4));
        // A range: pages 3..5 (bytes inside page 3 to inside page 5), per page numbered from page 3.
        Residency range = Mmap.residency(TestBuffers.slice(buf, 3 * page + 10, 2 * page));
        assertEquals(3, range.pages());
        assertEquals(2, range.resident());
        assertTrue(range.isResident(0) && !range.isResident(1) && range.isResident(2));
        for (int i = 0; i < buf.capacity(); i += (int) page) {
            buf.put(i, (byte) 1);
        }
        assertEquals(8, Mmap.residency(buf).resident(), "every page touched: full");
        Mmap.advise(buf, Advice.DONTNEED);
        assertEquals(0, Mmap.residency(buf).resident(), "DONTNEED on private anonymous memory frees the pages");
        Mmap.unmap(buf);
    }

    @Test
    void aFreshMapOfAnEvictedFileIsNotResidentUntilTouched() throws Exception {
        Path p = evictedFile("cold.bin");
        ByteBuffer buf = Mmap.map(p, MapMode.READ_ONLY);
        Residency cold = Mmap.residency(buf);
        assertEquals(PAGES, cold.pages());
        assertTrue(cold.resident() < PAGES, "after eviction: " + cold);
        touchEveryPage(buf);
        assertEquals(PAGES, Mmap.residency(buf).resident(), "every page read: full");
        Mmap.unmap(buf);
    }

    @Test
    void dontneedOnASharedFileMappingLetsThePagesBeEvicted() throws Exception {
        Path p = evictedFile("shared.bin");
        ByteBuffer buf = Mmap.map(p, MapMode.READ_WRITE);
        touchEveryPage(buf);
        assertEquals(PAGES, Mmap.residency(buf).resident());
        // DONTNEED unmaps the pages from this process (the data stays in the file); pages no process
        // maps can then leave the page cache, which is what mincore reports for a file.
        Mmap.advise(buf, Advice.DONTNEED);
        PageCache.evict(p);
        Residency after = Mmap.residency(buf);
        assertTrue(after.resident() < PAGES, "after DONTNEED and eviction: " + after);
        assertEquals(Files.readAllBytes(p)[5], buf.get(5), "the data is still there, read back from the file");
        Mmap.unmap(buf);
    }

    @Test
    void populateFlagFaultsEveryPageInAtMapTime() throws Exception {
        assumeTrue(MapFlag.POPULATE.isSupported(), "MAP_POPULATE is Linux only");
        Path p = evictedFile("populate.bin");
        ByteBuffer buf = Mmap.map(p, 0, (int) (PAGES * Mmap.pageSize()),
                MapOptions.of(MapMode.READ_ONLY).flags(MapFlag.POPULATE));
        assertEquals(PAGES, Mmap.residency(buf).resident());
        Mmap.unmap(buf);
        ByteBuffer anon = Mmap.anonymous((int) (PAGES * Mmap.pageSize()),
                MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE).flags(MapFlag.POPULATE));
        assertEquals(PAGES, Mmap.residency(anon).resident());
        Mmap.unmap(anon);
    }

    @Test
    void populateReadAdviceFaultsThePagesIn() throws Exception {
        assumeTrue(Advice.POPULATE_READ.isSupported(), "MADV_POPULATE_READ is Linux 5.14+");
        Path p = evictedFile("populate-read.bin");
        ByteBuffer buf = Mmap.map(p, MapMode.READ_ONLY);
        long before = Mmap.residency(buf).resident();
        Mmap.advise(TestBuffers.slice(buf, 0, buf.capacity() / 2), Advice.POPULATE_READ);
        Residency after = Mmap.residency(buf);
        assertTrue(after.resident() >= PAGES / 2 && after.resident() > before, before + " -> " + after);
        for (int i = 0; i < PAGES / 2; i++) {
            assertTrue(after.isResident(i), "page " + i);
        }
        Mmap.unmap(buf);
    }

    @Test
    void willneedStartsReadingThePagesIn() throws Exception {
        Path p = evictedFile("willneed.bin");
        ByteBuffer buf = Mmap.map(p, MapMode.READ_ONLY);
        long before = Mmap.residency(buf).resident();
        assertTrue(before < PAGES);
        Mmap.advise(buf, Advice.WILLNEED);
        // WILLNEED starts asynchronous read-ahead: wait (bounded) for it to land, without a timing assertion.
        long deadline = System.nanoTime() + 10_000_000_000L;
        Residency now = Mmap.residency(buf);
        while (now.resident() <= before && System.nanoTime() < deadline) {
            Thread.sleep(10);
            now = Mmap.residency(buf);
        }
        assertTrue(now.resident() > before, before + " -> " + now);
        Mmap.unmap(buf);
    }
}
