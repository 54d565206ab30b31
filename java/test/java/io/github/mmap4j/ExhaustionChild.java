/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs of {@link ExhaustionTest}: mmap4j at the end of the process's descriptors or
 * kernel mappings, each in a fresh JVM so that mmap4j's first use happens in the scenario.
 * {@code main(scenario, dir)}; exit status 0 means the scenario's own checks passed.
 */
final class ExhaustionChild {

    private static final PrintStream OUT = System.out;
    /** Descriptors taken to exhaust the table; released by {@link #freeDescriptors()}. */
    private static final List<FileInputStream> TAKEN = new ArrayList<>();

    private ExhaustionChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[1]);
        loadClasses(Mmap.class);
        loadClasses(ExhaustionChild.class);
        // The loader the jar shades, and what it logs through (in the jar a silent stand-in).
        for (String other : new String[] {"org.scijava.nativelib.NativeLibraryUtil", "org.slf4j.LoggerFactory"}) {
            try {
                // Initialised: linking slf4j-api's Java 5 classes loads the JVM's old verifier
                // (libverify, a dlopen), which the jar's stand-in for them does not need.
                loadClasses(Class.forName(other, true, ExhaustionChild.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                // shaded into mmap4j's own classes
            }
        }
        switch (args[0]) {
            case "first-map":
                firstMapWithoutDescriptors(dir);
                break;
            case "first-unmap":
                firstUnmapWithoutDescriptors(dir);
                break;
            case "dropped-regions":
                droppedRegions(dir);
                break;
            case "map-count":
                mapUntilRefused(dir);
                break;
            case "waiting-merged":
                waitingCollections(dir, false);
                break;
            case "waiting-scarce":
                waitingCollections(dir, true);
                break;
            case "waiting-no-explicit-gc":
                waitingWithoutExplicitCollections(dir);
                break;
            case "waiting-collected":
                waitingCollected(dir);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        OUT.println("done");
        System.exit(0);
    }

    /**
     * Loads, without initialising, every class of the class directory {@code c} came from. From
     * a jar (the way users get mmap4j) loading a class needs no descriptor; from the build's class
     * directories every class is a file to open, and a class that cannot be loaded stays
     * unresolved for the JVM's life. Initialising them is what the scenarios test.
     */
    static void loadClasses(Class<?> c) throws Exception {
        Path root = Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".class")).forEach(p -> files.add(root.relativize(p)
                        .toString()));
            }
        } else {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(root.toFile())) {
                for (java.util.Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String entry = e.nextElement().getName();
                    if (entry.endsWith(".class") && !entry.contains("-")) {
                        files.add(entry);
                    }
                }
            }
        }
        for (String f : files) {
            String name = f.substring(0, f.length() - ".class".length()).replace('/', '.');
            try {
                Class.forName(name, false, c.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // a class of another tool (JUnit's, say): not needed here
            }
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            OUT.println("FAILED: " + what);
            System.exit(2);
        }
        OUT.println("ok: " + what);
    }

    /** Opens /dev/null until the process has no descriptor left. */
    private static void takeAllDescriptors() {
        for (;;) {
            try {
                TAKEN.add(new FileInputStream("/dev/null"));
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("Too many open files")) {
                    throw new AssertionError(e);
                }
                return;
            }
        }
    }

    private static void freeDescriptors() throws IOException {
        for (FileInputStream in : TAKEN) {
            in.close();
        }
        TAKEN.clear();
    }

    private static Path file(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, new byte[8192]);
        return file;
    }

    /** mmap4j's very first call (the library is not loaded yet) with no descriptor free. */
    private static void firstMapWithoutDescriptors(Path dir) throws Exception {
        Path file = file(dir, "first-map");
        String message = "";
        takeAllDescriptors();
        Throwable failure = null;
        try {
            Mmap.map(file, MapMode.READ_ONLY);
        } catch (Throwable t) {
            failure = t;
        }
        freeDescriptors();
        if (failure != null) {
            message = failure.toString();
        }
        OUT.println("first map: " + message);
        check(failure instanceof MmapException && "EMFILE".equals(((MmapException) failure).errnoName()),
                "the first map fails with MmapException EMFILE");
        check(failure.getMessage().contains("ulimit -n"), "its hint says how to get more");
        takeAllDescriptors();
        failure = null;
        try {
            Mmap.anonymous(4096, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        } catch (Throwable t) {
            failure = t;
        }
        freeDescriptors();
        check(failure instanceof MmapException && "EMFILE".equals(((MmapException) failure).errnoName()),
                "so does an anonymous one, which needs a descriptor only to load the library: " + failure);
        ByteBuffer b = Mmap.map(file, MapMode.READ_ONLY);
        check(b.capacity() == 8192, "once descriptors are free, mmap4j works");
        Mmap.unmap(b);
    }

    /** The JVM's first unmap (where the quarantine opens its memfd) with no descriptor free. */
    private static void firstUnmapWithoutDescriptors(Path dir) throws Exception {
        Path file = file(dir, "first-unmap-" + ProcessHandleless.pid());
        ByteBuffer b = Mmap.map(file, 0, 8192, MapOptions.of(MapMode.READ_WRITE));
        takeAllDescriptors();
        Throwable failure = null;
        try {
            Mmap.unmap(b);
        } catch (Throwable t) {
            failure = t;
        }
        freeDescriptors();
        OUT.println("first unmap: " + failure);
        check(failure == null, "the first unmap works without a free descriptor");
        check(b.limit() == 0, "and closed the buffer");
        check(!mapsFile(file), "the file is no longer mapped");
        for (int i = 0; i < 3; i++) {
            ByteBuffer c = Mmap.map(file, 0, 8192, MapOptions.of(MapMode.READ_WRITE));
            Mmap.unmap(c);
        }
        check(!mapsFile(file), "later unmaps work too");
        long before = Mappings.reclaimed();
        b = null;
        for (int i = 0; i < 600 && Mappings.size() > 0; i++) {
            System.gc();
            Thread.sleep(50);
        }
        check(Mappings.size() == 0 && Mappings.reclaimed() >= before + 1, "the closed ranges were unmapped ("
                + (Mappings.reclaimed() - before) + ")");
    }

    /** Whether /proc/self/maps shows the file. */
    static boolean mapsFile(Path file) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            if (line.endsWith(file.toString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Growable regions dropped without close keep their descriptors until a collection: opening
     * more of them than the process may have descriptors works, as mapping more than the budget does.
     */
    private static void droppedRegions(Path dir) throws Exception {
        Path file = file(dir, "regions");
        int opened = 0;
        for (int i = 0; i < 3000; i++) {
            GrowableRegion region = GrowableRegion.open(file, 1 << 20, MapOptions.of(MapMode.READ_ONLY));
            if (region.size() != 8192) {
                check(false, "region " + i + " maps the file: " + region.size());
            }
            opened++;
        }
        check(opened == 3000, "3000 regions dropped without close, under a limit of far fewer descriptors");
    }

    /**
     * Maps until mmap4j refuses, holding every buffer (one kernel mapping each: page 0 of one
     * file, so neighbours never merge), then makes the JVM map memory of its own: collections
     * that grow the heap, new threads. The JVM must survive, and the refusal be ENOMEM with a hint.
     */
    /**
     * Closed ranges whose views are all kept, so that no collection can reclaim one: with their
     * covers merged and few kernel mappings in the process, mmap4j asks for one collection at
     * {@link Pressure#MAX_RETIRED} (the bound after a collection that was cheap and gave ranges back,
     * and at first), which gives nothing back, and then none until {@link Pressure#MAX_RETIRED_MERGED}
     * of them wait; with the process holding a budget of kernel mappings ({@code scarce}: open
     * mappings of every other page), it asks at {@link Pressure#MAX_RETIRED} and each quarter of it
     * more. Run with {@code -Dmmap4j.maxRetired=1000} and a young generation that the scenario's
     * garbage does not fill.
     */
    private static void waitingCollections(Path dir, boolean scarce) throws Exception {
        int page = (int) Mmap.pageSize();
        long budget = Math.max(1024, Pressure.limit() / 4);
        Path file = dir.resolve("waiting");
        Files.write(file, new byte[page * 4096]);
        List<ByteBuffer> open = new ArrayList<>();
        while (scarce && Pressure.kernelMappings() < budget + 8) {
            open.add(Mmap.map(file, 2L * page * (open.size() % 2048), page, MapOptions.of(MapMode.READ_ONLY)));
        }
        List<ByteBuffer> kept = new ArrayList<>();
        long before = collections();
        long forcedBefore = Pressure.forced;
        long lines = 0;
        int cycles = (int) (scarce ? Pressure.MAX_RETIRED * 3 / 2 : Pressure.MAX_RETIRED * 3);
        for (int i = 0; i < cycles; i++) {
            ByteBuffer b = Mmap.map(file, 0, page, MapOptions.of(MapMode.READ_ONLY));
            kept.add(b.duplicate());
            Mmap.unmap(b);
            if (i % 250 == 0) {
                lines = Math.max(lines, Pressure.kernelMappings());
            }
        }
        long waiting = Mappings.retiredWaiting();
        long asked = collections() - before;
        OUT.println((scarce ? "scarce" : "merged") + ": " + open.size() + " open, " + waiting + " closed ranges waiting "
                + "(maxRetired " + Pressure.MAX_RETIRED + ", merged at most " + Pressure.MAX_RETIRED_MERGED + "), "
                + "kernel mappings at most " + lines + " (budget " + budget + "), collections " + asked);
        check(waiting >= cycles, "no closed range was reclaimed: its view is kept");
        if (scarce) {
            check(asked > 0, "with a budget of kernel mappings held, the waiting ranges asked for a collection");
            check(Pressure.sleptMillis <= 7 * asked, "no map waited long for reclaims that could not come: "
                    + Pressure.sleptMillis + " ms");
            return;
        }
        check(lines < budget, "the covers merged");
        long forced = Pressure.forced - forcedBefore;
        check(forced == 1, "one collection was asked for at the bound, which gave nothing back, and no more "
                + "while the covers merged: " + forced);
        check(Pressure.mergedBound() == Pressure.MAX_RETIRED_MERGED, "a collection that gave nothing back "
                + "raised the bound to " + Pressure.MAX_RETIRED_MERGED + ": " + Pressure.mergedBound());
        for (long i = cycles; i <= Pressure.MAX_RETIRED_MERGED + Pressure.MAX_RETIRED / 2; i++) {
            ByteBuffer b = Mmap.map(file, 0, page, MapOptions.of(MapMode.READ_ONLY));
            kept.add(b.duplicate());
            Mmap.unmap(b);
        }
        OUT.println("merged, past the bound: " + Mappings.retiredWaiting() + " waiting, collections "
                + (collections() - before) + ", waited " + Pressure.sleptMillis + " ms for reclaims");
        check(collections() > before, "past " + Pressure.MAX_RETIRED_MERGED + " waiting ranges a collection is asked for");
        // Each of those collections could give nothing back (every view is kept): a map waits 7 ms
        // for it at most, not the half second a map that cannot go on waits.
        check(Pressure.sleptMillis <= 7 * (collections() - before), "no map waited long for reclaims that could "
                + "not come: " + Pressure.sleptMillis + " ms");
    }

    /**
     * Run with {@code -XX:+DisableExplicitGC}: mmap4j's {@code System.gc()} does nothing, and a
     * collection of the JVM's own (one a helper thread brings about while the map waits, by
     * filling the young generation) gives the closed ranges back. That collection is not the
     * forced one: the bound must not stay where a cheap forced collection would keep it, or a map
     * waits for reclaims at every bound from then on.
     */
    private static void waitingWithoutExplicitCollections(Path dir) throws Exception {
        int page = (int) Mmap.pageSize();
        Path file = dir.resolve("no-explicit-gc");
        Files.write(file, new byte[page]);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        long[] provoked = new long[1];
        Thread helper = new Thread(() -> {
            long seen = Pressure.forced;
            long slept = Pressure.sleptMillis;
            while (!stop.get()) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                long forced = Pressure.forced;
                if (forced == seen) {
                    slept = Pressure.sleptMillis;
                } else if (Pressure.sleptMillis != slept) {
                    // A collection was asked for and the map is past it, waiting for reclaims (it slept).
                    seen = forced;
                    slept = Pressure.sleptMillis;
                    for (int i = 0; i < 64; i++) {
                        sink = new byte[256 << 10]; // 16 MB through a young generation of 8
                    }
                    provoked[0]++;
                }
            }
        }, "collection-provoker");
        helper.setDaemon(true);
        helper.start();
        long before = collections();
        long forcedBefore = Pressure.forced;
        int cycles = (int) Pressure.MAX_RETIRED * 12;
        for (int i = 0; i < cycles; i++) {
            Mmap.unmap(Mmap.map(file, 0, page, MapOptions.of(MapMode.READ_ONLY)));
        }
        stop.set(true);
        helper.join();
        long forced = Pressure.forced - forcedBefore;
        OUT.println("no explicit gc: " + cycles + " cycles, " + forced + " collections asked for, " + provoked[0]
                + " brought about, " + (collections() - before) + " collections, " + Mappings.retiredWaiting()
                + " closed ranges waiting, bound " + Pressure.mergedBound() + ", waited " + Pressure.sleptMillis
                + " ms for reclaims");
        check(Mappings.retiredWaiting() < cycles, "the JVM's own collections gave closed ranges back");
        check(forced >= 1, "a collection was asked for at the bound");
        check(Pressure.mergedBound() == Pressure.MAX_RETIRED_MERGED, "a System.gc() that collected nothing raised "
                + "the bound to " + Pressure.MAX_RETIRED_MERGED + ": " + Pressure.mergedBound());
        // How many were asked for is printed, not checked: on a quiet machine 2 to 6 (16 to 44 before),
        // but where the helper's collection comes after the map's 7 ms wait, each quarter of the bound
        // more asks again until it does (9 to 13 with three busy threads on two CPUs).
    }

    /**
     * The other side of {@link #waitingWithoutExplicitCollections}: with the JVM's defaults the
     * forced collection happens (its probe is cleared), is cheap on a small heap and gives the
     * dropped views' ranges back, so the bound stays where it was.
     */
    private static void waitingCollected(Path dir) throws Exception {
        int page = (int) Mmap.pageSize();
        Path file = dir.resolve("collected");
        Files.write(file, new byte[page]);
        long forcedBefore = Pressure.forced;
        long reclaimedBefore = Mappings.reclaimed();
        long cycles = Pressure.MAX_RETIRED + Pressure.MAX_RETIRED / 2;
        for (long i = 0; i < cycles; i++) {
            Mmap.unmap(Mmap.map(file, 0, page, MapOptions.of(MapMode.READ_ONLY)));
        }
        long forced = Pressure.forced - forcedBefore;
        OUT.println("collected: " + cycles + " cycles, " + forced + " collections asked for, "
                + (Mappings.reclaimed() - reclaimedBefore) + " ranges reclaimed, bound " + Pressure.mergedBound());
        check(forced >= 1, "a collection was asked for at the bound");
        check(Mappings.reclaimed() > reclaimedBefore, "it gave the closed ranges back");
        check(Pressure.mergedBound() == Pressure.MAX_RETIRED, "a cheap collection that happened and gave ranges "
                + "back keeps the bound at " + Pressure.MAX_RETIRED + ": " + Pressure.mergedBound());
    }

    /** Where {@link #waitingWithoutExplicitCollections}'s helper drops its garbage. */
    static volatile byte[] sink;

    /** Collections so far, of every collector. */
    private static long collections() {
        long count = 0;
        for (java.lang.management.GarbageCollectorMXBean gc
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    private static void mapUntilRefused(Path dir) throws Exception {
        Path file = file(dir, "map-count");
        long start = System.nanoTime();
        List<ByteBuffer> held = new ArrayList<>();
        MmapException refused = null;
        try {
            for (int i = 0; i < 10_000_000; i++) {
                held.add(Mmap.map(file, 0, 4096, MapOptions.of(MapMode.READ_ONLY)));
            }
        } catch (MmapException e) {
            refused = e;
        }
        long count = Pressure.kernelMappings();
        OUT.println("held " + held.size() + " mappings, the process has " + count + " of " + Pressure.limit()
                + " (headroom " + Pressure.headroom() + ") after " + (System.nanoTime() - start) / 1_000_000
                + " ms: " + refused);
        check(refused != null && refused.errnoName().equals("ENOMEM"), "the map that would take the headroom is "
                + "refused with ENOMEM");
        check(refused.getMessage().contains("vm.max_map_count") && refused.getMessage().contains(
                Pressure.HEADROOM_PROPERTY), "the hint names the sysctl and the property");
        check(count >= 0 && Pressure.limit() - count >= Pressure.headroom(), "the headroom is left free");
        // The JVM maps memory of its own: collections growing the heap, threads, all while held.
        List<byte[]> keep = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            System.gc();
            for (int i = 0; i < 8; i++) {
                keep.add(new byte[256 << 10]);
            }
            Thread[] threads = new Thread[16];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(new Runnable() {
                    @Override
                    public void run() {
                        byte[][] garbage = new byte[64][];
                        for (int k = 0; k < 1024; k++) {
                            garbage[k & 63] = new byte[16 * 1024];
                        }
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        check(keep.size() == 160, "the JVM grew its heap, collected and started threads while mmap4j held "
                + held.size());
        try {
            Mmap.map(file, 0, 4096, MapOptions.of(MapMode.READ_ONLY));
            check(false, "a map is refused while the mappings are held");
        } catch (MmapException e) {
            check(e.errnoName().equals("ENOMEM"), "a map is still refused while they are held");
        }
        for (ByteBuffer b : held) {
            Mmap.unmap(b);
        }
        held.clear();
        ByteBuffer again = Mmap.map(file, 0, 4096, MapOptions.of(MapMode.READ_ONLY));
        check(again.capacity() == 4096, "once they are closed, mapping works again");
    }

    /** The process id without Java 9's ProcessHandle. */
    static final class ProcessHandleless {
        static String pid() throws IOException {
            return Paths.get("/proc/self").toRealPath().getFileName().toString();
        }
    }
}
