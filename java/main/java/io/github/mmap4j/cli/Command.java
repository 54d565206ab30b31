/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** One of the tool's commands: its names, its help, and what it does. */
abstract class Command {

    final String name;
    final List<String> aliases;
    final String summary;
    private final String usage;
    private final List<String> description;

    Command(String name, List<String> aliases, String summary, String usage, String... description) {
        this.name = name;
        this.aliases = aliases;
        this.summary = summary;
        this.usage = usage;
        this.description = Arrays.asList(description);
    }

    boolean isCalled(String word) {
        return name.equals(word) || aliases.contains(word);
    }

    /**
     * Runs the command.
     *
     * @return the exit code: 0 all went well, 1 some paths failed.
     * @throws Options.UsageException when the options do not fit the command (exit code 2).
     */
    abstract int run(Options options, PrintStream out, PrintStream err) throws Options.UsageException;

    void help(PrintStream out) {
        out.println("usage: java -jar mmap4j.jar " + name + " " + usage);
        if (!aliases.isEmpty()) {
            out.println("       (also: " + String.join(", ", aliases) + ")");
        }
        out.println();
        out.println(summary + ".");
        for (String line : description) {
            out.println(line);
        }
        out.println();
        out.println("options:");
        for (String line : Options.HELP) {
            out.println(line);
        }
        out.println();
        out.println("exit status: 0 all paths done, 1 some paths failed (reasons on stderr), 2 bad command line");
    }
}
