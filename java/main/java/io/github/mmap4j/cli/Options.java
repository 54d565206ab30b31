/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.nio.file.InvalidPathException;
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
    final List<Operand> paths = new ArrayList<>();

    /**
     * A path as given: the path, or why the text cannot be one here (then that path fails, with the
     * reason, and the others still run).
     */
    static final class Operand {
        /** The argument as the JVM decoded it. */
        final String text;
        /** The path, {@code null} when it cannot be made. */
        final Path path;
        /** Why there is no path, or {@code null}. */
        final String problem;

        private Operand(String text, Path path, String problem) {
            this.text = text;
            this.path = path;
            this.problem = problem;
        }

        /**
         * The path an argument names: its bytes as given when the JVM's decoding lost them
         * ({@link RawNames}), else the string's.
         *
         * @param text the argument.
         * @param raw  its bytes, or {@code null} when not known.
         * @param workingDirectory the working directory to resolve against when the JVM misnames
         *                         it ({@link RawNames#workingDirectoryIfMisnamed}), else {@code null}.
         */
        static Operand of(String text, byte[] raw, Path workingDirectory) {
            if (raw != null && raw.length > 0 && (workingDirectory != null
                    || !java.util.Arrays.equals(raw, text.getBytes(RawNames.fileNameCharset())))) {
                Path path = RawNames.path(raw);
                return new Operand(text, workingDirectory == null ? path : workingDirectory.resolve(path), null);
            }
            try {
                return new Operand(text, Paths.get(text), null);
            } catch (InvalidPathException e) {
                return new Operand(text, null, "cannot be a path in this locale's file name encoding ("
                        + RawNames.fileNameCharset().name() + ": " + e.getReason() + "); run in a UTF-8 locale, "
                        + "e.g. LC_ALL=C.UTF-8");
            }
        }
    }

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
        return parse(args, null);
    }

    /**
     * Parses the arguments after the command.
     *
     * @param args the arguments.
     * @param raw  their bytes as the kernel passed them, or {@code null} when not known.
     */
    static Options parse(List<String> args, List<byte[]> raw) throws UsageException {
        Options o = new Options();
        boolean optionsEnded = false;
        Path workingDirectory = raw == null ? null : RawNames.workingDirectoryIfMisnamed();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                if (arg.isEmpty()) {
                    throw new UsageException("an empty path was given");
                }
                o.paths.add(Operand.of(arg, raw == null ? null : raw.get(i), workingDirectory));
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.startsWith("--")) {
                o.set(arg.substring(2), arg);
            } else {
                for (int k = 1; k < arg.length(); k += Character.charCount(arg.codePointAt(k))) {
                    o.set(new String(Character.toChars(arg.codePointAt(k))), arg);
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
                throw new UsageException("unknown option '" + Escape.name(arg.startsWith("--") ? arg : "-" + name) + "'");
        }
    }
}
