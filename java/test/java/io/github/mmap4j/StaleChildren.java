/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Child-JVM programs for the never-crash promise (issue 10): stale views handed
 * to JDK code, the SIGSEGV forwarder racing with close, the close/GC race and the
 * kernel-mapping budget. Run through {@link Children#main}; a crash is a dead child.
 */
final class StaleChildren {

    private static final PrintStream OUT = System.out;

    private StaleChildren() {
    }

    static byte pattern(int i) {
        return (byte) (i * 31 + 7 | 1); // never 0
    }

    /**
     * Every JDK path that reads or writes a stale view: intrinsic checksum stubs, bulk copies
     * (which run in the VM on JDK 8), digests, a direct-to-direct put, the kernel through a
     * channel, and a C2-compiled copy loop; through views of a closed buffer, region and grown
     * region alike. Each must see zeros; the file keeps its bytes.
     */
    static void staleViews(Path file) throws Exception {
        int size = 16 * (int) Mmap.pageSize();
        byte[] content = new byte[size];
        for (int i = 0; i < size; i++) {
            content[i] = pattern(i);
        }
        Files.write(file, content);
        List<String> failures = new ArrayList<>();
        MapOptions rw = MapOptions.of(MapMode.READ_WRITE);
        // Rounds: a file buffer, an anonymous buffer, a region's view, a growable region's view
        // that spans two grows (the file it grew holds the same content).
        Path grown = file.resolveSibling("grown-" + file.getFileName());
        for (int round = 0; round < 4; round++) {
            int failuresBefore = failures.size();
            MappedRegion owner = null;
            ByteBuffer b;
            if (round == 0) {
                b = Mmap.map(file, 0, size, rw);
            } else if (round == 1) {
                b = Mmap.anonymous(size, rw.sharing(Sharing.PRIVATE));
            } else if (round == 2) {
                owner = Mmap.mapRegion(file, 0, size, rw);
                b = owner.view(0, size);
            } else {
                GrowableRegion g = GrowableRegion.open(grown, 64L * size, rw.createOrGrow());
                owner = g;
                g.grow(size / 2);
                g.view(0, size / 2).put(content, 0, size / 2);
                g.grow(size);
                b = g.view(0, size);
                ((ByteBuffer) b.duplicate().position(size / 2)).put(content, size / 2, size / 2);
                g.force();
            }
            ByteBuffer v = b.duplicate();
            ByteBuffer slice = ((ByteBuffer) b.duplicate().position(100)).slice();
            if (owner == null) {
                Mmap.unmap(b);
            } else {
                owner.close();
            }
            check(failures, "handed-out buffer limit", b.limit() == 0);
            CRC32 crc = new CRC32();
            crc.update(v.duplicate());
            CRC32 zeros = new CRC32();
            zeros.update(new byte[size]);
            check(failures, "CRC32 of a stale view is that of zeros", crc.getValue() == zeros.getValue());
            Adler32 adler = new Adler32();
            adler.update(v.duplicate());
            Adler32 adlerZeros = new Adler32();
            adlerZeros.update(new byte[size]);
            check(failures, "Adler32", adler.getValue() == adlerZeros.getValue());
            byte[] bulk = new byte[size];
            v.duplicate().get(bulk);
            check(failures, "bulk get reads zeros", nonZero(bulk) == 0);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(v.duplicate());
            check(failures, "digest", md.digest().length == 32);
            ByteBuffer direct = ByteBuffer.allocateDirect(size);
            direct.put(v.duplicate());
            check(failures, "direct put copies zeros", direct.position() == size && direct.get(5) == 0);
            Path copy = file.resolveSibling("copy-" + round);
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                int n = ch.write(v.duplicate());
                check(failures, "FileChannel.write writes the view", n == size);
            }
            check(failures, "written zeros", nonZero(Files.readAllBytes(copy)) == 0);
            LongBuffer longs = v.duplicate().asLongBuffer();
            long[] la = new long[longs.remaining()];
            longs.get(la);
            check(failures, "asLongBuffer bulk", la[3] == 0);
            // Writes: bulk and scalar, through every view; none may reach the file.
            v.duplicate().put(new byte[size / 2]);
            byte[] ones = new byte[4096];
            java.util.Arrays.fill(ones, (byte) 0x55);
            ((ByteBuffer) v.duplicate().position(8)).put(ones);
            slice.put(0, (byte) 9).putLong(8, -1L);
            direct.clear();
            v.duplicate().put(direct);
            // A compiled loop: warm it on a live buffer, then copy a stale view; every byte must be 0
            // (the old zero-length cover let it return invented bytes before an InternalError).
            ByteBuffer warm = ByteBuffer.allocateDirect(size);
            byte[] sink = new byte[size];
            boolean interpreted = System.getProperty("java.vm.info", "").contains("interpreted");
            for (int i = 0; i < (interpreted ? 1 : 300); i++) {
                copyLoop(warm, sink);
            }
            copyLoop(v, sink);
            check(failures, "compiled copy loop reads zeros, not invented bytes", nonZero(sink) == 0);
            if (round != 1) {
                check(failures, "the file keeps its bytes",
                        java.util.Arrays.equals(content, Files.readAllBytes(round == 3 ? grown : file)));
            }
            for (int i = failuresBefore; i < failures.size(); i++) {
                failures.set(i, "round " + round + ": " + failures.get(i));
            }
        }
        OUT.println(failures.isEmpty() ? "stale views ok" : "FAILED " + failures);
        if (!failures.isEmpty()) {
            System.exit(6);
        }
    }

    private static void copyLoop(ByteBuffer from, byte[] to) {
        for (int i = 0; i < to.length; i++) {
            to[i] = from.get(i);
        }
    }

    private static int nonZero(byte[] bytes) {
        int n = 0;
        for (byte x : bytes) {
            if (x != 0) {
                n++;
            }
        }
        return n;
    }

    private static void check(List<String> failures, String what, boolean ok) {
        if (!ok) {
            failures.add(what);
        }
    }

    /** A reader hammers whatever buffer is current while the main thread protects and closes it. */
    static void forwarderRace(long millis) throws Exception {
        if (!Mmap.canTrapProtectionFaults()) {
            OUT.println("forwarder race: protect is refused on this JVM; nothing to race");
            return;
        }
        final ByteBuffer[] cur = {Mmap.anonymous(65536, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE))};
        final AtomicLong reads = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final boolean[] stop = {false};
        Thread reader = new Thread(() -> {
            while (!stop[0]) {
                try {
                    ByteBuffer b;
                    synchronized (cur) {
                        b = cur[0];
                    }
                    b.get(0);
                    reads.incrementAndGet();
                } catch (Throwable t) {
                    errors.incrementAndGet();
                }
            }
        }, "reader");
        reader.setDaemon(true);
        reader.start();
        long end = System.nanoTime() + millis * 1_000_000L;
        long cycles = 0;
        while (System.nanoTime() < end) {
            ByteBuffer b = Mmap.anonymous(65536, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
            Mmap.protect(b);
            synchronized (cur) {
                cur[0] = b.duplicate();
            }
            Mmap.unmap(b);
            cycles++;
        }
        stop[0] = true;
        reader.join(5000);
        OUT.println("forwarder race: cycles=" + cycles + " reads=" + reads + " errors=" + errors);
    }

    /**
     * One thread: protect, three faulting reads, close; again and again. Before JDK 19 the
     * InternalError of a fault is asynchronous: it may surface anywhere later in the thread (in
     * nanoTime, at a loop's back-edge), even outside every try block, so the loop runs in worker
     * threads, and a worker that died of an InternalError is replaced. Anything else is a failure.
     */
    static void protectLoop(long millis) throws Exception {
        if (!Mmap.canTrapProtectionFaults()) {
            ByteBuffer b = Mmap.anonymous((int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
            try {
                Mmap.protect(b);
                OUT.println("protect was not refused although faults cannot be trapped");
                System.exit(7);
            } catch (UnsupportedOperationException e) {
                OUT.println("protect loop: refused here: " + e.getMessage());
                return;
            }
        }
        final long end = System.nanoTime() + millis * 1_000_000L;
        final AtomicLong cycles = new AtomicLong();
        final AtomicLong internal = new AtomicLong();
        final List<String> unexpected = new ArrayList<>();
        final long[] sink = new long[1];
        int workers = 0;
        while (System.nanoTime() < end) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        ByteBuffer b = Mmap.anonymous((int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
                        Mmap.protect(b);
                        for (int i = 0; i < 3; i++) {
                            try {
                                sink[0] += b.get(i);
                            } catch (InternalError e) {
                                internal.incrementAndGet();
                            }
                        }
                        Mmap.unmap(b);
                        cycles.incrementAndGet();
                    } catch (InternalError e) {
                        internal.incrementAndGet(); // delivered late (JDK 8-18): still the fault's error
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            worker.setUncaughtExceptionHandler((t, e) -> {
                synchronized (unexpected) {
                    if (e instanceof InternalError) {
                        internal.incrementAndGet();
                    } else if (unexpected.size() < 5) {
                        unexpected.add(e.toString());
                    }
                }
            });
            worker.start();
            worker.join();
            workers++;
        }
        synchronized (unexpected) {
            OUT.println("protect loop: cycles=" + cycles + " internalErrors=" + internal + " workers=" + workers
                    + " unexpected=" + unexpected + " (" + sink[0] + ")");
            if (!unexpected.isEmpty()) {
                System.exit(7);
            }
        }
    }

    /** Threads map, use and close while a tiny young generation collects all the time. */
    static void gcRace(Path file, int threads, int cycles, long millis) throws Exception {
        int page = (int) Mmap.pageSize();
        final long deadline = System.nanoTime() + millis * 1_000_000L; // a loaded machine does fewer cycles
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength((long) page * threads);
            List<Thread> workers = new ArrayList<>();
            final List<Throwable> errors = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final long offset = (long) t * page;
                Thread w = new Thread(() -> {
                    try {
                        for (int i = 0; i < cycles && System.nanoTime() < deadline; i++) {
                            ByteBuffer b = (i & 1) == 0 ? Mmap.map(raf.getChannel(), offset, page, MapOptions.of(MapMode.READ_WRITE))
                                    : Mmap.anonymous(page, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
                            b.put(0, (byte) i);
                            if (b.get(0) != (byte) i) {
                                throw new AssertionError("read back");
                            }
                            Mmap.unmap(b);
                        }
                    } catch (Throwable e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                });
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            Children.settle(0);
            long covers = Children.ourMapsLines(file);
            OUT.println("gc race: threads=" + threads + " cycles=" + cycles + " errors=" + errors + " after: "
                    + Children.state() + " mmap4j lines=" + covers);
            if (!errors.isEmpty() || covers != 0 || Mappings.size() != 0 || Mappings.retiredWaiting() != 0) {
                OUT.println("LEFT BEHIND");
                System.exit(8);
            }
        }
    }

    /**
     * Kernel mappings per waiting closed range when ranges are reclaimed in random order, and the
     * budget: the kernel mappings of mmap4j's waiting ranges never pass a quarter of
     * vm.max_map_count, nor the ranges four times the bound (where their covers merged).
     */
    static void budget(Path file, int n) throws Exception {
        int page = (int) Mmap.pageSize();
        long limit = Platform.maxMapCount();
        OUT.println("max_map_count=" + limit + " maxRetired=" + Mappings.maxRetired());
        if (Mappings.maxRetired() > limit / 4) {
            OUT.println("OVER BUDGET");
            System.exit(9);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(page);
            ByteBuffer[] views = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                ByteBuffer b = Mmap.map(raf.getChannel(), 0, page, MapOptions.of(MapMode.READ_WRITE));
                views[i] = b.duplicate();
                Mmap.unmap(b);
            }
            Random random = new Random(42);
            for (int i = 0; i < n; i++) {
                if (random.nextBoolean()) {
                    views[i] = null;
                }
            }
            Children.settle(Mappings.size() - Mappings.retiredWaiting() / 2);
            for (int i = 0; i < 20 && Mappings.retiredWaiting() > n * 6L / 10; i++) {
                System.gc();
                Thread.sleep(100);
            }
            long waiting = Mappings.retiredWaiting();
            long lines = Children.ourMapsLines(file);
            OUT.println(String.format("random reclaim: waiting=%d kernel mappings=%d per waiting range=%.3f",
                    waiting, lines, (double) lines / waiting));
            // Churn: closed views kept for a random while; waiting ranges stay within the budget.
            long maxWaiting = 0;
            long churnLines = 0;
            int ring = (int) Math.min(8000, Mappings.maxRetired() / 2);
            ByteBuffer[] kept = new ByteBuffer[ring];
            java.util.Arrays.fill(views, null);
            for (int i = 0; i < 200_000; i++) {
                ByteBuffer b = Mmap.map(raf.getChannel(), 0, page, MapOptions.of(MapMode.READ_WRITE));
                kept[random.nextInt(ring)] = b.duplicate();
                Mmap.unmap(b);
                maxWaiting = Math.max(maxWaiting, Mappings.retiredWaiting());
                if (i % 5000 == 0) {
                    churnLines = Math.max(churnLines, Children.ourMapsLines(file));
                }
            }
            churnLines = Math.max(churnLines, Children.ourMapsLines(file));
            OUT.println("churn: max waiting=" + maxWaiting + " (bound " + Pressure.MAX_RETIRED_MERGED
                    + " where covers merged) most kernel mappings=" + churnLines + " budget=" + limit / 4);
            // A collection at the bound waits 7 ms for its reclaims; those still on their way when
            // it returns let a quarter of the bound more close before the next one.
            if (maxWaiting > Pressure.MAX_RETIRED_MERGED + Pressure.MAX_RETIRED / 4 + 64 || churnLines > limit / 4) {
                OUT.println("OVER BUDGET");
                System.exit(9);
            }
            java.util.Arrays.fill(kept, null);
            raf.setLength(64L * page);
            long threadsLines = churnInThreads(raf.getChannel(), file, page, 4, 50_000);
            OUT.println("churn in 4 threads, 64 pages: most kernel mappings=" + threadsLines + " budget=" + limit / 4);
            if (threadsLines > limit / 4) {
                OUT.println("OVER BUDGET");
                System.exit(9);
            }
        }
    }

    /**
     * {@code threads} threads each map one of 64 pages, keep a duplicate at random (one in four,
     * in a ring of 4,000), and close, {@code cycles} times: closed ranges of many offsets waiting
     * at once, reclaimed out of order, while other threads count. The most of mmap4j's kernel
     * mappings seen (sampled every 50 ms).
     */
    private static long churnInThreads(java.nio.channels.FileChannel channel, Path file, int page, int threads,
                                       int cycles) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int seed = t;
            workers[t] = new Thread(new Runnable() {
                @Override
                public void run() {
                    Random random = new Random(seed);
                    ByteBuffer[] ring = new ByteBuffer[4000];
                    try {
                        for (int i = 0; i < cycles; i++) {
                            ByteBuffer b = Mmap.map(channel, (long) page * random.nextInt(64), page,
                                    MapOptions.of(MapMode.READ_WRITE));
                            if (random.nextInt(4) == 0) {
                                ring[random.nextInt(ring.length)] = b.duplicate();
                            }
                            Mmap.unmap(b);
                        }
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                    }
                }
            });
            workers[t].start();
        }
        long most = 0;
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                most = Math.max(most, Children.ourMapsLines(file));
                worker.join(50);
            }
        }
        if (failed.get() != null) {
            failed.get().printStackTrace(OUT);
            System.exit(8);
        }
        return Math.max(most, Children.ourMapsLines(file));
    }
}
