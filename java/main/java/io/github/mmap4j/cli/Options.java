/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed command line: the options every command shares, and the paths.
 * Options may come anywhere after the command; {@code --} ends them.
 */
final class Options {

    boolean help;
    boolean verbose;
    boolean json;
    boolean bytes;
    boolean followSymlinks;
    final List<Path> paths = new ArrayList<>();

    /** A command line that cannot be run: exit code 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The option lines of every command's help. */
    static final List<String> HELP = Collections.unmodifiableList(java.util.Arrays.asList(
            "  -v, --verbose          draw each file's residency as a bar (one cell per slice of the file)",
            "  -j, --json             one JSON object per line for each file, then a totals object",
            "  -b, --bytes            exact byte counts instead of human-readable sizes",
            "  -L, --follow-symlinks  follow symbolic links inside directories (paths given are always followed)",
            "  -h, --help             this text"));

    static Options parse(List<String> args) throws UsageException {
        Options o = new Options();
        boolean optionsEnded = false;
        for (String arg : args) {
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                if (arg.isEmpty()) {
                    throw new UsageException("an empty path was given");
                }
                o.paths.add(Paths.get(arg));
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.startsWith("--")) {
                o.set(arg.substring(2), arg);
            } else {
                for (char c : arg.substring(1).toCharArray()) {
                    o.set(String.valueOf(c), arg);
                }
            }
        }
        return o;
    }

    private void set(String name, String arg) throws UsageException {
        switch (name) {
            case "h": case "help": help = true; break;
            case "v": case "verbose": verbose = true; break;
            case "j": case "json": json = true; break;
            case "b": case "bytes": bytes = true; break;
            case "L": case "follow-symlinks": followSymlinks = true; break;
            default:
                throw new UsageException("unknown option '" + (arg.startsWith("--") ? arg : "-" + name) + "'");
        }
    }
}
