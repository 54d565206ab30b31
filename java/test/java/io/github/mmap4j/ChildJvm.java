/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's main in a second JVM (the tests' JVM binary, with {@link TestJvm#childCommand()}'s
 * options, and class path), bounded in time, and reports exit status and output; a crash shows the
 * child's hs_err excerpt.
 */
final class ChildJvm {

    static final class Result {
        final int exit;
        final String out;
        final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit=" + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private ChildJvm() {
    }

    /**
     * Options for a child that might crash: its hs_err file in {@code dir} (so the test can show
     * it). No core dump: every child is started so ({@link TestJvm#childCommand()}).
     */
    static List<String> crashOptions(Path dir) {
        List<String> opts = new ArrayList<>();
        opts.add("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"));
        return opts;
    }

    /**
     * Runs {@link Children} with {@link #crashOptions} plus {@code extra}, prints what it said, and
     * fails unless it ended normally without a crash report.
     */
    static Result runChild(Path dir, long timeoutSeconds, List<String> extra, String... args) throws Exception {
        List<String> opts = new ArrayList<>(crashOptions(dir));
        opts.addAll(extra);
        Result r = run(dir, timeoutSeconds, opts, Children.class, args);
        System.out.println("[" + String.join(" ", args) + " " + extra + "]\n" + r.out.trim());
        org.junit.jupiter.api.Assertions.assertEquals(0, r.exit, "the child must end normally:\n" + r);
        org.junit.jupiter.api.Assertions.assertFalse(r.err.contains("hs_err"), "the child crashed:\n" + r);
        return r;
    }

    static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> cmd = TestJvm.childCommand();
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    static Result run(Path workDir, long timeoutSeconds, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        Process p = start(workDir, jvmOptions, main, args);
        return finish(p, workDir, timeoutSeconds);
    }

    static Process start(Path workDir, List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        return start(workDir, new ArrayList<>(), jvmOptions, main, args);
    }

    /**
     * Runs the child under a wrapper command, e.g. {@code prlimit --memlock=65536:65536} or
     * {@code setpriv --bounding-set=-ipc_lock}, to change its limits or capabilities.
     */
    static Result runWrapped(Path workDir, long timeoutSeconds, List<String> wrapper, List<String> jvmOptions,
                             Class<?> main, String... args) throws IOException, InterruptedException {
        return finish(start(workDir, wrapper, jvmOptions, main, args), workDir, timeoutSeconds);
    }

    private static Process start(Path workDir, List<String> wrapper, List<String> jvmOptions, Class<?> main,
                                 String... args) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(command(jvmOptions, main, args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(workDir.toFile());
        pb.redirectError(workDir.resolve("child-" + System.nanoTime() + ".err").toFile());
        return pb.start();
    }

    static Result finish(Process p, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> copy(p.getInputStream(), out));
        pump.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        pump.join(5000);
        String err = "";
        try (java.util.stream.Stream<Path> files = Files.list(workDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("child-") && name.endsWith(".err")) {
                    err += new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                    Files.delete(f);
                } else if (name.startsWith("hs_err")) {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                    err += "\n--- " + name + " (first 40 lines)\n"
                            + String.join("\n", lines.subList(0, Math.min(40, lines.size())));
                }
            }
        }
        return new Result(p.exitValue(), new String(out.toByteArray(), StandardCharsets.UTF_8), err);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] chunk = new byte[8192];
        int n;
        try {
            while ((n = in.read(chunk)) > 0) {
                synchronized (out) {
                    out.write(chunk, 0, n);
                }
            }
        } catch (IOException e) {
            // The child went away: what was read is kept.
        }
    }
}
