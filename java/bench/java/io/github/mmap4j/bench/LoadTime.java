/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.MapMode;
import io.github.mmap4j.MapOptions;
import io.github.mmap4j.Mmap;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
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
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Case 6: library load. Each sample is a fresh JVM (the packaged jar on the class
 * path, as users run it) that takes the time from its first touch of the API to
 * the first successful map ({@code Mmap.map} of one page of the data file):
 * loading mmap4j's classes, extracting (or finding) the native library, checking
 * it, {@code System.load}, and the map itself.
 *
 * <p>{@code fresh}: {@code -Dmmap4j.tmpdir} names a new empty directory, so the
 * library is extracted (and hashed). {@code cached}: the same directory every time,
 * extracted once before the samples, so the copy there is found and checked (hashed
 * by the first samples, then by its record). {@code jdk}: the JDK's own first use in
 * a fresh JVM, {@code FileChannel.open} and {@code FileChannel.map} of the same page,
 * the figure mmap4j's is compared with (issue 14: first use within the JDK's + 10 ms).
 *
 * <p>In those three the child's own class comes from a jar, as a deployed application's
 * classes do ({@code java -jar}, a class path of jars): the JVM has opened a jar before
 * {@code main}, and the first map pays for opening mmap4j's jar, not for the JVM's first
 * jar ever (its jar and zip classes, 5 to 11 ms on JDK 17 and 25). {@code cachedDir} and
 * {@code jdkDir} are {@code cached} and {@code jdk} again with the class from a directory,
 * as an IDE or a build's test runner starts it: there the first map of mmap4j's jar is the
 * JVM's first jar. All five alternate, sample by sample, so that a busy machine weighs on
 * all alike.
 *
 * <p>Usage: {@code LoadTime <out.csv> <samples> <work dir> <java>...}; the children
 * are {@code LoadTime child} and {@code LoadTime child-jdk}. A JDK 8 child runs with
 * the class path in {@code -Dbench.classpath8} (this class compiled for Java 8,
 * {@code target/bench-8-classes}) when given, else with this JVM's.
 */
public final class LoadTime {

    private static final String[] CONTENDERS = {"fresh", "cached", "jdk", "cachedDir", "jdkDir"};

    private LoadTime() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("child")) {
            child();
            return;
        }
        if (args.length == 1 && args[0].equals("child-jdk")) {
            childJdk();
            return;
        }
        Path out = Paths.get(args[0]);
        int samples = Integer.parseInt(args[1]);
        Path work = Files.createDirectories(Paths.get(args[2]).toAbsolutePath());
        String file = benchFile();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            csv.println(CSV_HEADER);
            for (int j = 3; j < args.length; j++) {
                String java = args[j];
                int feature = feature(java);
                String jvm = "jdk" + feature;
                String classPath = classPath(feature);
                String jarClassPath = inJar(classPath, work.resolve("harness-" + j + ".jar"));
                Path cachedDir = work.resolve("cached-" + j);
                boolean nativeAccess = feature >= 22;
                run(java, nativeAccess, jarClassPath, file, "child", cachedDir); // extracts once
                double[][] ms = new double[CONTENDERS.length][samples];
                for (int i = 0; i < samples; i++) {
                    for (int c = 0; c < CONTENDERS.length; c++) {
                        String mode = CONTENDERS[c];
                        Path dir = mode.equals("fresh") ? work.resolve("fresh-" + j + "-" + i) : cachedDir;
                        ms[c][i] = run(java, nativeAccess, mode.endsWith("Dir") ? classPath : jarClassPath, file,
                                mode.startsWith("jdk") ? "child-jdk" : "child", dir) / 1e6;
                    }
                }
                for (int c = 0; c < CONTENDERS.length; c++) {
                    Arrays.sort(ms[c]);
                    double median = ms[c][samples / 2];
                    csv.printf(Locale.ROOT, "\"io.github.mmap4j.bench.LoadTime.%s\",\"median\",1,%d,%.3f,NaN,"
                            + "\"ms/op\",,%s%n", CONTENDERS[c], samples, median, jvm);
                    System.out.printf(Locale.ROOT, "LoadTime %s on %s: median %.1f ms (min %.1f, max %.1f, n=%d)%n",
                            CONTENDERS[c], jvm, median, ms[c][0], ms[c][samples - 1], samples);
                }
            }
        }
    }

    /** The header of the JMH-style CSV files the separate-JVM cases write (Report reads them). */
    static final String CSV_HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
            + "\"Score Error (99.9%)\",\"Unit\",\"Param: size\",\"Param: jvm\"";

    /** The data file ({@code -Dbench.file}), absolute: children run in other directories' terms. */
    static String benchFile() {
        return Paths.get(System.getProperty("bench.file", "target/bench/data/bench.bin")).toAbsolutePath().toString();
    }

    /** The class path for a child JVM of that feature release ({@code -Dbench.classpath8} for JDK 8). */
    static String classPath(int feature) {
        String own = System.getProperty("java.class.path");
        return feature == 8 ? System.getProperty("bench.classpath8", own) : own;
    }

    /**
     * The class path with the directory that holds this class replaced by a jar, written to
     * {@code jar}, that holds this class alone (the children need nothing else of it).
     */
    static String inJar(String classPath, Path jar) throws IOException {
        String entry = LoadTime.class.getName().replace('.', '/') + ".class";
        List<String> parts = new ArrayList<>(Arrays.asList(classPath.split(File.pathSeparator)));
        for (int i = 0; i < parts.size(); i++) {
            Path classFile = Paths.get(parts.get(i), entry);
            if (Files.isRegularFile(classFile)) {
                Manifest manifest = new Manifest();
                manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                    out.putNextEntry(new JarEntry(entry));
                    out.write(Files.readAllBytes(classFile));
                    out.closeEntry();
                }
                parts.set(i, jar.toString());
                return String.join(File.pathSeparator, parts);
            }
        }
        throw new IllegalStateException(entry + " is in no directory of the class path " + classPath);
    }

    /** The JVM's feature version: 8 for {@code 1.8.0_x}, 17 for {@code 17.0.x}. */
    static int feature(String java) throws Exception {
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
        if (v.startsWith("1.")) {
            v = v.substring(2);
        }
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return Integer.parseInt(v.substring(0, end));
    }

    /** Runs one child JVM; returns its nanoseconds from first touch to first map. */
    private static long run(String java, boolean nativeAccess, String classPath, String file, String child,
                            Path tmpdir) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList(java, "-Xshare:auto", "-Dmmap4j.tmpdir=" + tmpdir,
                "-Dbench.file=" + file, "-cp", classPath));
        if (nativeAccess) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add(LoadTime.class.getName());
        command.add(child);
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
        ByteBuffer page = Mmap.map(file.toPath(), 0, 4096, MapOptions.of(MapMode.READ_ONLY));
        long elapsed = System.nanoTime() - start;
        Mmap.unmap(page);
        System.out.println(elapsed);
    }

    /** The JDK's first use: open the file and map the same page, as {@code Mmap.map} does. */
    private static void childJdk() throws IOException {
        File file = new File(System.getProperty("bench.file"));
        long start = System.nanoTime();
        long elapsed;
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            MappedByteBuffer page = channel.map(FileChannel.MapMode.READ_ONLY, 0, 4096);
            elapsed = System.nanoTime() - start;
            if (page.capacity() != 4096) {
                throw new IllegalStateException("mapped " + page.capacity() + " bytes");
            }
        }
        System.out.println(elapsed);
    }
}
