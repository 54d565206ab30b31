/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The programs the reliability tests run in a child JVM, so that a crash is a
 * failed test instead of a dead test run. {@code main(scenario, args...)};
 * exit status 0 means the scenario's own checks passed.
 */
final class Children {

    private static final PrintStream OUT = System.out;

    private Children() {
    }

    /**
     * Runs the scenario {@code args} in a child JVM started in {@code dir} with {@code jvmOptions},
     * prints what it said, and fails unless it ended normally without a crash report.
     */
    static ChildProcess.Result run(Path dir, long timeoutSeconds, List<String> jvmOptions, String... args)
            throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(Children.class, args).in(dir).options(jvmOptions)
                .timeout(timeoutSeconds).run();
        System.out.println("[" + String.join(" ", args) + " " + jvmOptions + "]\n" + r.out.trim());
        return r.assertEndedNormally();
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "protect":
                protect(args[1]);
                break;
            case "close-while-reading":
                closeWhileReading(Integer.parseInt(args[1]));
                break;
            case "truncated":
                truncated(Paths.get(args[1]));
                break;
            case "writer":
                writer(Paths.get(args[1]), Integer.parseInt(args[2]));
                break;
            case "cycles-close":
                cycles(Paths.get(args[1]), Integer.parseInt(args[2]), true);
                break;
            case "cycles-gc":
                cycles(Paths.get(args[1]), Integer.parseInt(args[2]), false);
                break;
            case "leak":
                leak();
                break;
            case "touched":
                touched();
                break;
            case "stale-views":
                StaleChildren.staleViews(Paths.get(args[1]));
                break;
            case "forwarder-race":
                StaleChildren.forwarderRace(Long.parseLong(args[1]));
                break;
            case "protect-loop":
                StaleChildren.protectLoop(Long.parseLong(args[1]));
                break;
            case "gc-race":
                StaleChildren.gcRace(Paths.get(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        args.length > 4 ? Long.parseLong(args[4]) : Long.MAX_VALUE / 2_000_000);
                break;
            case "budget":
                StaleChildren.budget(Paths.get(args[1]), Integer.parseInt(args[2]));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    /** Value the writer stores at int index i, and the parent expects. */
    static int pattern(int i) {
        return i * 0x9E3779B1 ^ 0x5A5A5A5A;
    }

    // ---------------------------------------------------------------- protect + SIGSEGV forwarder

    /** Writes a PROT_READ page ("write") or reads a PROT_NONE page ("read"): must end in InternalError. */
    private static void protect(String what) throws Exception {
        long page = Mmap.pageSize();
        OUT.println("java " + System.getProperty("java.specification.version") + " canTrapProtectionFaults="
                + Mmap.canTrapProtectionFaults());
        if (!Mmap.canTrapProtectionFaults() && !"false".equals(System.getProperty("mmap4j.segvForwarder"))) {
            // Java 8-10 by default: a protect that would need the forwarder is refused, nothing faults.
            try {
                Mmap.protect(Mmap.anonymous((int) page, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE)), Protection.READ);
                OUT.println("protect was not refused");
                System.exit(3);
            } catch (UnsupportedOperationException e) {
                OUT.println("refused on this JVM: " + e.getMessage());
                OUT.println("done");
                return;
            }
        }
        if (what.equals("cycles")) {
            // Close frees the forwarder's slot: more protect/close cycles than the table has slots.
            for (int i = 0; i < 10_000; i++) {
                ByteBuffer b = Mmap.anonymous((int) page, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
                Mmap.protect(b, Protection.READ);
                if ((i & 1) == 0) {
                    Mmap.unmap(b);
                } // the other half is reclaimed by GC, which frees the slot too
            }
            OUT.println("10000 protected mappings closed or collected");
            OUT.println("done");
            return;
        }
        if (what.equals("late")) {
            lateFaults(200);
            OUT.println("done");
            return;
        }
        if (what.equals("none")) {
            // Mapped with no access at all: registered at map time, before any protect call.
            MappedRegion region = Mmap.anonymousRegion(2 * page, MapOptions.of(MapMode.READ_WRITE).protection(new Protection[0]));
            ByteBuffer view = region.view(page, 8);
            try {
                long v = view.getLong(0);
                Thread.sleep(10);
                OUT.println("no error (" + v + ")");
                System.exit(3);
            } catch (InternalError e) {
                OUT.println("caught InternalError: " + e.getMessage());
            }
            region.close();
            OUT.println("done");
            return;
        }
        ByteBuffer buf = Mmap.anonymous((int) (4 * page), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        buf.put(0, (byte) 1);
        if (what.equals("write")) {
            Mmap.protect(TestBuffers.slice(buf, page, page), Protection.READ);
        } else {
            Mmap.protect(TestBuffers.slice(buf, page, page));
        }
        OUT.println("protected; forwarder installed=" + Guard.installed());
        OUT.flush();
        long sink = 0;
        try {
            if (what.equals("write")) {
                buf.put((int) page, (byte) 7);
            } else {
                sink += buf.get((int) page + 5);
            }
            // JDK 17 may deliver the InternalError a little later (at the next safepoint poll or
            // native transition): give it those chances before concluding it never came.
            for (int i = 0; i < 1_000_000; i++) {
                sink += i;
            }
            Thread.sleep(10);
            OUT.println("no error (sink " + sink + ")");
            System.exit(3);
        } catch (InternalError e) {
            OUT.println("caught InternalError: " + e.getMessage());
        }
        // The JVM goes on: the rest of the mapping still works, and so do null checks.
        buf.put(0, (byte) 2);
        Object nothing = sink < 0 ? new Object() : null;
        try {
            nothing.hashCode();
        } catch (NullPointerException e) {
            OUT.println("NPE still works");
        }
        Mmap.unmap(buf);
        OUT.println("done");
    }

    /** The sum of every faulting read, so that no read is optimised away. */
    private static long lateSink;

    /** The calls {@link #lateFaults} makes after a fault, by index (a switch on a String calls String code). */
    private static final String[] LATE_CALLS = {"map", "advise", "isMapped", "unmap", "region-view", "region-close"};

    /**
     * A read of a protected page, then one mmap4j call, {@code rounds} times for each call: the
     * thread must have seen the fault's InternalError by the end of that call, wherever HotSpot
     * throws it (at the access on JDK 19+, at the next call into Java or safepoint poll before),
     * exactly once, and a close must still have closed. One line per call: where the error was seen.
     */
    private static void lateFaults(int rounds) throws Exception {
        int page = (int) Mmap.pageSize();
        MapOptions options = MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE);
        ByteBuffer other = Mmap.anonymous(page, options);
        Advice normal = Advice.NORMAL; // initialised here: a class initialiser run with the error pending fails for good
        for (int c = 0; c < LATE_CALLS.length; c++) {
            boolean region = c >= 4;
            boolean close = c == 3 || c == 5;
            int atAccess = 0;
            int atCall = 0;
            int never = 0;
            int open = 0;
            int atEntry = 0;
            for (int round = 0; round < rounds; round++) {
                MappedRegion r = region ? Mmap.anonymousRegion(page, options) : null;
                ByteBuffer b = region ? r.view(0, page) : Mmap.anonymous(page, options);
                Mmap.protect(b);
                boolean seen = false;
                int stage = 0; // 1 once the call is being made
                try {
                    lateSink += b.get(round % page);
                    stage = 1;
                    if (c == 0) {
                        Mmap.unmap(Mmap.anonymous(page, options));
                    } else if (c == 1) {
                        Mmap.advise(other, normal);
                    } else if (c == 2) {
                        Mmap.isMapped(other);
                    } else if (c == 3) {
                        Mmap.unmap(b);
                    } else if (c == 4) {
                        r.view(0, 8);
                    } else {
                        r.close();
                    }
                    stage = 2;
                } catch (InternalError e) {
                    seen = true;
                    if (stage == 0) {
                        atAccess++;
                    } else {
                        atCall++;
                    }
                    if (close && stage == 1 && (region ? r.isOpen() : Mmap.isMapped(b))) {
                        // Left open: allowed only when the error struck as the JVM entered the public
                        // close itself (its invocation counter), before any of its code ran; HotSpot
                        // then matches no handler of that method. Closing again closes.
                        StackTraceElement[] at = e.getStackTrace();
                        boolean entry = at.length > 1 && at[1].getClassName().equals(Children.class.getName())
                                && at[0].getClassName().equals((region ? MappedRegion.class : Mmap.class).getName())
                                && at[0].getMethodName().equals(region ? "close" : "unmap");
                        if (!entry) {
                            e.printStackTrace(OUT);
                        }
                        if (region) {
                            r.close();
                        } else {
                            Mmap.unmap(b);
                        }
                        atEntry += entry ? 1 : 0;
                        open += entry && !Mmap.isMapped(b) ? 0 : 1;
                    }
                }
                if (!seen) {
                    never++;
                }
                if (region) {
                    r.close();
                } else if (Mmap.isMapped(b)) {
                    Mmap.unmap(b);
                }
            }
            OUT.println("late " + LATE_CALLS[c] + ": rounds=" + rounds + " atAccess=" + atAccess + " atCall=" + atCall
                    + " never=" + never + " leftOpen=" + open + " (closed again after an error at the close's entry: "
                    + atEntry + ")");
        }
        Mmap.unmap(other);
    }

    // ---------------------------------------------------------------- close while reading

    private static void closeWhileReading(int rounds) throws Exception {
        final int threads = 8;
        final int size = (int) (16 * Mmap.pageSize());
        final long[] phases = new long[3]; // ns: readers starting, close, readers ending
        final int[] counts = new int[5]; // out of bounds, internal, illegal state, normal, late InternalError
        final List<String> unexpected = new ArrayList<>();
        Path file = Files.createTempFile(Paths.get("."), "cwr", ".bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            for (int round = 0; round < rounds; round++) {
                final ByteBuffer buf = Mmap.map(raf.getChannel(), 0, size, MapOptions.of(MapMode.READ_WRITE));
                final CountDownLatch running = new CountDownLatch(threads);
                final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                final int[] outcome = new int[threads];
                Arrays.fill(outcome, -1);
                Thread[] readers = new Thread[threads];
                for (int t = 0; t < threads; t++) {
                    final int id = t;
                    readers[t] = new Thread(() -> outcome[id] = read(buf, id, size, running, stop), "reader-" + t);
                    // JDK 17 can deliver the InternalError of a fault late, into whatever code runs next
                    // (a catch block, the end of the thread): that lands here, and counts as the outcome.
                    readers[t].setUncaughtExceptionHandler((thread, e) -> {
                        synchronized (counts) {
                            if (e instanceof InternalError) {
                                counts[4]++;
                                if (outcome[id] < 0) {
                                    outcome[id] = 1;
                                }
                            } else {
                                unexpected.add(e.toString());
                            }
                        }
                    });
                    readers[t].start();
                }
                // Bounded: a reader that failed before it got going must not hang the round.
                long t0 = System.nanoTime();
                running.await(5, java.util.concurrent.TimeUnit.SECONDS);
                long t1 = System.nanoTime();
                Mmap.unmap(buf);
                long t2 = System.nanoTime();
                stop.set(true);
                for (Thread reader : readers) {
                    reader.join();
                }
                phases[0] += t1 - t0;
                phases[1] += t2 - t1;
                phases[2] += System.nanoTime() - t2;
                synchronized (counts) {
                    for (int t = 0; t < threads; t++) {
                        if (outcome[t] >= 0 && outcome[t] < 4) {
                            counts[outcome[t]]++;
                        } else if (outcome[t] >= 4) {
                            unexpected.add("reader " + t + ": " + outcome[t]);
                        } else {
                            unexpected.add("reader " + t + " recorded no outcome");
                        }
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        OUT.println("rounds=" + rounds + " outOfBounds=" + counts[0] + " internal=" + counts[1]
                + " illegalState=" + counts[2] + " normal=" + counts[3] + " lateInternal=" + counts[4]
                + " unexpected=" + unexpected);
        OUT.println("ms starting=" + phases[0] / 1_000_000 + " closing=" + phases[1] / 1_000_000 + " ending="
                + phases[2] / 1_000_000);
        if (!unexpected.isEmpty()) {
            System.exit(2);
        }
    }

    /** One reader: 0 IndexOutOfBounds, 1 InternalError, 2 IllegalState, 3 normal end, 4 anything else. */
    private static int read(ByteBuffer buf, int id, int size, CountDownLatch running,
                            java.util.concurrent.atomic.AtomicBoolean stop) {
        try {
            // Half use the handed-out buffer (limit(0) on close), half a duplicate (keeps its own
            // limit, so it reaches the quarantined range: zeros, no error).
            ByteBuffer view = id % 2 == 0 ? buf : buf.duplicate();
            long sum = 0;
            int afterStop = 0;
            for (int i = 0;; i++) {
                int at = (i * 64 + id * 8) & (size - 8);
                view.putLong(at, i);
                sum += view.getLong((at + size / 2) & (size - 8));
                if (id % 4 == 1 && (i & 1023) == 0) {
                    Mmap.advise(TestBuffers.slice(view, 0, size), Advice.WILLNEED); // IllegalStateException after close
                }
                if (i == 1) {
                    running.countDown(); // in the loop: the close can come
                }
                if ((i & 63) == 0) {
                    Thread.yield(); // 8 readers on few cores: let the others and the closer run
                }
                if (stop.get() && ++afterStop > 100) {
                    return sum == 42 ? 3 : 3; // ends normally: possible when every access raced the close
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return 0;
        } catch (InternalError e) {
            return 1;
        } catch (IllegalStateException e) {
            return 2;
        } catch (Throwable e) {
            return 4;
        }
    }

    // ---------------------------------------------------------------- truncated under the mapping

    private static void truncated(Path file) throws Exception {
        long page = Mmap.pageSize();
        ByteBuffer buf = Mmap.map(file, 0, (int) (16 * page), MapOptions.of(MapMode.READ_WRITE));
        buf.put((int) (8 * page), (byte) 1);
        Process truncate = new ProcessBuilder("truncate", "-s", "0", file.toString()).inheritIO().start();
        if (truncate.waitFor() != 0) {
            OUT.println("truncate failed");
            System.exit(4);
        }
        OUT.println("file size now " + Files.size(file));
        // The page past the new end is covered with zeros by mmap4j's SIGBUS handler: the read
        // completes, on every JDK, and the mapping reports the truncation.
        byte b = buf.get((int) (8 * page));
        OUT.println("read " + b + " isTruncated=" + Mmap.isTruncated(buf));
        if (b != 0 || !Mmap.isTruncated(buf)) {
            System.exit(3);
        }
        Mmap.unmap(buf);
        OUT.println("done");
    }

    // ---------------------------------------------------------------- killed writer

    private static void writer(Path file, int ints) throws Exception {
        ByteBuffer buf = Mmap.map(file, 0, ints * 4, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        for (int i = 0; i < ints; i++) {
            buf.putInt(i * 4, pattern(i));
            OUT.println(i);
            OUT.flush();
        }
        OUT.println("finished");
        Thread.sleep(60_000); // the parent kills us before this ends
    }

    // ---------------------------------------------------------------- no leaks

    /**
     * Lines of /proc/self/maps that are mmap4j's: the mapped test file or the empty file closed
     * ranges are covered with. Exact, unlike the total, which the JVM's own heap, malloc arenas and
     * code cache move by dozens of lines as a run of a million cycles grows them.
     */
    static long ourMapsLines(Path file) throws IOException {
        long n = 0;
        String name = file.toAbsolutePath().toString();
        for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            if (line.endsWith(name) || line.contains("mmap4j-quarantine")) {
                n++;
            }
        }
        return n;
    }

    static long mapsLines() throws IOException {
        return Files.readAllLines(Paths.get("/proc/self/maps")).size();
    }

    static long openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    static String state() throws IOException {
        return "maps=" + mapsLines() + " fds=" + openFds() + " table=" + Mappings.size() + " retired="
                + Mappings.retiredWaiting();
    }

    /** Collects until the table is back to {@code table} entries, at most ~10 s. */
    static void settle(long table) throws InterruptedException {
        for (int i = 0; i < 100 && (Mappings.size() > table || Mappings.retiredWaiting() > 0); i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static void cycles(Path file, int n, boolean close) throws Exception {
        int page = (int) Mmap.pageSize();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(page);
            // Warm up (JIT, the reclaimer, the zero-length file) before the baseline.
            for (int i = 0; i < 20_000; i++) {
                Mmap.unmap(Mmap.map(raf.getChannel(), 0, page, MapOptions.of(MapMode.READ_WRITE)));
                long a = NativeForTests.mapShared(page, NativeForTests.descriptor(raf.getFD()));
                NativeForTests.unmap(a, page);
            }
            settle(0);
            long maps0 = mapsLines();
            long ours0 = ourMapsLines(file);
            long fds0 = openFds();
            long table0 = Mappings.size();
            OUT.println("before: " + state());
            int fd = NativeForTests.descriptor(raf.getFD());
            long t0 = System.nanoTime();
            for (int i = 0; i < Math.min(n, 200_000); i++) {
                long a = NativeForTests.mapShared(page, fd);
                NativeForTests.unmap(a, page);
            }
            long baseline = (System.nanoTime() - t0) / Math.min(n, 200_000);
            t0 = System.nanoTime();
            long sum = 0;
            for (int i = 0; i < n; i++) {
                ByteBuffer buf = Mmap.map(raf.getChannel(), 0, page, MapOptions.of(MapMode.READ_WRITE));
                buf.put(0, (byte) i);
                sum += buf.get(0);
                if (close) {
                    Mmap.unmap(buf);
                }
            }
            long elapsed = System.nanoTime() - t0;
            OUT.println("cycles=" + n + " close=" + close + " ms=" + elapsed / 1_000_000 + " perSecond="
                    + (long) (n / (elapsed / 1e9)) + " nsPerCycle=" + elapsed / n + " jniMmapMunmapNs=" + baseline
                    + " ratio=" + String.format("%.2f", (double) elapsed / n / baseline) + " (sum " + sum + ")");
            OUT.println("end of loop: " + state() + " reclaimed=" + Mappings.reclaimed());
            settle(table0);
            OUT.println("after: " + state());
            long maps = mapsLines();
            long ours = ourMapsLines(file);
            long fds = openFds();
            OUT.println("mmap4j's lines of /proc/self/maps: before " + ours0 + ", after " + ours);
            boolean ok = ours <= ours0 && maps <= maps0 + 64 && fds <= fds0 + 4 && Mappings.size() <= table0
                    && Mappings.retiredWaiting() == 0;
            OUT.println(ok ? "no leak" : "LEAK");
            if (!ok) {
                System.exit(5);
            }
        }
    }

    // ---------------------------------------------------------------- leak detection

    private static void mapAndForget() throws IOException {
        Mmap.anonymous((int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE)).put(0, (byte) 1);
    }

    private static void closeAndTouch() throws IOException {
        ByteBuffer b = Mmap.anonymous((int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        ByteBuffer stale = b.duplicate();
        Mmap.unmap(b);
        stale.put(0, (byte) 1); // lands in the quarantine
    }

    private static void touched() throws Exception {
        Mmap.unmap(Mmap.anonymous((int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE))); // closed, untouched: no report
        closeAndTouch();
        for (int i = 0; i < 100 && (Mappings.touchedAfterClose() < 1 || Mappings.size() > 0); i++) {
            System.gc();
            Thread.sleep(50);
        }
        OUT.println("touchedAfterClose=" + Mappings.touchedAfterClose() + " table=" + Mappings.size());
    }

    private static void leak() throws Exception {
        Mmap.unmap(Mmap.anonymous((int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE))); // closed: must not be reported
        mapAndForget();
        for (int i = 0; i < 100 && (Mappings.leaked() < 1 || Mappings.size() > 0); i++) {
            System.gc();
            Thread.sleep(50);
        }
        OUT.println("leaked=" + Mappings.leaked() + " table=" + Mappings.size());
    }
}
