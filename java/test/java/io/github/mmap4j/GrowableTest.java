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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GrowableRegion (issue 16): a file mapped into a reservation and grown at the same address,
 * views taken before a grow stay valid, errors leave everything as it was.
 */
class GrowableTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final MapOptions RW = MapOptions.of(MapMode.READ_WRITE).createOrGrow();

    @TempDir
    Path dir;

    private static byte[] readFile(Path p, long at, int n) throws IOException {
        byte[] bytes = new byte[n];
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r")) {
            raf.seek(at);
            raf.readFully(bytes);
        }
        return bytes;
    }

    private static byte[] pattern(long seed, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
        }
        return b;
    }

    private static byte[] get(ByteBuffer view, int at, int n) {
        byte[] b = new byte[n];
        ByteBuffer d = view.duplicate();
        d.position(at);
        d.get(b);
        return b;
    }

    /**
     * The test: 1 MiB to 8 GiB (sparse) in steps, holding a view at every old part, writing
     * through old and new views after each grow; the base never moves and the file holds every byte.
     */
    @Test
    void growsFromOneMibToEightGibAtOneAddressWhileOldViewsStayValid() throws Exception {
        Path file = dir.resolve("log");
        List<Long> sizes = new ArrayList<>();
        for (long s = MIB; s < 8 * GIB; s *= 2) {
            sizes.add(s);
            sizes.add(s + s / 2 + 123); // and a size that ends mid-page
        }
        sizes.add(8 * GIB);
        List<ByteBuffer> views = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (GrowableRegion r = open(file, MIB, 8 * GIB, RW)) {
            long base = r.address();
            assertEquals(8 * GIB, r.reserved());
            assertEquals(MIB, r.size());
            assertEquals(MIB, Files.size(file));
            int step = 0;
            long previous = 0;
            for (long size : sizes) {
                assertEquals(size, r.grow(size));
                assertEquals(size, r.size());
                assertEquals(base, r.address(), "the base address never changes");
                assertTrue(Files.size(file) >= size);
                // A view of the newest 4 KiB (its last byte is the region's last), and one across the old end.
                ByteBuffer last = r.view(size - 4096, 4096);
                last.put(0, (byte) step);
                last.put(4095, (byte) (step + 1));
                if (previous > 0) {
                    ByteBuffer across = r.view(previous - 8, 16);
                    across.putLong(0, 0x0123456789abcdefL ^ step);
                    across.putLong(8, ~(0x0123456789abcdefL ^ step));
                    offsets.add(previous - 8);
                    views.add(across);
                }
                views.add(last);
                offsets.add(size - 4096);
                // Every view taken before, at its old offset, still reads what was written and takes writes.
                for (int i = 0; i < views.size(); i++) {
                    ByteBuffer v = views.get(i);
                    assertEquals(base + offsets.get(i), Mmap.address(v));
                    v.put(1, (byte) (v.get(1) + 1));
                }
                previous = size;
                step++;
            }
            assertEquals(base, r.address());
            // Through the file: every byte written through old and new views is there.
            r.force();
            for (int i = 0; i < views.size(); i++) {
                ByteBuffer v = views.get(i);
                assertArrayEquals(get(v, 0, v.capacity()), readFile(file, offsets.get(i), v.capacity()),
                        "bytes at " + offsets.get(i));
            }
            assertEquals(8 * GIB, Files.size(file));
            assertThrows(IllegalArgumentException.class, () -> r.grow(8 * GIB + 1));
            assertEquals(8 * GIB, r.size());
        }
        for (ByteBuffer v : views) {
            assertEquals(0, v.limit(), "closed: every view is limited to 0");
        }
    }

    @Test
    void writesThroughOldAndNewViewsReachTheFileAndAReaderSeesThem() throws Exception {
        Path file = dir.resolve("appends");
        try (GrowableRegion r = open(file, 0, 64 * MIB, RW)) {
            assertEquals(0, r.size());
            long end = 0;
            List<ByteBuffer> records = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] record = pattern(i, 100_000 + i);
                if (end + record.length > r.size()) {
                    r.grow(Math.max(end + record.length, r.size() + 1_000_000));
                }
                ByteBuffer v = r.view(end, record.length);
                v.put(record);
                records.add(v);
                end += record.length;
            }
            end = 0;
            for (int i = 0; i < records.size(); i++) {
                byte[] record = pattern(i, 100_000 + i);
                assertArrayEquals(record, get(records.get(i), 0, record.length));
                assertArrayEquals(record, readFile(file, end, record.length), "record " + i);
                end += record.length;
            }
            // A plain read-only mapping of the file (what another reader does) sees the same bytes.
            try (MappedRegion reader = Mmap.mapRegion(file, 0, Files.size(file), MapOptions.of(MapMode.READ_ONLY))) {
                assertArrayEquals(pattern(39, 100_039), get(reader.view(end - 100_039, 100_039), 0, 100_039));
            }
        }
    }

    @Test
    void privateRegionGrowsTheFileButKeepsItsWrites() throws Exception {
        Path file = dir.resolve("private");
        Files.write(file, pattern(1, 5000));
        MapOptions priv = MapOptions.of(MapMode.PRIVATE);
        try (GrowableRegion r = GrowableRegion.open(file, 1 << 20, priv)) {
            assertEquals(5000, r.size());
            assertArrayEquals(pattern(1, 5000), get(r.view(0, 5000), 0, 5000));
            r.grow(300_000);
            ByteBuffer v = r.view(0, 300_000);
            v.put(0, (byte) 0x55);
            v.put(299_999, (byte) 0x66);
            assertEquals(300_000, Files.size(file), "the file is extended (with zeros)");
            assertEquals(pattern(1, 1)[0], readFile(file, 0, 1)[0], "private writes never reach the file");
            assertEquals(0, readFile(file, 299_999, 1)[0]);
            assertEquals(0x66, v.get(299_999));
        }
    }

    @Test
    void sharedMemoryGrows() throws Exception {
        String name = "/mmap4j-grow-" + ProcessHandleless.pid();
        try {
            long reserve = 256 * MIB;
            // macOS sizes an object once: there it is created at its largest size, and grow maps more of it.
            boolean sizeOnce = Platform.isMac();
            long initial = sizeOnce ? reserve : 4096;
            try (GrowableRegion r = openShared(name, initial, reserve, RW)) {
                r.view(0, 4096).putLong(0, 42L);
                r.grow(3 * MIB + 5);
                r.view(3 * MIB - 3, 8).putLong(0, 0x1122334455667788L);
                ByteBuffer other = SharedMemory.map(name, 0, (int) (3 * MIB + 5), MapOptions.of(MapMode.READ_ONLY));
                assertEquals(42L, other.getLong(0));
                assertEquals(0x1122334455667788L, other.getLong((int) (3 * MIB - 3)));
                Mmap.unmap(other);
            }
            // A second region of the same object maps it all and grows it further.
            try (GrowableRegion again = GrowableRegion.openSharedMemory(name, reserve, MapOptions.of(
                    MapMode.READ_WRITE))) {
                assertEquals(42L, again.view(0, 8).getLong(0));
                again.grow(8 * MIB);
                again.view(8 * MIB - 8, 8).putLong(0, 7L);
                assertEquals(0x1122334455667788L, again.view(3 * MIB - 3, 8).getLong(0));
            }
            assertThrows(IllegalArgumentException.class, () -> GrowableRegion.openSharedMemory("no-slash", MIB, RW));
        } finally {
            SharedMemory.unlink(name);
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnySystemCall() throws Exception {
        Path file = dir.resolve("bad");
        assertThrows(IllegalArgumentException.class, () -> GrowableRegion.open(file, 0, RW));
        assertThrows(IllegalArgumentException.class, () -> GrowableRegion.open(file, -5, RW));
        assertThrows(IllegalArgumentException.class, () -> GrowableRegion.open(file, MIB, RW.protection()),
                "READ is needed");
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> GrowableRegion.open(file,
                MIB, RW.flags(MapFlag.HUGETLB)));
        assertTrue(huge.getMessage().contains("HUGETLB"), huge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GrowableRegion.open(file, MIB,
                RW.advice(Advice.SEQUENTIAL)));
        assertThrows(NullPointerException.class, () -> GrowableRegion.open(file, MIB, null));
        assertFalse(Files.exists(file), "nothing was created");
        // A file larger than the reservation cannot be opened in it.
        Path large = dir.resolve("large");
        Files.write(large, new byte[2 * (int) Mmap.pageSize()]);
        assertThrows(IllegalArgumentException.class, () -> GrowableRegion.open(large, Mmap.pageSize(), RW));
        Files.write(file, new byte[10]);
        MmapException missing = assertThrows(MmapException.class, () -> GrowableRegion.open(dir.resolve("none"),
                MIB, MapOptions.of(MapMode.READ_WRITE)));
        assertEquals("ENOENT", missing.errnoName());
        try (GrowableRegion r = GrowableRegion.open(file, MIB, MapOptions.of(MapMode.READ_WRITE))) {
            assertEquals(10, r.size());
            assertThrows(IllegalArgumentException.class, () -> r.grow(-1));
            IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> r.grow(MIB + 1));
            assertTrue(past.getMessage().contains("reservation"), past.getMessage());
            assertEquals(10, r.size());
            assertEquals(10, r.grow(5), "never shrinks: a smaller size changes nothing");
            assertEquals(10, Files.size(file));
            assertThrows(IndexOutOfBoundsException.class, () -> r.view(0, 11));
            assertThrows(IndexOutOfBoundsException.class, () -> r.view(-1, 1));
            assertThrows(IllegalArgumentException.class, () -> r.view(0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> r.force(0, 11, SyncMode.SYNC));
            r.force(0, 10, SyncMode.SYNC);
            r.residency(0, 10);
            r.advise(0, 10, Advice.NORMAL);
            assertTrue(r.toString().contains("size=10"), r.toString());
        }
    }

    @Test
    void readOnlyRegionFollowsTheFileButCannotExtendIt() throws Exception {
        Path file = dir.resolve("ro");
        try (GrowableRegion writer = open(file, 4096, 64 * MIB, RW);
             GrowableRegion reader = GrowableRegion.open(file, 64 * MIB, MapOptions.of(MapMode.READ_ONLY))) {
            assertEquals(4096, reader.size());
            ByteBuffer rv = reader.view(0, 4096);
            assertThrows(ReadOnlyBufferException.class, () -> rv.put(0, (byte) 1));
            writer.grow(2 * MIB);
            writer.view(2 * MIB - 8, 8).putLong(0, 99L);
            assertEquals(2 * MIB, reader.growToFileSize(), "the reader maps what the writer appended");
            assertEquals(99L, reader.view(2 * MIB - 8, 8).getLong(0));
            MmapException e = assertThrows(MmapException.class, () -> reader.grow(3 * MIB));
            assertEquals("EBADF", e.errnoName());
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertEquals(2 * MIB, reader.size(), "nothing changed");
            assertEquals(2 * MIB, Files.size(file));
            assertEquals(99L, reader.view(2 * MIB - 8, 8).getLong(0));
        }
    }

    @Test
    void afterCloseEveryCallSaysClosedAndTheDescriptorIsGone() throws Exception {
        Path file = dir.resolve("closed");
        GrowableRegion r = open(file, MIB, 16 * MIB, RW);
        ByteBuffer v = r.view(0, 4096);
        v.putInt(0, 7);
        if (HAS_PROC) {
            assertEquals(1, descriptorsOf(file), "the region keeps one descriptor for growing");
        }
        r.close();
        r.close(); // twice: nothing
        assertFalse(r.isOpen());
        if (HAS_PROC) {
            assertEquals(0, descriptorsOf(file), "close released the descriptor");
        }
        assertThrows(IllegalStateException.class, () -> r.grow(2 * MIB));
        assertThrows(IllegalStateException.class, () -> r.grow(2 * MIB, true));
        assertThrows(IllegalStateException.class, r::growToFileSize);
        assertThrows(IllegalStateException.class, () -> r.view(0, 1));
        assertThrows(IllegalStateException.class, r::force);
        assertEquals(0, v.limit());
        assertEquals(MIB, Files.size(file), "a grow after close never touched the file");
        assertEquals(7, ByteBuffer.wrap(readFile(file, 0, 4)).getInt());
        assertTrue(r.toString().endsWith("closed]"), r.toString());
    }

    @Test
    void aRegionNeverClosedIsReclaimedWithItsDescriptor() throws Exception {
        assumeTrue(HAS_PROC, "counts descriptors in /proc/self/fd");
        Path file = dir.resolve("leaked");
        long reclaimed = Mappings.reclaimed();
        openAndDrop(file);
        assertEquals(1, descriptorsOf(file));
        for (int i = 0; i < 200 && (descriptorsOf(file) > 0 || Mappings.reclaimed() == reclaimed); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, descriptorsOf(file), "the reclaimer closed the region's descriptor");
        assertTrue(Mappings.reclaimed() > reclaimed);
    }

    private static void openAndDrop(Path file) throws IOException {
        GrowableRegion r = open(file, MIB, 16 * MIB, RW);
        r.grow(2 * MIB);
        r.view(0, 8).putLong(0, 1L);
    }

    private static final boolean HAS_PROC = Files.isDirectory(Paths.get("/proc/self/fd"));

    /** Descriptors of this process open on {@code file} (Linux: /proc/self/fd). */
    private static int descriptorsOf(Path file) throws IOException {
        Path fds = Paths.get("/proc/self/fd");
        Path real = file.toRealPath();
        int n = 0;
        try (java.util.stream.Stream<Path> list = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        }
        return n;
    }

    /** Serialized, not rejected: every grow succeeds and sees at least the size it asked for. */
    @Test
    void concurrentGrowsAreSerialized() throws Exception {
        Path file = dir.resolve("concurrent");
        try (GrowableRegion r = open(file, 4096, 512 * MIB, RW)) {
            int threads = 4;
            int rounds = 60;
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> list = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < rounds; i++) {
                            long want = (long) (i * threads + id + 1) * 1_000_003L;
                            long got = r.grow(want);
                            assertTrue(got >= want, "grow returned " + got + " < " + want);
                            ByteBuffer v = r.view(want - 8, 8);
                            v.putLong(0, want);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                th.start();
                list.add(th);
            }
            start.countDown();
            for (Thread th : list) {
                th.join();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            long max = (long) (rounds * threads) * 1_000_003L;
            assertEquals(max, r.size());
            assertEquals(max, Files.size(file));
            r.force();
            for (int k = 1; k <= rounds * threads; k++) {
                long at = (long) k * 1_000_003L - 8;
                assertEquals((long) k * 1_000_003L, r.view(at, 8).getLong(0));
            }
        }
    }

    /**
     * A close racing grows: each grow either finished before the close or says closed; nothing
     * crashes, and every write made before a grow that succeeded is in the file (a write racing the
     * close itself may land in the quarantine: that is what close means for a stale view).
     */
    @Test
    void closeWhileGrowing() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path file = dir.resolve("race" + round);
            GrowableRegion r = open(file, 4096, 256 * MIB, RW);
            AtomicInteger confirmed = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread grower = new Thread(() -> {
                try {
                    for (int i = 1; i <= 200; i++) {
                        r.grow(i * MIB);
                        // grow(i) began before close: every write before it reached the file.
                        confirmed.set(i - 1);
                        r.view(i * MIB - 4, 4).putInt(0, i);
                    }
                } catch (IllegalStateException | IndexOutOfBoundsException closed) {
                    // expected once closed (a view made just before close has limit 0)
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            grower.start();
            Thread.sleep(round % 5);
            r.close();
            grower.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            int done = confirmed.get();
            assertTrue(Files.size(file) >= done * MIB);
            for (int i = 1; i <= done; i++) {
                assertEquals(i, ByteBuffer.wrap(readFile(file, i * MIB - 4, 4)).getInt(), "write " + i);
            }
        }
    }

    @Test
    void allocatingGrowOnAFullFileSystemFailsAtGrowTimeAndLosesNothing() throws Exception {
        assumeTrue(GrowableRegion.canAllocate());
        Path mount = dir.resolve("small");
        Files.createDirectory(mount);
        assumeTrue(mountTmpfs(mount, "8m"), "mounting a tmpfs needs root (CAP_SYS_ADMIN): skipped");
        try {
            Path file = mount.resolve("log");
            List<byte[]> written = new ArrayList<>();
            List<ByteBuffer> views = new ArrayList<>();
            MmapException full = null;
            try (GrowableRegion r = open(file, 0, 64 * MIB, RW)) {
                for (int i = 0; i < 64; i++) {
                    long before = r.size();
                    try {
                        r.grow(before + MIB, true);
                    } catch (MmapException e) {
                        full = e;
                        assertEquals(before, r.size(), "a failed grow leaves the size");
                        break;
                    }
                    byte[] chunk = pattern(i, (int) MIB);
                    ByteBuffer v = r.view(before, (int) MIB);
                    v.put(chunk); // every page: allocated by the grow, so no SIGBUS
                    written.add(chunk);
                    views.add(v);
                }
                assertTrue(full != null, "an 8 MiB tmpfs must fill up before 64 MiB");
                assertEquals("ENOSPC", full.errnoName(), full.getMessage());
                assertTrue(written.size() >= 4, "wrote " + written.size() + " MiB first");
                // Nothing lost: the old views and the file hold every byte, and the region still works.
                r.force();
                for (int i = 0; i < written.size(); i++) {
                    assertArrayEquals(written.get(i), get(views.get(i), 0, (int) MIB), "view " + i);
                    assertArrayEquals(written.get(i), readFile(file, i * MIB, (int) MIB), "file MiB " + i);
                }
                assertEquals(written.size() * MIB, r.size());
                r.view(0, 8).putLong(0, 5L);
            }
            assertEquals(5L, ByteBuffer.wrap(readFile(file, 0, 8)).getLong());
        } finally {
            umount(mount);
        }
    }

    /**
     * Past the file system's limit: ext4 (4 KiB blocks) holds files up to 16 TiB, so growing a
     * region reserved at 17 TiB to 16 TiB + 1 MiB gets EFBIG from ftruncate. (RLIMIT_FSIZE would
     * test this anywhere, but mmap4j's quarantine memfd is sized 2^62 and fails under any such limit.)
     */
    @Test
    void growingPastTheFileSystemsLimitIsEfbigAndChangesNothing() throws Exception {
        assumeTrue("ext4".equals(Files.getFileStore(dir).type()), "needs ext4 (16 TiB file limit) under the "
                + "temporary directory; it is " + Files.getFileStore(dir).type());
        Path file = dir.resolve("limited");
        long limit = 16L << 40;
        GrowableRegion opened;
        try {
            opened = open(file, MIB, limit + GIB, RW);
        } catch (MmapException e) {
            assumeTrue(!"ENOMEM".equals(e.errnoName()), "17 TiB of address space is not available here");
            throw e;
        }
        try (GrowableRegion r = opened) {
            r.view(0, 8).putLong(0, 77L);
            MmapException e = assertThrows(MmapException.class, () -> r.grow(limit + MIB));
            assertEquals("ftruncate", e.call());
            assertEquals("EFBIG", e.errnoName(), e.getMessage());
            assertEquals(MIB, r.size());
            assertEquals(77L, r.view(0, 8).getLong(0));
            assertEquals(MIB, Files.size(file), "the file was not changed");
            // Sparse growth to just below the limit still works, at the same address.
            long base = r.address();
            r.grow(limit - MIB);
            r.view(limit - MIB - 8, 8).putLong(0, 78L);
            assertEquals(base, r.address());
        }
        assertEquals(78L, ByteBuffer.wrap(readFile(file, limit - MIB - 8, 8)).getLong());
    }

    /**
     * The second JVM: maps the file, follows the parent's growth (growToFileSize), checks the
     * parent's bytes, then grows the file itself and writes its own. Control words: the parent's
     * step at byte 0, the child's at byte 8.
     */
    public static final class Follower {
        public static void main(String[] args) throws Exception {
            Path file = Paths.get(args[0]);
            int steps = Integer.parseInt(args[1]);
            try (GrowableRegion r = GrowableRegion.open(file, 64 * MIB, MapOptions.of(MapMode.READ_WRITE))) {
                ByteBuffer control = r.view(0, 16);
                long base = r.address();
                for (int step = 1; step <= steps; step++) {
                    waitFor(control, 0, step);
                    long size = r.growToFileSize();
                    byte[] expected = pattern(100 + step, 4096);
                    byte[] seen = new byte[4096];
                    ByteBuffer v = r.view(size - 4096, 4096);
                    v.get(seen);
                    if (!Arrays.equals(expected, seen)) {
                        System.out.println("step " + step + ": the parent's bytes differ");
                        return;
                    }
                    r.grow(size + MIB);
                    r.view(size + MIB - 4096, 4096).put(pattern(200 + step, 4096));
                    if (r.address() != base) {
                        System.out.println("moved");
                        return;
                    }
                    Atomics.setLongVolatile(control, 8, step);
                }
                System.out.println("followed " + steps);
            }
        }

        static void waitFor(ByteBuffer control, int index, long value) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Atomics.getLongVolatile(control, index) < value) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no step " + value + " at byte " + index);
                }
                Thread.sleep(1);
            }
        }
    }

    @Test
    void aSecondJvmFollowsTheGrowthAndGrowsTheFileItself() throws Exception {
        Path file = dir.resolve("shared-log");
        int steps = 3;
        try (GrowableRegion r = open(file, MIB, 64 * MIB, RW)) {
            ByteBuffer control = r.view(0, 16);
            ChildProcess.Running child = ChildProcess.jvm(Follower.class, file.toString(), Integer.toString(steps))
                    .in(dir).timeout(60).start();
            List<ByteBuffer> mine = new ArrayList<>();
            for (int step = 1; step <= steps; step++) {
                // Follow what the child appended, then append a part of our own.
                long size = r.growToFileSize();
                if (step > 1) {
                    assertArrayEquals(pattern(200 + step - 1, 4096), get(r.view(size - 4096, 4096), 0, 4096));
                }
                r.grow(size + 2 * MIB);
                ByteBuffer v = r.view(size + 2 * MIB - 4096, 4096);
                v.put(pattern(100 + step, 4096));
                mine.add(v);
                Atomics.setLongVolatile(control, 0, step);
                Follower.waitFor(control, 8, step);
            }
            ChildProcess.Result res = child.finish();
            assertEquals(0, res.exit, res.toString());
            assertEquals("followed " + steps, res.out.trim(), res.toString());
            long size = r.growToFileSize();
            assertEquals(MIB + steps * 3 * MIB, size);
            assertArrayEquals(pattern(200 + steps, 4096), get(r.view(size - 4096, 4096), 0, 4096));
            for (int i = 0; i < mine.size(); i++) {
                assertArrayEquals(pattern(101 + i, 4096), get(mine.get(i), 0, 4096), "my view " + i);
            }
        }
    }

    private static boolean mountTmpfs(Path at, String size) throws Exception {
        if (!Platform.isLinux()) {
            return false;
        }
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
                .redirectErrorStream(true).start();
        drain(p);
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static void umount(Path at) throws Exception {
        Process p = new ProcessBuilder("umount", at.toString()).redirectErrorStream(true).start();
        drain(p);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            // Busy (a descriptor not closed yet): detach it, it goes when the last user does.
            Process lazy = new ProcessBuilder("umount", "-l", at.toString()).redirectErrorStream(true).start();
            drain(lazy);
            lazy.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void drain(Process p) throws IOException {
        byte[] b = new byte[4096];
        while (p.getInputStream().read(b) > 0) {
            // discard
        }
    }

    /** Small platform facts for the tests, without reaching into internals. */
    private static final class Platform {
        static boolean isLinux() {
            return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux");
        }

        static boolean isMac() {
            return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("mac");
        }
    }

    /** The process id on Java 8 too (no ProcessHandle there). */
    private static final class ProcessHandleless {
        static String pid() {
            String name = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
            return name.substring(0, name.indexOf('@')) + "-" + System.nanoTime() % 100000;
        }
    }
    /** Opens a region and maps the first {@code length} bytes, as a user does: open, then grow. */
    private static GrowableRegion open(Path file, long length, long reserve, MapOptions options) throws IOException {
        return grown(GrowableRegion.open(file, reserve, options), length);
    }

    private static GrowableRegion openShared(String name, long length, long reserve, MapOptions options)
            throws IOException {
        return grown(GrowableRegion.openSharedMemory(name, reserve, options), length);
    }

    private static GrowableRegion grown(GrowableRegion region, long length) throws IOException {
        try {
            if (length > 0) {
                region.grow(length);
            }
            return region;
        } catch (IOException | RuntimeException e) {
            region.close();
            throw e;
        }
    }
}
