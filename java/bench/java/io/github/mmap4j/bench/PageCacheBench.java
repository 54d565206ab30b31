/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.PageCache;
import io.github.mmap4j.PageCacheStats;

import java.io.IOException;
import java.io.RandomAccessFile;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Case 9 (issue 17): the page-cache state of three sets of files, by {@link PageCache#stats}
 * through {@code cachestat(2)} and through its {@code mincore(2)} path (forced with
 * {@code -Dmmap4j.cachestat=false}), one operation measuring the whole set:
 *
 * <ul>
 *   <li>{@code file}: the benchmarks' data file ({@code -Dbench.file}, 1 GiB), all cached;</li>
 *   <li>{@code sparse}: a 64 GiB sparse file ({@code -Dbench.sparse}) with 64 slices of 1/64 of
 *       {@code -Dbench.sparseCached} (1 GiB) written, one at the start of each GiB, all cached;</li>
 *   <li>{@code tree}: 10,000 files of 8 KiB ({@code -Dbench.tree}), all cached, listed once.</li>
 * </ul>
 *
 * <p>The same states are re-read before every iteration (this machine drops idle page-cache
 * pages within seconds). {@link #main} creates the fixtures ({@code create}), times
 * {@code fincore} and {@code vmtouch} on the same sets in the same states, interleaved with the
 * cachestat path timed the same way ({@code tools}), and writes the table ({@code report}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PageCacheBench {

    /** Files in the tree. */
    static final int TREE_FILES = 10_000;
    /** Bytes per file in the tree. */
    static final int TREE_FILE_BYTES = 8192;
    /** Slices written (and cached) in the sparse file, one per GiB of it. */
    static final int SPARSE_SLICES = 64;

    /** Which set, which path; the set loaded into the page cache before every iteration. */
    @State(Scope.Benchmark)
    public static class Target {
        @Param({"file", "sparse", "tree"})
        public String set;

        @Param({"cachestat", "mincore"})
        public String method;

        Path[] paths;

        @Setup(Level.Trial)
        public void choose() throws IOException {
            System.setProperty("mmap4j.cachestat", method.equals("cachestat") ? "true" : "false");
            paths = paths(set).toArray(new Path[0]);
            PageCacheStats first = PageCache.stats(paths[0], 0, Long.MAX_VALUE);
            if (first.method() != (method.equals("cachestat") ? PageCacheStats.Method.CACHESTAT
                    : PageCacheStats.Method.MINCORE)) {
                throw new IllegalStateException("asked for " + method + ", measured by " + first.method());
            }
        }

        @Setup(Level.Iteration)
        public void reload() throws IOException {
            load(set);
        }
    }

    /** Cached pages of every file of the set. */
    @Benchmark
    public long stats(Target t) throws IOException {
        long cached = 0;
        for (Path p : t.paths) {
            cached += PageCache.stats(p, 0, Long.MAX_VALUE).cached();
        }
        return cached;
    }

    // ------------------------------------------------------------------ fixtures

    static Path sparseFile() {
        return Paths.get(System.getProperty("bench.sparse", "target/bench/data/sparse-64g.bin")).toAbsolutePath();
    }

    static long sparseCached() {
        return Long.getLong("bench.sparseCached", 1L << 30);
    }

    static Path tree() {
        return Paths.get(System.getProperty("bench.tree", "target/bench/data/tree-10k")).toAbsolutePath();
    }

    /** The files of a set, in name order. */
    static List<Path> paths(String set) throws IOException {
        switch (set) {
            case "file":
                return Arrays.asList(Fixture.file());
            case "sparse":
                return Arrays.asList(sparseFile());
            case "tree":
                List<Path> files = new ArrayList<>();
                try (Stream<Path> s = Files.list(tree())) {
                    s.sorted().forEach(files::add);
                }
                return files;
            default:
                throw new IllegalArgumentException("set: " + set);
        }
    }

    /** Reads what the set keeps cached (the whole data file, the sparse file's slices, every tree file). */
    static void load(String set) throws IOException {
        switch (set) {
            case "file":
                Fixture.load();
                return;
            case "sparse":
                long slice = sparseCached() / SPARSE_SLICES;
                ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
                try (FileChannel ch = FileChannel.open(sparseFile(), StandardOpenOption.READ)) {
                    for (int i = 0; i < SPARSE_SLICES; i++) {
                        for (long at = 0; at < slice; at += chunk.capacity()) {
                            chunk.clear();
                            ch.read(chunk, ((long) i << 30) + at);
                        }
                    }
                }
                return;
            case "tree":
                for (Path p : paths("tree")) {
                    Files.readAllBytes(p);
                }
                return;
            default:
                throw new IllegalArgumentException("set: " + set);
        }
    }

    /** Writes the sparse file and the tree if they are missing or of another shape. */
    static void create() throws IOException {
        Path sparse = sparseFile();
        long size = 64L << 30;
        long slice = sparseCached() / SPARSE_SLICES;
        Path marker = sparse.resolveSibling(sparse.getFileName() + ".cached");
        String shape = size + " " + slice;
        if (!Files.isRegularFile(sparse) || !Files.isRegularFile(marker)
                || !new String(Files.readAllBytes(marker), StandardCharsets.US_ASCII).equals(shape)) {
            Files.createDirectories(sparse.getParent());
            Files.deleteIfExists(sparse);
            byte[] data = new byte[1 << 20];
            Arrays.fill(data, (byte) 0x5a);
            try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
                f.setLength(size);
                for (int i = 0; i < SPARSE_SLICES; i++) {
                    for (long at = 0; at < slice; at += data.length) {
                        f.seek(((long) i << 30) + at);
                        f.write(data, 0, (int) Math.min(data.length, slice - at));
                    }
                }
                f.getFD().sync();
            }
            Files.write(marker, shape.getBytes(StandardCharsets.US_ASCII));
        }
        Path tree = tree();
        Path last = tree.resolve(String.format("f%05d", TREE_FILES - 1));
        if (!Files.isRegularFile(last) || Files.size(last) != TREE_FILE_BYTES) {
            Files.createDirectories(tree);
            byte[] data = new byte[TREE_FILE_BYTES];
            for (int i = 0; i < TREE_FILES; i++) {
                Files.write(tree.resolve(String.format("f%05d", i)), data);
            }
        }
    }

    // ------------------------------------------------------------------ fincore and vmtouch

    /**
     * Wall time of {@code fincore} and {@code vmtouch} over each set (output to /dev/null), and of
     * mmap4j's cachestat path in this JVM, interleaved run by run (each set re-read before each):
     * the load of this shared machine changes by the minute, so only figures taken at the same
     * moment compare. The median of {@code runs}, in µs, as CSV rows {@code tool,set,us} (tool
     * {@code mmap4j} for ours). Also each tool on an empty file: its process start and exit.
     */
    static void tools(Path csv, int runs) throws IOException, InterruptedException {
        Path empty = tree().resolveSibling("empty.bin");
        Files.write(empty, new byte[0]);
        List<String> tools = new ArrayList<>();
        for (String tool : new String[] {"fincore", "vmtouch"}) {
            if (onPath(tool)) {
                tools.add(tool);
            } else {
                System.err.println("pagecache: " + tool + " is not installed: its rows are left empty");
            }
        }
        StringBuilder out = new StringBuilder("tool,set,us\n");
        for (String tool : tools) {
            run(command(tool, "empty", empty)); // once untimed: the binary and its libraries into the cache
            out.append(median(tool, "empty", runs, r -> run(command(tool, "empty", empty))));
        }
        for (String set : new String[] {"file", "sparse", "tree"}) {
            List<Path> paths = paths(set);
            for (int warm = 0; warm < 20; warm++) { // the JIT, as JMH's warm-up does
                cached(paths);
            }
            long[][] us = new long[1 + tools.size()][runs];
            for (int r = 0; r < runs; r++) {
                load(set);
                long start = System.nanoTime();
                cached(paths);
                us[0][r] = (System.nanoTime() - start) / 1000;
                for (int t = 0; t < tools.size(); t++) {
                    load(set);
                    us[1 + t][r] = run(command(tools.get(t), set, empty));
                }
            }
            for (int t = 0; t <= tools.size(); t++) {
                String tool = t == 0 ? "mmap4j" : tools.get(t - 1);
                long[] row = us[t];
                out.append(median(tool, set, runs, r -> row[r]));
            }
        }
        Files.write(csv, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One run's time, or a failure. */
    private interface Timing {
        long us(int run) throws IOException, InterruptedException;
    }

    private static String median(String tool, String set, int runs, Timing timing)
            throws IOException, InterruptedException {
        long[] us = new long[runs];
        for (int r = 0; r < runs; r++) {
            us[r] = timing.us(r);
        }
        Arrays.sort(us);
        System.err.println("pagecache: " + tool + " " + set + ": " + us[runs / 2] + " µs (median of " + runs + ")");
        return tool + "," + set + "," + us[runs / 2] + "\n";
    }

    private static long cached(List<Path> paths) throws IOException {
        long cached = 0;
        for (Path p : paths) {
            cached += PageCache.stats(p, 0, Long.MAX_VALUE).cached();
        }
        return cached;
    }

    private static List<String> command(String tool, String set, Path empty) throws IOException {
        List<String> command = new ArrayList<>(Arrays.asList(tool));
        if (set.equals("empty")) {
            command.add(empty.toString());
        } else if (set.equals("tree") && tool.equals("vmtouch")) {
            command.add(tree().toString()); // vmtouch walks a directory itself
        } else {
            for (Path p : paths(set)) {
                command.add(p.toString());
            }
        }
        return command;
    }

    /** Wall time of a process from before its start to its exit, in µs. */
    private static long run(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int exit = p.waitFor();
        long us = (System.nanoTime() - start) / 1000;
        if (exit != 0) {
            throw new IOException(String.join(" ", command).replaceAll("(.{200}).*", "$1...") + " exited with "
                    + exit);
        }
        return us;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv("PATH").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(d, tool))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ report

    /**
     * The table: per set, each contender's time, and the ratios the targets name (the 64 GiB
     * file's cachestat path at least 50 times faster than its mincore path; the cachestat path
     * no slower than fincore, counted with and without fincore's process start).
     */
    static String report(Path jmhCsv, Path toolsCsv, String machine) throws IOException {
        java.util.Map<String, Double> us = new java.util.HashMap<>();
        if (Files.exists(jmhCsv)) {
            List<String> lines = Files.readAllLines(jmhCsv, StandardCharsets.UTF_8);
            List<String> header = Arrays.asList(lines.get(0).replace("\"", "").split(","));
            int score = header.indexOf("Score");
            int set = header.indexOf("Param: set");
            int method = header.indexOf("Param: method");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.replace("\"", "").split(",");
                if (f[0].endsWith("PageCacheBench.stats")) {
                    us.put(f[method] + "|" + f[set], Double.parseDouble(f[score]));
                }
            }
        }
        if (Files.exists(toolsCsv)) {
            List<String> lines = Files.readAllLines(toolsCsv, StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                us.put(f[0] + "|" + f[1], Double.parseDouble(f[2]));
            }
        }
        String[][] sets = {{"file", mib(Fixture.size()) + " file, all cached"},
            {"sparse", "64 GiB sparse file, " + mib(sparseCached()) + " cached"},
            {"tree", String.format(Locale.ROOT, "%,d files of %d KiB, all cached", TREE_FILES,
                TREE_FILE_BYTES / 1024)}};
        StringBuilder md = new StringBuilder();
        md.append("| files | mmap4j cachestat (JMH) | mmap4j mincore path (JMH) | mincore ÷ cachestat"
                + " | mmap4j cachestat (beside the tools) | fincore | fincore net of start | vmtouch"
                + " | fincore net ÷ mmap4j |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        StringBuilder targets = new StringBuilder();
        double fincoreStart = us.getOrDefault("fincore|empty", Double.NaN);
        for (String[] s : sets) {
            double cs = us.getOrDefault("cachestat|" + s[0], Double.NaN);
            double mc = us.getOrDefault("mincore|" + s[0], Double.NaN);
            double ours = us.getOrDefault("mmap4j|" + s[0], Double.NaN);
            double fc = us.getOrDefault("fincore|" + s[0], Double.NaN);
            double vt = us.getOrDefault("vmtouch|" + s[0], Double.NaN);
            double fcNet = fc - fincoreStart;
            md.append("| ").append(s[1]).append(" | ").append(ms(cs)).append(" | ").append(ms(mc)).append(" | ")
                    .append(ratio(mc / cs)).append(" | ").append(ms(ours)).append(" | ").append(ms(fc)).append(" | ")
                    .append(ms(fcNet)).append(" | ").append(ms(vt)).append(" | ").append(ratio(fcNet / ours))
                    .append(" |\n");
            targets.append("| no slower than fincore net of its process start (beside it): ").append(s[1])
                    .append(" | ").append(ratio(fcNet / ours)).append("× faster | ")
                    .append(met(ours <= fcNet, ours, fc)).append(" |\n");
            if (s[0].equals("sparse")) {
                targets.insert(0, "| 64 GiB file: cachestat ≥ 50× faster than the mincore path (JMH) | "
                        + ratio(mc / cs) + "× faster | " + met(mc / cs >= 50, cs, mc) + " |\n");
            }
        }
        md.append(String.format(Locale.ROOT, "%nTimes in ms per measurement of the whole set: JMH's mean, or the "
                + "median of the interleaved runs beside the tools; fincore and vmtouch on an empty file (process "
                + "start and exit): %s and %s ms.%n",
                ms(fincoreStart), ms(us.getOrDefault("vmtouch|empty", Double.NaN))));
        md.append("\n| target | where it stands | |\n| --- | --- | --- |\n").append(targets);
        boolean quick = machine.contains("- quick: 1");
        return "# Page-cache residency (issue 17)" + (quick ? " (QUICK MODE: figures are not meaningful)" : "")
                + "\n\n" + md + "\n" + machine;
    }

    private static String mib(long bytes) {
        return bytes >= 1L << 30 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
    }

    private static String met(boolean met, double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "no data" : met ? "met" : "**missed**";
    }

    private static String ms(double us) {
        if (Double.isNaN(us)) {
            return "n/a";
        }
        double ms = us / 1000;
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : ms >= 10 ? "%.1f" : ms >= 1 ? "%.2f" : "%.3f", ms);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "n/a"
                : String.format(Locale.ROOT, r >= 10 ? "%.0f" : "%.1f", r);
    }

    /**
     * {@code create}, {@code tools <csv> <runs>} or {@code report <jmh csv> <tools csv> <machine.txt> <out.md>}.
     *
     * @param args the command and its arguments.
     */
    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "create":
                create();
                return;
            case "tools":
                tools(Paths.get(args[1]), Integer.parseInt(args[2]));
                return;
            case "report":
                StringBuilder machine = new StringBuilder("## Machine\n\n");
                for (String line : Files.readAllLines(Paths.get(args[3]), StandardCharsets.UTF_8)) {
                    machine.append("- ").append(line.replaceFirst("=", ": ")).append('\n');
                }
                String md = report(Paths.get(args[1]), Paths.get(args[2]), machine.toString());
                Files.write(Paths.get(args[4]), md.getBytes(StandardCharsets.UTF_8));
                System.out.print(md);
                return;
            default:
                throw new IllegalArgumentException("usage: PageCacheBench create | tools <csv> <runs> | report "
                        + "<jmh csv> <tools csv> <machine.txt> <out.md>");
        }
    }
}
