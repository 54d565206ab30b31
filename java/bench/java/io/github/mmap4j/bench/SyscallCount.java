/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.MapMode;
import io.github.mmap4j.MapOptions;
import io.github.mmap4j.Mmap;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * System calls per map+unmap cycle (case 1), counted by the kernel, not reasoned:
 * {@code run.sh} runs {@code SyscallCount cycle <contender> <n>} under {@code perf stat} (the
 * kernel's {@code syscalls:sys_enter_*} tracepoints, every thread; cheap enough for a million
 * cycles) or, without perf, {@code strace -f -c}, twice: with {@code n} cycles and with none.
 * {@code SyscallCount report} turns the two counts into calls per cycle ({@code syscalls.csv});
 * the difference removes the JVM's own start-up and shutdown. Contenders: {@code mmap4j} ({@code Mmap.map} + {@code Mmap.unmap} of
 * 4 KiB of an open channel, as in {@link MapCycle}) and {@code jdk} ({@code FileChannel.map},
 * dropped; the GC's unmapping counts).
 *
 * <p>Usage: {@code SyscallCount cycle mmap4j|jdk <n>} (with {@code -Dbench.file}), or
 * {@code SyscallCount report <out.csv> <contender>=<strace with n>,<strace with 0>,<n> ...}.
 */
public final class SyscallCount {

    private SyscallCount() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("cycle")) {
            cycle(args[1], Long.parseLong(args[2]));
        } else {
            report(Paths.get(args[1]), args);
        }
    }

    private static void cycle(String contender, long n) throws IOException {
        MapOptions options = MapOptions.of(MapMode.READ_ONLY);
        long sum = 0;
        try (FileChannel channel = Fixture.open()) {
            // The library is loaded and the classes initialised in both runs, so only the cycles differ.
            Mmap.unmap(Mmap.map(channel, 0, 4096, options));
            channel.map(FileChannel.MapMode.READ_ONLY, 0, 4096);
            for (long i = 0; i < n; i++) {
                if (contender.equals("mmap4j")) {
                    ByteBuffer buffer = Mmap.map(channel, 0, 4096, options);
                    sum += buffer.capacity();
                    Mmap.unmap(buffer);
                } else {
                    sum += channel.map(FileChannel.MapMode.READ_ONLY, 0, 4096).capacity();
                }
            }
        }
        System.out.println(contender + ": " + n + " cycles (" + sum + " bytes)");
    }

    private static void report(Path out, String[] args) throws IOException {
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            csv.println("\"contender\",\"syscall\",\"calls per cycle\"");
            for (int i = 2; i < args.length; i++) {
                String contender = args[i].substring(0, args[i].indexOf('='));
                String[] parts = args[i].substring(contender.length() + 1).split(",");
                Map<String, Long> with = calls(Paths.get(parts[0]));
                Map<String, Long> without = calls(Paths.get(parts[1]));
                double n = Double.parseDouble(parts[2]);
                double total = 0;
                for (Map.Entry<String, Long> e : with.entrySet()) {
                    double perCycle = (e.getValue() - without.getOrDefault(e.getKey(), 0L)) / n;
                    if (perCycle >= 0.001) {
                        csv.println(String.format(Locale.ROOT, "\"%s\",\"%s\",%.4f", contender, e.getKey(),
                                perCycle));
                        total += perCycle;
                    }
                }
                csv.println(String.format(Locale.ROOT, "\"%s\",\"total\",%.4f", contender, total));
            }
        }
    }

    /** Calls by system call: from {@code perf stat -x,} output, or an {@code strace -c} summary. */
    private static Map<String, Long> calls(Path summary) throws IOException {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : Files.readAllLines(summary, StandardCharsets.UTF_8)) {
            String[] p = line.split(",");
            if (p.length >= 3 && p[2].startsWith("syscalls:sys_enter_")) {
                // perf: count,unit,event,...; a count of "<not counted>" means none
                if (p[0].matches("[0-9]+")) {
                    calls.merge(p[2].substring("syscalls:sys_enter_".length()), Long.parseLong(p[0]), Long::sum);
                }
                continue;
            }
            String[] f = line.trim().split("\\s+");
            // % time, seconds, usecs/call, calls, [errors,] syscall
            if (f.length >= 5 && f[0].matches("[0-9.]+") && !f[f.length - 1].equals("total")) {
                calls.merge(f[f.length - 1], Long.parseLong(f[3]), Long::sum);
            }
        }
        return calls;
    }
}
