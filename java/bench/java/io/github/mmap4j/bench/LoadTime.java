/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.MapMode;
import io.github.mmap4j.Mmap;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Case 6: library load. Each sample is a fresh JVM (the packaged jar on the class
 * path, as users run it) that takes the time from its first touch of the API to
 * the first successful map ({@code Mmap.map} of one page of the data file):
 * loading mmap4j's classes, extracting (or finding) the native library, checking
 * its SHA-256, {@code System.load}, and the map itself.
 *
 * <p>{@code fresh}: {@code -Dmmap4j.tmpdir} names a new empty directory, so the
 * library is extracted. {@code cached}: the same directory every time, extracted
 * once before the samples, so the copy there is hashed and reused.
 *
 * <p>Usage: {@code LoadTime <out.csv> <samples> <work dir> <java>...}; the child is
 * {@code LoadTime child}.
 */
public final class LoadTime {

    private LoadTime() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("child")) {
            child();
            return;
        }
        Path out = Paths.get(args[0]);
        int samples = Integer.parseInt(args[1]);
        Path work = Paths.get(args[2]).toAbsolutePath();
        String classPath = System.getProperty("java.class.path");
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            csv.println("\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                    + "\"Param: size\",\"Param: jvm\"");
            for (int j = 3; j < args.length; j++) {
                String java = args[j];
                String jvm = version(java);
                Path cachedDir = work.resolve("cached-" + j);
                boolean nativeAccess = Integer.parseInt(jvm.substring(3)) >= 22;
                run(java, nativeAccess, classPath, cachedDir); // extracts once
                for (String mode : new String[] {"fresh", "cached"}) {
                    double[] ms = new double[samples];
                    for (int i = 0; i < samples; i++) {
                        Path dir = mode.equals("fresh") ? work.resolve("fresh-" + j + "-" + i) : cachedDir;
                        ms[i] = run(java, nativeAccess, classPath, dir) / 1e6;
                    }
                    Arrays.sort(ms);
                    double median = ms[samples / 2];
                    csv.printf(Locale.ROOT, "\"io.github.mmap4j.bench.LoadTime.%s\",\"median\",1,%d,%.3f,NaN,"
                            + "\"ms/op\",,%s%n", mode, samples, median, jvm);
                    System.out.printf(Locale.ROOT, "LoadTime %s on %s: median %.1f ms (min %.1f, max %.1f, n=%d)%n",
                            mode, jvm, median, ms[0], ms[samples - 1], samples);
                }
            }
        }
    }

    private static String version(String java) throws Exception {
        Process p = new ProcessBuilder(java, "-XshowSettings:properties", "-version").redirectErrorStream(true)
                .start();
        String v = "?";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.trim();
                if (line.startsWith("java.version = ")) {
                    v = line.substring("java.version = ".length());
                }
            }
        }
        p.waitFor();
        return "jdk" + v.replaceAll("[.].*", "");
    }

    /** Runs one child JVM; returns its nanoseconds from first touch to first map. */
    private static long run(String java, boolean nativeAccess, String classPath, Path tmpdir) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList(java, "-Xshare:auto", "-Dmmap4j.tmpdir=" + tmpdir,
                "-Dbench.file=" + Fixture.file(), "-cp", classPath));
        if (nativeAccess) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add(LoadTime.class.getName());
        command.add("child");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            line = r.readLine();
        }
        if (p.waitFor() != 0 || line == null) {
            throw new IllegalStateException("LoadTime child failed: " + command);
        }
        return Long.parseLong(line.trim());
    }

    private static void child() throws IOException {
        File file = new File(System.getProperty("bench.file"));
        long start = System.nanoTime();
        ByteBuffer page = Mmap.map(file.toPath(), MapMode.READ_ONLY, 0, 4096);
        long elapsed = System.nanoTime() - start;
        Mmap.unmap(page);
        System.out.println(elapsed);
    }
}
