/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the tests' JVM (or any command) as a separate process with its output in files of a
 * work directory, bounded in time: how the jar tests run {@code java -jar} as users do.
 */
final class JavaProcess {

    /** Exit status and output of a finished process. */
    static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private JavaProcess() {
    }

    /** Starts {@code java args...}; output goes to {@code dir/name.out} and {@code dir/name.err}. */
    static Process start(Path dir, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(TestJvm.java());
        cmd.addAll(Arrays.asList(args));
        return startCommand(dir, name, cmd);
    }

    /** Starts any command; output goes to {@code dir/name.out} and {@code dir/name.err}. */
    static Process startCommand(Path dir, String name, List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    /** Waits (two minutes at most, then kills it) and collects the output of {@link #start}. */
    static Run finish(Path dir, String name, Process p) throws Exception {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Run(p.waitFor(), read(dir.resolve(name + ".out")), read(dir.resolve(name + ".err")));
    }

    /** Runs {@code java args...} to the end. */
    static Run java(Path dir, String... args) throws Exception {
        return finish(dir, "run", start(dir, "run", args));
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
