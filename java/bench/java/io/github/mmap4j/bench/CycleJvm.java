/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.MapMode;
import io.github.mmap4j.MapOptions;
import io.github.mmap4j.Mmap;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Case 1b (issue 27): map 4 KiB, read one byte, unmap, each contender in a JVM of its own. In one
 * JVM the JDK's deferred unmapping (its buffers are unmapped by the collector, some time later)
 * lands in whichever benchmark runs next; here every JVM pays for its own. mmap4j unmaps at
 * {@code Mmap.unmap}; the JDK's {@code FileChannel.map} buffer is dropped and its collector unmaps
 * it. The pairs alternate (mmap4j, JDK, mmap4j, JDK, ...) so that a busy machine weighs on both;
 * the figure is the median of the pairs' JVMs.
 *
 * <p>Usage: {@code CycleJvm <out.csv> <pairs> <cycles> <java>...} (a JDK 8 child runs with
 * {@code -Dbench.classpath8}, as in {@link LoadTime}); the children are {@code CycleJvm child
 * mmap4j|jdk <cycles>}: a warm-up of {@code cycles / 4}, then {@code cycles} timed cycles.
 * {@code -Dbench.liveMb=N} gives each child N MB of live objects (small arrays, as an
 * application's heap holds) before it starts, with {@code -Xmx} to fit: what a collection costs
 * grows with them (not a case of {@code run.sh}'s report; docs/performance.md cites its runs).
 * Each child reports its collections' time too, and its worst cycle (the one that found a collection
 * or a batch of reclaims in its way): the report gives the median of the JVMs' worst cycles.
 */
public final class CycleJvm {

    private static final String[] CONTENDERS = {"mmap4j", "jdk"};
    private static final int SIZE = 4096;
    /**
     * What starts a child's result line: the JVM may print its own warnings to stdout first (a
     * JDK child that ran the process out of mappings warns that it could not start a GC thread).
     */
    private static final String RESULT = "ns/cycle ";

    private CycleJvm() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("child")) {
            System.out.println(RESULT + child(args[1], Integer.parseInt(args[2])));
            return;
        }
        Path out = Paths.get(args[0]);
        int pairs = Integer.parseInt(args[1]);
        int cycles = Integer.parseInt(args[2]);
        String file = LoadTime.benchFile();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            csv.println(LoadTime.CSV_HEADER);
            for (int j = 3; j < args.length; j++) {
                String java = args[j];
                int feature = LoadTime.feature(java);
                String classPath = LoadTime.classPath(feature);
                double[][] ns = new double[CONTENDERS.length][pairs];
                double[][] gcMs = new double[CONTENDERS.length][pairs];
                double[][] worstMs = new double[CONTENDERS.length][pairs];
                for (int i = 0; i < pairs; i++) {
                    for (int c = 0; c < CONTENDERS.length; c++) {
                        double[] result = run(java, feature >= 22, classPath, file, CONTENDERS[c], cycles);
                        ns[c][i] = result[0];
                        gcMs[c][i] = result[1];
                        worstMs[c][i] = result[2];
                    }
                }
                for (int c = 0; c < CONTENDERS.length; c++) {
                    Arrays.sort(ns[c]); // a child that died is NaN: sorted last, left out of the median
                    Arrays.sort(gcMs[c]);
                    Arrays.sort(worstMs[c]);
                    int ran = 0;
                    while (ran < pairs && !Double.isNaN(ns[c][ran])) {
                        ran++;
                    }
                    if (ran < pairs) {
                        System.out.printf(Locale.ROOT, "CycleJvm %s on JDK %d: %d of %d JVMs died%n", CONTENDERS[c],
                                feature, pairs - ran, pairs);
                    }
                    if (ran == 0) {
                        continue;
                    }
                    double median = ns[c][ran / 2];
                    csv.printf(Locale.ROOT, "\"io.github.mmap4j.bench.CycleJvm.%s\",\"median\",1,%d,%.3f,NaN,"
                            + "\"ns/op\",%d,jdk%d%n", CONTENDERS[c], ran, median, SIZE, feature);
                    csv.printf(Locale.ROOT, "\"io.github.mmap4j.bench.CycleJvm.%s:worst\",\"median\",1,%d,%.3f,NaN,"
                            + "\"ms\",%d,jdk%d%n", CONTENDERS[c], ran, worstMs[c][ran / 2], SIZE, feature);
                    System.out.printf(Locale.ROOT, "CycleJvm %s on JDK %d: median %.2f µs/cycle (min %.2f, max %.2f, "
                            + "%d JVMs of %d cycles%s), collections %.0f ms a JVM, worst cycle %.1f ms (medians)%n",
                            CONTENDERS[c], feature, median / 1e3, ns[c][0] / 1e3, ns[c][ran - 1] / 1e3, ran, cycles,
                            LIVE_MB > 0 ? ", " + LIVE_MB + " MB live" : "", gcMs[c][ran / 2], worstMs[c][ran / 2]);
                }
            }
        }
    }

    /** Runs one child JVM; returns its nanoseconds per cycle, its collections' and its worst cycle's milliseconds. */
    private static double[] run(String java, boolean nativeAccess, String classPath, String file, String contender,
                                int cycles) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList(java, "-Dbench.file=" + file, "-cp", classPath));
        if (LIVE_MB > 0) {
            command.addAll(Arrays.asList("-Dbench.liveMb=" + LIVE_MB, "-Xmx" + (3 * LIVE_MB + 256) + "m"));
        }
        if (nativeAccess) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(Arrays.asList(CycleJvm.class.getName(), "child", contender, Integer.toString(cycles)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length()).trim();
                } else {
                    System.err.println("CycleJvm " + contender + " child: " + line);
                }
            }
        }
        int status = p.waitFor();
        if (status != 0 || result == null) {
            if (contender.equals("mmap4j")) {
                throw new IllegalStateException("CycleJvm: the mmap4j child exited with status " + status
                        + ": mmap4j must never crash the JVM: " + command);
            }
            // The JDK's contender dying (its mappings waiting for a collection can exhaust
            // vm.max_map_count) is a result of the comparison, not a broken run.
            System.err.println("CycleJvm " + contender + " child exited with status " + status + ": " + command);
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        String[] fields = result.split(" ");
        return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
            Double.parseDouble(fields[2])};
    }

    /**
     * A warm-up, then the timed cycles; returns "ns per cycle, collections' ms, worst cycle's ms" (the
     * bytes read go to stderr's void).
     */
    private static String child(String contender, int cycles) throws Exception {
        Path file = Paths.get(System.getProperty("bench.file"));
        boolean mmap4j = contender.equals("mmap4j");
        live = ballast(LIVE_MB);
        long sink = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MapOptions options = MapOptions.of(MapMode.READ_ONLY);
            sink += cycles(channel, options, mmap4j, Math.max(1, cycles / 4));
            worstNanos = 0;
            long gc = collectionMs();
            long start = System.nanoTime();
            sink += cycles(channel, options, mmap4j, cycles);
            long elapsed = System.nanoTime() - start;
            gc = collectionMs() - gc;
            if (sink == 42 || live.length == 42) {
                System.err.print("");
            }
            return (double) elapsed / cycles + " " + gc + " " + worstNanos / 1e6;
        }
    }

    /** {@code -Dbench.liveMb}: MB of live objects in each child. */
    private static final int LIVE_MB = Integer.getInteger("bench.liveMb", 0);
    /** The child's live objects. */
    private static Object[] live;

    /** About {@code mb} MB of small live arrays (48 bytes each with their slot). */
    private static Object[] ballast(int mb) {
        Object[] objects = new Object[(int) ((long) mb << 20) / 48];
        for (int i = 0; i < objects.length; i++) {
            objects[i] = new long[2];
        }
        return objects;
    }

    /** Milliseconds of collection so far, every collector. */
    private static long collectionMs() {
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean gc
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    /** The longest cycle of the {@link #cycles} calls since it was last set to 0, in nanoseconds. */
    private static long worstNanos;

    private static long cycles(FileChannel channel, MapOptions options, boolean mmap4j, int n) throws Exception {
        long sum = 0;
        long worst = worstNanos;
        long last = System.nanoTime(); // one clock read a cycle: about 20 ns of 10 us, for both contenders
        for (int i = 0; i < n; i++) {
            if (mmap4j) {
                ByteBuffer buffer = Mmap.map(channel, 0, SIZE, options);
                sum += buffer.get(0);
                Mmap.unmap(buffer);
            } else {
                sum += channel.map(FileChannel.MapMode.READ_ONLY, 0, SIZE).get(0);
            }
            long now = System.nanoTime();
            worst = Math.max(worst, now - last);
            last = now;
        }
        worstNanos = worst;
        return sum;
    }
}
