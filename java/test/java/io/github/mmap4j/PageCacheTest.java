/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PageCache#stats}: cached pages agree exactly with util-linux {@code fincore} on files
 * loaded, evicted, partly loaded and written but not synced, through {@code cachestat} and
 * through the forced {@code mincore} path alike; dirty pages show before {@code force} and not
 * after; a 64 GiB sparse file and 10,000 files; ranges, bad arguments and files that cannot be
 * measured. Real files in a temporary directory, real page cache; {@code fincore} comparisons
 * skip where it is not installed, {@code cachestat} ones where the kernel lacks it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PageCacheTest {

    @TempDir
    Path dir;

    private final long page = Mmap.pageSize();

    @AfterEach
    void cachestatBackOn() {
        System.clearProperty("mmap4j.cachestat");
    }

    private Path file(String name, long bytes) throws IOException {
        byte[] data = new byte[(int) bytes];
        new Random(bytes).nextBytes(data);
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, data);
    }

    private static void assumeCachestat() {
        assumeTrue(PageCache.hasCachestat(), "the kernel has no cachestat (Linux 6.5+): only mincore here");
    }

    private static void assumeFincore() {
        assumeTrue(onPath("fincore"), "fincore (util-linux) is not installed: skipping the comparison");
    }

    private static void assumeFadvise() {
        assumeTrue(Platform.hasFadvise(), "needs posix_fadvise to evict a file");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv("PATH").split(File.pathSeparator)) {
            if (new File(d, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Files loaded, evicted, partly loaded (pages 0-7 read back), empty, and written but not synced. */
    private List<Path> mixedFiles() throws IOException {
        assumeFadvise();
        Path loaded = file("loaded.bin", 64 * page + 100);
        Path evicted = file("evicted.bin", 40 * page);
        Path part = file("part.bin", 512 * page);
        Path empty = file("empty.bin", 0);
        PageCache.evict(evicted);
        PageCache.evict(part);
        try (InputStream in = Files.newInputStream(part)) {
            byte[] chunk = new byte[(int) page];
            for (int i = 0; i < 8; i++) {
                assertEquals(chunk.length, in.read(chunk));
            }
        }
        byte[] all = Files.readAllBytes(loaded);
        assertEquals(64 * page + 100, all.length);
        Path dirty = dir.resolve("dirty.bin");
        try (FileChannel ch = FileChannel.open(dirty, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[(int) (24 * page)]));
        }
        return Arrays.asList(loaded, evicted, part, empty, dirty);
    }

    /** fincore's cached page count per file ({@code PAGES} column), in one run. */
    private static Map<String, Long> fincore(List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList("fincore", "--noheadings", "--raw", "--output",
                "PAGES,FILE"));
        for (Path f : files) {
            command.add(f.toString());
        }
        File out = File.createTempFile("mmap4j-fincore", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fincore did not finish");
            List<String> lines = Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), String.join("\n", lines));
            Map<String, Long> pages = new HashMap<>();
            for (String line : lines) {
                int space = line.indexOf(' ');
                pages.put(line.substring(space + 1), Long.parseLong(line.substring(0, space)));
            }
            return pages;
        } finally {
            out.delete();
        }
    }

    private static Map<String, Long> ours(List<Path> files) throws IOException {
        Map<String, Long> pages = new HashMap<>();
        for (Path f : files) {
            pages.put(f.toString(), PageCache.stats(f, 0, Long.MAX_VALUE).cached());
        }
        return pages;
    }

    /**
     * Ours and fincore's at the same moment: ours before and after fincore's must match each other
     * (the kernel may drop idle pages at any time), up to three tries.
     */
    private static void agreesWithFincore(List<Path> files) throws Exception {
        Map<String, Long> theirs = null;
        Map<String, Long> before = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            before = ours(files);
            theirs = fincore(files);
            if (before.equals(ours(files))) {
                break;
            }
        }
        assertEquals(theirs, before);
    }

    @Test
    void cachedPagesAgreeWithFincoreThroughCachestat() throws Exception {
        assumeCachestat();
        assumeFincore();
        List<Path> files = mixedFiles();
        for (Path f : files) {
            assertEquals(PageCacheStats.Method.CACHESTAT, PageCache.stats(f, 0, Long.MAX_VALUE).method());
        }
        agreesWithFincore(files);
        PageCacheStats loaded = PageCache.stats(files.get(0), 0, Long.MAX_VALUE);
        assertEquals(65, loaded.pages());
        assertEquals(65, loaded.cached(), loaded.toString());
        assertEquals(64 * page + 100, loaded.length());
        PageCacheStats evicted = PageCache.stats(files.get(1), 0, Long.MAX_VALUE);
        assertEquals(0, evicted.cached(), evicted.toString());
        assertTrue(PageCache.stats(files.get(2), 0, Long.MAX_VALUE).cached() >= 8);
        assertEquals(0, PageCache.stats(files.get(3), 0, Long.MAX_VALUE).pages());
    }

    @Test
    void theForcedMincorePathGivesTheSameCachedCounts() throws Exception {
        assumeFincore();
        List<Path> files = mixedFiles();
        System.setProperty("mmap4j.cachestat", "false");
        for (Path f : files) {
            PageCacheStats s = PageCache.stats(f, 0, Long.MAX_VALUE);
            assertEquals(PageCacheStats.Method.MINCORE, s.method());
            assertEquals(-1, s.dirty());
            assertEquals(-1, s.writeback());
            assertEquals(-1, s.evicted());
            assertEquals(-1, s.recentlyEvicted());
            assertTrue(s.toString().contains("unknown (mincore)"), s.toString());
        }
        agreesWithFincore(files);
        if (PageCache.hasCachestat()) {
            for (Path f : files) {
                System.setProperty("mmap4j.cachestat", "false");
                long mincore = PageCache.stats(f, 0, Long.MAX_VALUE).cached();
                System.clearProperty("mmap4j.cachestat");
                long cachestat = PageCache.stats(f, 0, Long.MAX_VALUE).cached();
                System.setProperty("mmap4j.cachestat", "false");
                if (mincore == PageCache.stats(f, 0, Long.MAX_VALUE).cached()) { // nothing changed meanwhile
                    assertEquals(mincore, cachestat, f.toString());
                }
            }
        }
    }

    @Test
    void writtenButNotSyncedPagesAreDirtyUntilForced() throws Exception {
        assumeCachestat();
        Path f = dir.resolve("unsynced.bin");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            byte[] data = new byte[(int) (32 * page)];
            new Random(7).nextBytes(data);
            ch.write(ByteBuffer.wrap(data));
            PageCacheStats before = PageCache.stats(ch, 0, Long.MAX_VALUE);
            assertEquals(32, before.pages());
            assertEquals(32, before.cached(), before.toString());
            assertTrue(before.dirty() > 0, "dirty before force: " + before);
            assertTrue(before.dirty() + before.writeback() <= 32, before.toString());
            if (onPath("fincore")) {
                agreesWithFincore(Arrays.asList(f));
            }
            ch.force(false);
            PageCacheStats after = PageCache.stats(ch, 0, Long.MAX_VALUE);
            assertEquals(0, after.dirty(), "dirty after force: " + after);
            assertEquals(0, after.writeback(), after.toString());
            assertEquals(32, after.cached(), after.toString());
            assertTrue(ch.isOpen(), "the channel stays open");
        }
    }

    @Test
    void rangesCountThePagesHoldingTheirBytes() throws Exception {
        assumeFadvise();
        Path f = file("range.bin", 100 * page);
        PageCache.evict(f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            raf.seek(10 * page);
            raf.readFully(new byte[(int) (4 * page)]); // pages 10-13, perhaps read-ahead beyond
            for (String method : new String[] {"true", "false"}) {
                System.setProperty("mmap4j.cachestat", method);
                PageCacheStats s = PageCache.stats(raf.getFD(), 10 * page + 1, 2 * page); // pages 10, 11, 12
                assertEquals(3, s.pages(), s.toString());
                assertEquals(3, s.cached(), s.toString());
                assertEquals(2 * page, s.length());
                PageCacheStats head = PageCache.stats(f, 0, 10 * page);
                assertEquals(10, head.pages());
                assertEquals(0, head.cached(), head.toString()); // never read, never read ahead
                PageCacheStats tail = PageCache.stats(f, 99 * page, Long.MAX_VALUE);
                assertEquals(1, tail.pages());
                assertEquals(page, tail.length());
                PageCacheStats past = PageCache.stats(f, 200 * page, page);
                assertEquals(0, past.pages());
                assertEquals(0, past.cached());
                assertEquals(0, past.length());
                assertEquals(0, PageCache.stats(f, 5 * page, 0).pages());
            }
        }
    }

    @Test
    void aSparse64GiBFileIsMeasuredByBothPaths() throws Exception {
        Path f = dir.resolve("sparse-64g");
        long size = 64L << 30;
        long[] written = {0, 32L << 30, size - (1 << 20)};
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
            byte[] mib = new byte[1 << 20];
            Arrays.fill(mib, (byte) 1);
            for (long at : written) {
                raf.seek(at);
                raf.write(mib);
            }
        }
        PageCacheStats s = PageCache.stats(f, 0, Long.MAX_VALUE);
        assertEquals(size, s.length());
        assertEquals(size / page, s.pages());
        assertTrue(s.cached() >= 3 * (1 << 20) / page && s.cached() < 4096, s.toString());
        PageCacheStats middle = PageCache.stats(f, 32L << 30, 1 << 20);
        assertEquals((1 << 20) / page, middle.cached(), middle.toString());
        if (s.method() == PageCacheStats.Method.CACHESTAT) {
            assertTrue(middle.dirty() + middle.writeback() > 0, "written, not synced: " + middle);
        }
        System.setProperty("mmap4j.cachestat", "false");
        PageCacheStats mincore = PageCache.stats(f, 32L << 30, 1 << 20);
        assertEquals(PageCacheStats.Method.MINCORE, mincore.method());
        assertEquals((1 << 20) / page, mincore.cached(), mincore.toString());
        System.clearProperty("mmap4j.cachestat");
        if (onPath("fincore")) {
            System.setProperty("mmap4j.cachestat", "false");
            agreesWithFincore(Arrays.asList(f)); // mincore over 64 GiB, in 1 GiB windows
            System.clearProperty("mmap4j.cachestat");
            agreesWithFincore(Arrays.asList(f));
        }
    }

    @Test
    void tenThousandFilesAgreeWithFincore() throws Exception {
        assumeFincore();
        assumeFadvise();
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree);
        byte[] data = new byte[(int) (2 * page + 1)];
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Path p = tree.resolve(String.format("f%05d", i));
            Files.write(p, data);
            files.add(p);
        }
        for (int i = 0; i < files.size(); i += 3) {
            PageCache.evict(files.get(i));
        }
        Map<String, Long> ours = ours(files);
        long cached = 0;
        for (long n : ours.values()) {
            cached += n;
        }
        assertTrue(cached > 0 && cached < 3L * files.size(), "cached: " + cached);
        agreesWithFincore(files);
    }

    @Test
    void pagesReclaimedByTheKernelCountAsEvicted() throws Exception {
        assumeCachestat();
        assumeTrue(Advice.PAGEOUT.isSupported(), "no MADV_PAGEOUT");
        Path f = file("reclaimed.bin", 64 * page);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true); // reclaim skips dirty pages
        }
        ByteBuffer buf = Mmap.map(f, MapMode.READ_ONLY);
        try {
            long sum = 0;
            for (int i = 0; i < buf.capacity(); i += (int) page) {
                sum += buf.get(i);
            }
            assertTrue(sum != Long.MIN_VALUE);
            try {
                Mmap.advise(buf, Advice.PAGEOUT); // reclaim leaves shadow entries; DONTNEED does not
            } catch (MmapException e) {
                assumeTrue(false, "MADV_PAGEOUT refused here: " + e.getMessage());
            }
        } finally {
            Mmap.unmap(buf);
        }
        PageCacheStats s = PageCache.stats(f, 0, Long.MAX_VALUE);
        assumeTrue(s.cached() < 64, "the kernel kept every page: " + s);
        assertTrue(s.evicted() > 0, s.toString());
        assertTrue(s.recentlyEvicted() <= s.evicted(), s.toString());
        assertEquals(64, s.cached() + s.evicted(), s.toString()); // each page either cached or remembered
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyCall() throws Exception {
        Path f = file("args.bin", page);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PageCache.stats(f, -1, 10));
        assertTrue(e.getMessage().contains("offset=-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PageCache.stats(f, 0, -5));
        assertThrows(NullPointerException.class, () -> PageCache.stats((Path) null, 0, 1));
        assertThrows(NullPointerException.class, () -> PageCache.stats((FileChannel) null, 0, 1));
        FileChannel closed = FileChannel.open(f);
        closed.close();
        assertThrows(ClosedChannelException.class, () -> PageCache.stats(closed, 0, 1));
        FileInputStream in = new FileInputStream(f.toFile());
        java.io.FileDescriptor fd = in.getFD();
        in.close();
        assertThrows(ClosedChannelException.class, () -> PageCache.stats(fd, 0, 1));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void filesThatCannotBeMeasuredAreRefusedAtOnce() throws Exception {
        MmapException missing = assertThrows(MmapException.class, () -> PageCache.stats(dir.resolve("nope"), 0, Long.MAX_VALUE));
        assertEquals("ENOENT", missing.errnoName());
        assertEquals("open", missing.call());
        MmapException directory = assertThrows(MmapException.class, () -> PageCache.stats(dir, 0, Long.MAX_VALUE));
        assertEquals("EISDIR", directory.errnoName(), directory.getMessage());
        if (Files.exists(Paths.get("/dev/null"))) {
            MmapException device = assertThrows(MmapException.class, () -> PageCache.stats(Paths.get("/dev/null"), 0, Long.MAX_VALUE));
            assertEquals("ENODEV", device.errnoName(), device.getMessage());
            assertTrue(device.getMessage().contains("character device"), device.getMessage());
        }
        Path fifo = OddFiles.fifo(dir.resolve("fifo"));
        try {
            MmapException e = assertThrows(MmapException.class, () -> PageCache.stats(fifo, 0, 10));
            assertEquals("ENODEV", e.errnoName(), e.getMessage());
            assertTrue(e.getMessage().contains("FIFO"), e.getMessage());
        } finally {
            OddFiles.unblock(fifo);
        }
    }
}
