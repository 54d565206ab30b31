/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Version;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar mmap4j.jar}: the command-line tool, a page-cache tool in the
 * spirit of {@code vmtouch}: {@code info}, {@code residency}, {@code load},
 * {@code evict}, {@code lock}.
 *
 * <p>Exit codes: 0 success, 1 some paths failed, 2 the command line was wrong.
 */
public final class Main {

    private static final List<Command> COMMANDS = Arrays.asList(new InfoCommand(), new ResidencyCommand(),
            new LoadCommand(), new EvictCommand(), new LockCommand());

    private Main() {
    }

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command line.
     */
    public static void main(String[] args) {
        Escape.outputCharset(outputCharset());
        byte[][] raw = RawNames.arguments(args);
        int code = run(args, raw == null ? null : Arrays.asList(raw), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the tool without exiting, for tests and embedding. ({@code lock} holds
     * its files until the JVM is interrupted, so it returns only when it locked nothing.)
     *
     * @param args the command line.
     * @param out  standard output.
     * @param err  standard error.
     * @return the exit code: 0 success, 1 some paths failed, 2 the command line was wrong.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, null, out, err);
    }

    /**
     * Runs the tool without exiting.
     *
     * @param raw the arguments' bytes as the kernel passed them ({@link RawNames#arguments}), or
     *            {@code null} when not known.
     */
    static int run(String[] args, List<byte[]> raw, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(err);
            return 2;
        }
        String first = args[0];
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            Command command = args.length > 1 ? find(args[1]) : null;
            if (command != null) {
                command.help(out);
            } else {
                usage(out);
            }
            return 0;
        }
        if (first.equals("--version")) {
            out.println("mmap4j " + Version.VERSION);
            return 0;
        }
        Command command = find(first);
        if (command == null) {
            err.println("mmap4j: unknown command '" + Escape.name(first) + "'");
            usage(err);
            return 2;
        }
        try {
            Options options = Options.parse(Arrays.asList(args).subList(1, args.length),
                    raw == null ? null : raw.subList(1, raw.size()));
            if (options.help) {
                command.help(out);
                return 0;
            }
            return command.run(options, out, err);
        } catch (Options.UsageException e) {
            err.println("mmap4j " + command.name + ": " + e.getMessage());
            err.println("try: java -jar mmap4j.jar " + command.name + " --help");
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The charset {@code System.out} encodes with: JDK 18+ name it; before, it is the default charset. */
    private static Charset outputCharset() {
        for (String property : new String[] {"stdout.encoding", "sun.stdout.encoding"}) {
            String name = System.getProperty(property);
            if (name != null && Charset.isSupported(name)) {
                return Charset.forName(name);
            }
        }
        return Charset.defaultCharset();
    }

    private static Command find(String word) {
        for (Command command : COMMANDS) {
            if (command.isCalled(word)) {
                return command;
            }
        }
        return null;
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar mmap4j.jar <command> [options] [PATH...]");
        out.println();
        out.println("commands:");
        for (Command command : COMMANDS) {
            String names = command.name + (command.aliases.isEmpty() ? "" : ", " + String.join(", ",
                    command.aliases));
            out.println(String.format("  %-20s %s", names, command.summary));
        }
        out.println();
        out.println("  --help, help [command]  this text, or a command's;  --version  the version");
        out.println("exit status: 0 all paths done, 1 some paths failed (reasons on stderr), 2 bad command line");
    }
}
