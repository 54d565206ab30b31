/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Advice;
import io.github.mmap4j.MapFlag;
import io.github.mmap4j.Mmap;
import io.github.mmap4j.Version;
import io.github.mmap4j.internal.Platform;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar mmap4j.jar}: the command-line tool.
 *
 * <p>Exit codes: 0 success, 1 some paths failed, 2 the command line was wrong.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the tool.
     *
     * @param args the command line.
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool without exiting, for tests and embedding.
     *
     * @param args the command line.
     * @param out  standard output.
     * @param err  standard error.
     * @return the exit code.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        switch (args[0]) {
            case "info":
                info(out);
                return 0;
            case "--version":
                out.println("mmap4j " + Version.VERSION);
                return 0;
            default:
                err.println("mmap4j: unknown command '" + args[0] + "'");
                usage(err);
                return 2;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar mmap4j.jar <command> [options]");
        out.println();
        out.println("commands:");
        out.println("  info       version, platform, page size, native library, supported advice and flags");
        out.println();
        out.println("  --help     this text;  --version  the version");
    }

    private static void info(PrintStream out) {
        out.println("mmap4j " + Version.VERSION);
        out.println("platform:       " + Platform.name() + " (Java " + System.getProperty("java.version") + ", "
                + System.getProperty("java.vm.name") + ")");
        out.println("page size:      " + Mmap.pageSize());
        out.println("native library: " + Platform.libraryPath());
        List<String> advice = new ArrayList<>();
        for (Advice a : Advice.values()) {
            if (a.isSupported()) {
                advice.add(a.name());
            }
        }
        List<String> flags = new ArrayList<>();
        for (MapFlag f : MapFlag.values()) {
            if (f.isSupported()) {
                flags.add(f.name());
            }
        }
        out.println("advice:         " + String.join(" ", advice));
        out.println("map flags:      " + String.join(" ", flags));
    }
}
