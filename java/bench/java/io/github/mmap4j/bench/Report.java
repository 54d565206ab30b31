/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the CSVs of one run ({@code c.csv} from the C baseline, {@code jdk17.csv} and
 * {@code jdk25.csv} from JMH, {@code load.csv} from {@link LoadTime}, and for the IPC cases
 * {@code pingpong-jdk<N>.csv} from {@link PingPong} and {@code atomics-jdk<N>.csv} from JMH) and
 * {@code machine.txt}, and writes {@code results.md}: every case, every contender,
 * the figure, its ratio to C and to the JDK on the same JVM, and where each target stands.
 */
public final class Report {

    private static final String PREFIX = "io.github.mmap4j.bench.";
    /** The JDKs the IPC cases run on (JDK 8 takes Atomics' Unsafe path, the others VarHandles). */
    private static final String[] IPC_JVMS = {"8", "17", "25"};
    /** The labels of C's ping-pong runs just before and just after a JDK's ({@code "C<17"}, {@code "C>17"}). */
    private static final String BEFORE = "C<";
    private static final String AFTER = "C>";
    /** The JDKs cases 1-6 run on (JDK 25 adds FFM's rows); JDK 8 rows show "no result" without a JDK 8. */
    private static final String[] JVMS = {"8", "17", "25"};

    /** One JMH-style result. */
    private static final class Result {
        final double score;
        final double error;

        Result(double score, double error) {
            this.score = score;
            this.error = error;
        }
    }

    private final Map<String, Result> results = new HashMap<>();
    private final Map<String, String> machine = new LinkedHashMap<>();
    private final StringBuilder md = new StringBuilder();
    private final List<String> targets = new ArrayList<>();
    private long fileSize;
    /** {@code syscalls.csv}'s rows: contender, system call, calls per cycle. */
    private final List<List<String>> syscalls = new ArrayList<>();

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args.length > 0 ? args[0] : "target/bench");
        Report r = new Report();
        for (String line : Files.readAllLines(dir.resolve("machine.txt"), StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                r.machine.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        r.fileSize = Long.parseLong(r.machine.get("file_size"));
        Path syscalls = dir.resolve("syscalls.csv");
        if (Files.exists(syscalls)) {
            List<String> lines = Files.readAllLines(syscalls, StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                r.syscalls.add(split(line));
            }
        }
        r.read(dir.resolve("c.csv"), "C");
        r.read(dir.resolve("jdk8.csv"), "8");
        r.read(dir.resolve("jdk17.csv"), "17");
        r.read(dir.resolve("jdk25.csv"), "25");
        r.read(dir.resolve("load.csv"), null);
        r.read(dir.resolve("cycle.csv"), null);
        r.read(dir.resolve("growable-c.csv"), "C");
        r.read(dir.resolve("growable-jdk17.csv"), "17");
        for (String jvm : IPC_JVMS) {
            r.read(dir.resolve("pingpong-jdk" + jvm + ".csv"), jvm);
            r.read(dir.resolve("pingpong-c-before-jdk" + jvm + ".csv"), BEFORE + jvm);
            r.read(dir.resolve("pingpong-c-after-jdk" + jvm + ".csv"), AFTER + jvm);
            r.read(dir.resolve("atomics-jdk" + jvm + ".csv"), jvm);
        }
        r.write();
        Files.write(dir.resolve("results.md"), r.md.toString().getBytes(StandardCharsets.UTF_8));
        System.out.print(r.md);
    }

    // ------------------------------------------------------------------ input

    private void read(Path csv, String jvm) throws IOException {
        if (!Files.exists(csv)) {
            System.err.println("report: missing " + csv);
            return;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = split(lines.get(0));
        int name = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int size = header.indexOf("Param: size");
        int jvmColumn = header.indexOf("Param: jvm");
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = split(line);
            String benchmark = f.get(name).replace(PREFIX, "").replace('\u00b7', ':').replace("::", ":");
            String param = size >= 0 && size < f.size() ? f.get(size) : "";
            String on = jvm != null ? jvm : f.get(jvmColumn).replace("jdk", "");
            results.put(key(benchmark, param, on), new Result(number(f.get(score)), number(f.get(error))));
        }
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s.replace(',', '.'));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static String key(String benchmark, String size, String jvm) {
        return benchmark + "|" + size + "|" + jvm;
    }

    private Result get(String benchmark, String size, String jvm) {
        return results.get(key(benchmark, size, jvm));
    }

    /** Whether run.sh saw this benchmark's JDK 8 fork die (jdk8_died in machine.txt). */
    private boolean died(String benchmark, String size, String jvm) {
        return "8".equals(jvm) && (" " + machine.getOrDefault("jdk8_died", "") + " ")
                .contains(" " + benchmark + "/" + size + " ");
    }

    private double score(String benchmark, String size, String jvm) {
        Result r = get(benchmark, size, jvm);
        return r == null ? Double.NaN : r.score;
    }

    // ------------------------------------------------------------------ output

    /** How a case turns ns/op into its figure. */
    private interface Figure {
        double of(double nsPerOp);
    }

    private void write() {
        boolean quick = "1".equals(machine.get("quick"));
        md.append("# mmap4j benchmarks").append(quick ? " (QUICK MODE: figures are not meaningful)" : "")
                .append("\n\n");
        md.append("| case | contender | JVM | figure | vs C | vs JDK |\n| --- | --- | --- | ---: | ---: | ---: |\n");
        String mib = size(fileSize);
        for (String size : new String[] {"4096", "1048576", "268435456"}) {
            String c = "1. map+unmap " + size(Long.parseLong(size)) + " (µs/cycle, lower is better)";
            Figure us = ns -> ns / 1000;
            row(c, "C mmap+munmap", "MapCycle.c", size, "C", us, false, null);
            for (String jvm : JVMS) {
                row(c, "mmap4j map+unmap" + gc("MapCycle.mmap4j", size, jvm), "MapCycle.mmap4j", size, jvm, us,
                        false, "MapCycle.jdkMapDrop");
                row(c, "JDK FileChannel.map, drop (GC unmaps)" + gc("MapCycle.jdkMapDrop", size, jvm),
                        "MapCycle.jdkMapDrop", size, jvm, us, false, "MapCycle.jdkMapDrop");
            }
            row(c, "FFM map, confined arena close", "Ffm.mapCycleConfined", size, "25", us, false,
                    "MapCycle.jdkMapDrop");
            row(c, "FFM map, shared arena close", "Ffm.mapCycleShared", size, "25", us, false,
                    "MapCycle.jdkMapDrop");
        }
        String c1b = "1b. map 4 KiB + read 1 byte + unmap, each contender in a JVM of its own (µs/cycle, median "
                + "of " + machine.getOrDefault("cycle_pairs", "?") + " JVMs each)";
        Figure perCycle = ns -> ns / 1000;
        row(c1b, "C mmap + read + munmap", "CycleJvm.c", "4096", "C", perCycle, false, null);
        row(c1b, "C, mmap4j's system calls (fstat, mmap, read, read-only cover; covers unmapped in runs)",
                "CycleJvm.cSyscalls", "4096", "C", perCycle, false, null);
        for (String jvm : JVMS) {
            row(c1b, "mmap4j map + read + unmap" + worst("CycleJvm.mmap4j", jvm), "CycleJvm.mmap4j", "4096", jvm,
                    perCycle, false, "CycleJvm.jdk");
            row(c1b, "JDK FileChannel.map + read, drop (its GC unmaps, in its own JVM)" + worst("CycleJvm.jdk", jvm),
                    "CycleJvm.jdk", "4096", jvm, perCycle, false, "CycleJvm.jdk");
        }
        readCase("2. sequential getLong over " + mib + " (GB/s, higher is better)", "SeqRead", "C loop",
                ns -> fileSize / ns, true, "Ffm.seqRead");
        Figure ns = x -> x;
        readCase("3. random 8-byte reads over " + mib + " (ns/read, lower is better)", "RandomRead", "C", ns, false,
                "Ffm.randomRead");
        Figure us = x -> x / 1000;
        String c4 = "4. residency of " + mib + " (µs/call, lower is better)";
        row(c4, "C mincore + count", "Residency.c", "", "C", us, false, null);
        for (String jvm : new String[] {"8", "17"}) {
            row(c4, "mmap4j summary", "Residency.mmap4jSummary", "", jvm, us, false, "Residency.jdkIsLoaded");
            row(c4, "mmap4j per page", "Residency.mmap4jPerPage", "", jvm, us, false, "Residency.jdkIsLoaded");
            row(c4, "JDK isLoaded()", "Residency.jdkIsLoaded", "", jvm, us, false, "Residency.jdkIsLoaded");
        }
        String c5 = "5. call on one page (ns/call, lower is better)";
        row(c5, "C madvise(NORMAL)", "CallOverhead.cAdvise", "", "C", ns, false, null);
        for (String jvm : new String[] {"8", "17"}) {
            row(c5, "mmap4j advise(NORMAL)", "CallOverhead.mmap4jAdvise", "", jvm, ns, false, null,
                    "CallOverhead.cAdvise");
        }
        row(c5, "C msync(MS_ASYNC)", "CallOverhead.cSync", "", "C", ns, false, null);
        for (String jvm : new String[] {"8", "17"}) {
            row(c5, "mmap4j force(ASYNC)", "CallOverhead.mmap4jSync", "", jvm, ns, false, null,
                    "CallOverhead.cSync");
        }
        String c6 = "6. first touch to first map, fresh JVM (ms, median; vs JDK: mmap4j minus the JDK's first map)";
        for (String jvm : JVMS) {
            loadRow(c6, "mmap4j, natives extracted fresh", "LoadTime.fresh", "LoadTime.jdk", jvm);
            loadRow(c6, "mmap4j, natives cached", "LoadTime.cached", "LoadTime.jdk", jvm);
            loadRow(c6, "JDK FileChannel.map, fresh JVM", "LoadTime.jdk", null, jvm);
            loadRow(c6, "mmap4j, natives cached, caller's class from a directory", "LoadTime.cachedDir",
                    "LoadTime.jdkDir", jvm);
            loadRow(c6, "JDK FileChannel.map, caller's class from a directory", "LoadTime.jdkDir", null, jvm);
        }
        ipc();
        String c9 = "9. append " + machine.getOrDefault("append", "?") + " (ms/append, lower is better; vs JDK: vs "
                + "remapping)";
        Figure ms = x -> x / 1e6;
        row(c9, "C reservation + mmap(MAP_FIXED) per 16 MiB", "GrowAppend.c", "", "C", ms, false, null);
        row(c9, "C the same, MAP_POPULATE per part", "GrowAppend.cPopulate", "", "C", ms, false, null);
        row(c9, "C munmap + mmap whole file per 16 MiB", "GrowAppend.cRemap", "", "C", ms, false, null);
        row(c9, "C mremap(MREMAP_MAYMOVE) per 16 MiB (Linux)", "GrowAppend.cMremap", "", "C", ms, false, null);
        row(c9, "C write(2)", "GrowAppend.cWrite", "", "C", ms, false, null);
        row(c9, "mmap4j GrowableRegion, grow 16 MiB", "GrowAppend.growable", "", "17", ms, false, "GrowAppend.remap");
        row(c9, "mmap4j GrowableRegion, grow 16 MiB, POPULATE", "GrowAppend.growablePopulate", "", "17", ms, false,
                "GrowAppend.remap");
        row(c9, "FileChannel.map, unmap + remap per 16 MiB (Agrona)", "GrowAppend.remap", "", "17", ms, false,
                "GrowAppend.remap");
        row(c9, "FileChannel.write", "GrowAppend.channelWrite", "", "17", ms, false, "GrowAppend.remap");
        row(c9, "README's loop: a view per 64-byte record", "GrowAppend.viewPerRecord", "", "17", ms, false,
                "GrowAppend.remap");
        row(c9, "the same records, one view per 16 MiB part", "GrowAppend.viewPerPart", "", "17", ms, false,
                "GrowAppend.remap");
        md.append("\nRatios are of the figure shown (for GB/s above 1 is faster, for times above 1 is slower). "
                + "\"vs C\" divides by the C baseline (for case 5: our ns minus C's), \"vs JDK\" by the JDK's "
                + "FileChannel.map / MappedByteBuffer row on the same JVM. Page-cached: the " + size(fileSize)
                + " data file (on " + machine.get("filesystem") + ") is read through and checked with mincore "
                + "before each trial, and again before every iteration of cases 2-4, in Java and in C alike; "
                + "the mappings that cases 2 and 3 read are locked in memory (mlock), so that proactive reclaim "
                + "cannot turn their reads into page faults.\n");

        if (!syscalls.isEmpty()) {
            md.append("\n## System calls per map+unmap cycle of 4 KiB (")
                    .append(machine.getOrDefault("syscall_counter", "?"))
                    .append(", minus a run of none; JDK 17)\n\n| contender | system call | calls per cycle |\n"
                            + "| --- | --- | ---: |\n");
            for (List<String> f : syscalls) {
                md.append("| ").append(f.get(0)).append(" | ").append(f.get(1)).append(" | ").append(f.get(2))
                        .append(" |\n");
            }
        }

        targets();
        md.append("\n## Targets\n\n| target | where it stands | |\n| --- | --- | --- |\n");
        for (String t : targets) {
            md.append(t).append('\n');
        }

        md.append("\n## Machine and parameters\n\n");
        for (Map.Entry<String, String> e : machine.entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
    }

    /** Cases 2 and 3: C, then mmap4j and MappedByteBuffer on each JDK, then FFM on JDK 25. */
    private void readCase(String c, String benchmark, String cName, Figure figure, boolean higherBetter, String ffm) {
        String jdk = benchmark + ".jdk";
        row(c, cName, benchmark + ".c", "", "C", figure, higherBetter, null);
        for (String jvm : JVMS) {
            row(c, "mmap4j buffer", benchmark + ".mmap4j", "", jvm, figure, higherBetter, jdk);
            row(c, "JDK MappedByteBuffer", jdk, "", jvm, figure, higherBetter, jdk);
        }
        row(c, "FFM MemorySegment", ffm, "", "25", figure, higherBetter, jdk);
    }

    private String gc(String benchmark, String size, String jvm) {
        Result count = get(benchmark + ":gc.count", size, jvm);
        if (count == null) {
            return "";
        }
        double alloc = allocPerOp(benchmark, size, jvm);
        return String.format(Locale.ROOT, " [GC: %.0f collections, %.0f ms per million cycles; %s B/cycle]",
                count.score, gcPerMillion(benchmark, size, jvm), Double.isNaN(alloc) ? "n/a" : fmt(alloc));
    }

    /** Case 1b's worst cycle (median of the JVMs'), or nothing where the run did not record it. */
    private String worst(String benchmark, String jvm) {
        Result r = get(benchmark + ":worst", "4096", jvm);
        return r == null ? "" : String.format(Locale.ROOT, " [worst cycle %.1f ms]", r.score);
    }

    /** GC milliseconds per million operations: JMH sums gc.time over the measured iterations. */
    private double gcPerMillion(String benchmark, String size, String jvm) {
        Result time = get(benchmark + ":gc.time", size, jvm);
        if (get(benchmark + ":gc.count", size, jvm) == null) {
            return Double.NaN; // measured without -prof gc
        }
        double measuredMs = Double.parseDouble(machine.getOrDefault("jmh_measured_ms", "NaN"));
        // JMH leaves gc.time out when no collection ran
        return (time == null ? 0 : time.score) * score(benchmark, size, jvm) / measuredMs;
    }

    /**
     * Bytes allocated per operation; NaN where JMH could not count them (on OpenJDK 8 its
     * allocation counter reads about 0.1 B/op for every benchmark, the JDK's own map cycle included).
     */
    private double allocPerOp(String benchmark, String size, String jvm) {
        Result alloc = get(benchmark + ":gc.alloc.rate.norm", size, jvm);
        return alloc == null || alloc.score < 1 ? Double.NaN : alloc.score;
    }

    private void row(String c, String contender, String benchmark, String size, String jvm, Figure figure,
                     boolean higherBetter, String jdk) {
        row(c, contender, benchmark, size, jvm, figure, higherBetter, jdk, null);
    }

    private void row(String c, String contender, String benchmark, String size, String jvm, Figure figure,
                     boolean higherBetter, String jdk, String cMinus) {
        Result r = get(benchmark, size, jvm);
        if (r == null) {
            md.append("| ").append(c).append(" | ").append(contender).append(" | ").append(jvmName(jvm))
                    .append(died(benchmark, size, jvm) ? " | (its JVM died, see jdk8.log) | | |\n"
                            : " | (no result) | | |\n");
            return;
        }
        double value = figure.of(r.score);
        String benchmarkC = benchmark.startsWith("Ffm.seq") ? "SeqRead.c" : benchmark.startsWith("Ffm.random")
                ? "RandomRead.c" : benchmark.startsWith("Ffm.map") ? "MapCycle.c" : benchmark.replaceAll("\\.[^.]*$", ".c");
        double cValue = figure.of(score(benchmarkC, size, "C"));
        String vsC;
        if (cMinus != null) {
            vsC = String.format(Locale.ROOT, "C %+.0f ns", r.score - score(cMinus, size, "C"));
        } else if ("C".equals(jvm)) {
            // A C row is the case's yardstick, except the floor of mmap4j's own system calls.
            vsC = benchmark.endsWith(".cSyscalls") ? ratio(value / cValue) : "1";
        } else if (benchmark.startsWith("LoadTime.") || benchmark.startsWith("Atomics")
                || benchmark.endsWith(".jdk")) {
            // No C counterpart: load time, single-thread atomics, sockets.
            vsC = "";
        } else {
            vsC = ratio(value / cValue);
        }
        String vsJdk = jdk == null ? "" : ratio(value / figure.of(score(jdk, size, jvm)));
        String err = Double.isNaN(r.error) ? "" : " ± " + fmt(Math.abs(figure.of(r.score + r.error) - value));
        md.append("| ").append(c).append(" | ").append(contender).append(" | ").append(jvmName(jvm)).append(" | ")
                .append(fmt(value)).append(err).append(" | ").append(vsC).append(" | ").append(vsJdk).append(" |\n");
    }

    /**
     * A row of case 6: the median, and (for mmap4j's rows) how many ms more than the JDK's first map
     * ({@code jdk}, the JDK's row of the same set-up; null for the JDK's own rows).
     */
    private void loadRow(String c, String contender, String benchmark, String jdk, String jvm) {
        Result r = get(benchmark, "", jvm);
        if (r == null) {
            md.append("| ").append(c).append(" | ").append(contender).append(" | ").append(jvmName(jvm))
                    .append(" | (no result) | | |\n");
            return;
        }
        String vsJdk = jdk == null ? "" : String.format(Locale.ROOT, "%+.1f ms", r.score - score(jdk, "", jvm));
        md.append("| ").append(c).append(" | ").append(contender).append(" | ").append(jvmName(jvm)).append(" | ")
                .append(fmt(r.score)).append(" | | ").append(vsJdk.contains("NaN") ? "n/a" : vsJdk).append(" |\n");
    }

    /** Cases 7 and 8 (issue 15): "vs JDK" is against loopback TCP, then against AtomicLong. */
    private void ipc() {
        Figure us = x -> x / 1000;
        String c7 = "7. ping-pong round trip, two processes (µs, lower is better; vs JDK: vs loopback TCP)";
        row(c7, "C, spinning", "PingPongSpin.c", "", "C", us, false, null);
        row(c7, "C, spinning with sched_yield", "PingPongYield.c", "", "C", us, false, null);
        row(c7, "C, futex wait/wake", "PingPongFutex.c", "", "C", us, false, null);
        for (String jvm : IPC_JVMS) {
            row(c7, "C, futex wait/wake, just before JDK " + jvm + "'s", "PingPongFutex.c", "", BEFORE + jvm, us,
                    false, null);
            row(c7, "C, futex wait/wake, just after JDK " + jvm + "'s", "PingPongFutex.c", "", AFTER + jvm, us,
                    false, null);
            row(c7, "mmap4j Atomics, spinning", "PingPongSpin.mmap4j", "", jvm, us, false, "PingPongTcp.jdk");
            row(c7, "mmap4j Atomics, spinning with Thread.yield", "PingPongYield.mmap4j", "", jvm, us, false,
                    "PingPongTcp.jdk");
            row(c7, "mmap4j Futex await/wake", "PingPongFutex.mmap4j", "", jvm, us, false, "PingPongTcp.jdk");
            row(c7, "JDK loopback TCP Socket", "PingPongTcp.jdk", "", jvm, us, false, "PingPongTcp.jdk");
            if (!jvm.equals("8")) {
                row(c7, "JDK Unix-domain SocketChannel", "PingPongUnix.jdk", "", jvm, us, false, "PingPongTcp.jdk");
            }
        }
        Figure ns = x -> x;
        String c8 = "8. one thread's atomics on a long (ns/op, lower is better; vs JDK: vs AtomicLong)";
        for (String jvm : IPC_JVMS) {
            for (String op : new String[] {"cas", "add"}) {
                String atomicLong = "AtomicsBench." + op + "AtomicLong";
                String what = op.equals("cas") ? "compareAndSet" : "getAndAdd";
                row(c8, "AtomicLong." + what, atomicLong, "", jvm, ns, false, atomicLong);
                row(c8, "Atomics " + what + "Long, mmap4j mapping", "AtomicsBench." + op + "Mmap4j", "", jvm, ns,
                        false, atomicLong);
                row(c8, "Atomics " + what + "Long, allocateDirect", "AtomicsBench." + op + "Direct", "", jvm, ns,
                        false, atomicLong);
                if (!jvm.equals("8")) {
                    row(c8, "VarHandle " + what + ", no checks (floor)", "AtomicsRaw." + op + "VarHandle", "", jvm,
                            ns, false, atomicLong);
                }
            }
        }
    }

    private void ipcTargets() {
        for (String jvm : IPC_JVMS) {
            String on = " (JDK " + jvm + ")";
            double tcp = score("PingPongTcp.jdk", "", jvm);
            for (String how : new String[] {"Spin", "Futex"}) {
                String what = how.equals("Spin") ? "spin" : "wait/wake";
                double m = score("PingPong" + how + ".mmap4j", "", jvm);
                double c = besideC("PingPong" + how + ".c", jvm);
                target(what + " round trip ≤ 1.3× C" + on, m / c <= 1.3, ratio(m / c) + " × C");
                target(what + " round trip ≥ 10× faster than loopback TCP" + on, tcp / m >= 10,
                        ratio(tcp / m) + "× faster");
            }
            for (String op : new String[] {"cas", "add"}) {
                double r = score("AtomicsBench." + op + "Mmap4j", "", jvm)
                        / score("AtomicsBench." + op + "AtomicLong", "", jvm);
                target((op.equals("cas") ? "compareAndSetLong" : "getAndAddLong") + " ≤ 1.5× AtomicLong" + on,
                        r <= 1.5, ratio(r) + " × AtomicLong");
            }
        }
    }

    private void targets() {
        double grow = score("GrowAppend.growable", "", "17");
        target("growable append ≥ 2× faster than unmap + remap (JDK 17)", score("GrowAppend.remap", "", "17") / grow
                >= 2, ratio(score("GrowAppend.remap", "", "17") / grow) + "× faster");
        target("growable append ≤ 1.3× C's reservation (JDK 17)", grow / score("GrowAppend.c", "", "C") <= 1.3,
                ratio(grow / score("GrowAppend.c", "", "C")) + " × C");
        double mremap = score("GrowAppend.cMremap", "", "C");
        target("growable append ≥ 0.95× the speed of C's mremap (JDK 17)", mremap / grow >= 0.95,
                ratio(mremap / grow) + "× the speed");
        double cCycle = score("CycleJvm.c", "4096", "C");
        for (String jvm : JVMS) {
            double m = score("CycleJvm.mmap4j", "4096", jvm);
            double jdk = score("CycleJvm.jdk", "4096", jvm);
            target("map + read + unmap 4 KiB, own JVM, ≤ 0.75× the JDK's (JDK " + jvm + ")", m / jdk <= 0.75,
                    ratio(m / jdk) + " × JDK");
            target("map + read + unmap 4 KiB, own JVM, ≤ 1.6× C (JDK " + jvm + ")", m / cCycle <= 1.6,
                    ratio(m / cCycle) + " × C");
        }
        double perRecord = score("GrowAppend.viewPerRecord", "", "17");
        double perPart = score("GrowAppend.viewPerPart", "", "17");
        target("README's loop (a view per record) ≥ 0.5× the speed of a view per part (JDK 17)",
                perPart / perRecord >= 0.5, ratio(perPart / perRecord) + "× the speed");
        for (String size : new String[] {"4096", "1048576", "268435456"}) {
            String s = size(Long.parseLong(size));
            double c = score("MapCycle.c", size, "C");
            for (String jvm : JVMS) {
                String on = " (JDK " + jvm + ")";
                double m = score("MapCycle.mmap4j", size, jvm);
                double jdk = score("MapCycle.jdkMapDrop", size, jvm);
                target("map+unmap " + s + " ≤ the JDK's FileChannel.map cycle" + on, m <= jdk,
                        ratio(m / jdk) + " × JDK");
                target("map+unmap " + s + " ≤ 2.0× C" + on, m / c <= 2.0, ratio(m / c) + " × C");
                double gc = gcPerMillion("MapCycle.mmap4j", size, jvm);
                double gcJdk = gcPerMillion("MapCycle.jdkMapDrop", size, jvm);
                target("map+unmap " + s + " GC time per million cycles ≤ the JDK cycle's" + on, gc <= gcJdk,
                        fmt(gc) + " ms against " + fmt(gcJdk) + " ms");
                double alloc = allocPerOp("MapCycle.mmap4j", size, jvm);
                double allocJdk = allocPerOp("MapCycle.jdkMapDrop", size, jvm);
                target("map+unmap " + s + " bytes allocated per cycle ≤ the JDK cycle's" + on, alloc <= allocJdk,
                        fmt(alloc) + " B against " + fmt(allocJdk) + " B");
            }
            double m25 = score("MapCycle.mmap4j", size, "25");
            double confined = score("Ffm.mapCycleConfined", size, "25");
            double shared = score("Ffm.mapCycleShared", size, "25");
            target("map+unmap " + s + " faster than FFM confined (JDK 25)", m25 < confined,
                    ratio(m25 / confined) + " × confined");
            target("map+unmap " + s + " ≥ 20× faster than FFM shared (JDK 25)", shared / m25 >= 20,
                    ratio(shared / m25) + "× faster");
        }
        for (String jvm : JVMS) {
            double seq = score("SeqRead.jdk", "", jvm) / score("SeqRead.mmap4j", "", jvm);
            target("sequential ≥ 0.97× MappedByteBuffer (JDK " + jvm + ")", seq >= 0.97, ratio(seq) + "×");
            double rnd = score("RandomRead.jdk", "", jvm) / score("RandomRead.mmap4j", "", jvm);
            target("random ≥ 0.97× MappedByteBuffer (JDK " + jvm + ")", rnd >= 0.97, ratio(rnd) + "×");
        }
        double c = score("Residency.c", "", "C");
        for (String jvm : new String[] {"8", "17"}) {
            String on = " (JDK " + jvm + ")";
            double summary = score("Residency.mmap4jSummary", "", jvm) / c;
            target("residency summary ≤ 1.2× C" + on, summary <= 1.2, ratio(summary) + " × C");
            double advise = score("CallOverhead.mmap4jAdvise", "", jvm) - score("CallOverhead.cAdvise", "", "C");
            double sync = score("CallOverhead.mmap4jSync", "", jvm) - score("CallOverhead.cSync", "", "C");
            target("advise on one page ≤ C + 40 ns" + on, advise <= 40,
                    String.format(Locale.ROOT, "C %+.0f ns", advise));
            target("force(ASYNC) on one page ≤ C + 40 ns" + on, sync <= 40,
                    String.format(Locale.ROOT, "C %+.0f ns", sync));
        }
        // Issue 14: first use costs at most 10 ms more than the JDK's own first FileChannel.map; the
        // caller's class from a jar (deployed), and from a directory (an IDE's run, a test runner's).
        for (String jvm : JVMS) {
            for (String mode : new String[] {"fresh", "cached", "cachedDir"}) {
                double more = score("LoadTime." + mode, "", jvm)
                        - score(mode.endsWith("Dir") ? "LoadTime.jdkDir" : "LoadTime.jdk", "", jvm);
                String what = mode.endsWith("Dir") ? "cached, caller's class from a directory" : mode;
                target("first use ≤ JDK first map + 10 ms, " + what + " (JDK " + jvm + ")", more <= 10,
                        String.format(Locale.ROOT, "JDK %+.1f ms", more));
            }
        }
        ipcTargets();
    }

    private void target(String what, boolean met, String where) {
        boolean unknown = where.contains("NaN") || where.contains("n/a");
        targets.add("| " + what + " | " + where + " | " + (unknown ? "no data" : met ? "met" : "**missed**") + " |");
    }

    private static String jvmName(String jvm) {
        return jvm.startsWith("C") ? "—" : "JDK " + jvm;
    }

    /**
     * C's score for a ping-pong case taken around a JDK's: the mean of the runs just before and
     * just after it (either alone if one is missing), else the one in c.csv.
     */
    private double besideC(String benchmark, String jvm) {
        double before = score(benchmark, "", BEFORE + jvm);
        double after = score(benchmark, "", AFTER + jvm);
        if (Double.isNaN(before) && Double.isNaN(after)) {
            return score(benchmark, "", "C");
        }
        return Double.isNaN(before) ? after : Double.isNaN(after) ? before : (before + after) / 2;
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    private static String size(long bytes) {
        return bytes >= 1 << 30 ? (bytes >> 30) + " GiB" : bytes >= 1 << 20 ? (bytes >> 20) + " MiB"
                : (bytes >> 10) + " KiB";
    }
}
