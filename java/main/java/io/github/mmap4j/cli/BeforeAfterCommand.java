/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A command that changes how much of each file is in memory ({@code load}, {@code evict}): its
 * row is the file's size, its pages, and its resident pages before and after the change
 * ({@link Report#BEFORE_AFTER}).
 */
abstract class BeforeAfterCommand extends FileCommand {

    BeforeAfterCommand(String name, List<String> aliases, String summary, String... description) {
        super(name, aliases, summary, Report.BEFORE_AFTER, description);
    }

    /**
     * The change to one regular file.
     *
     * @param progress where a long change may draw its progress line.
     */
    abstract void change(Path path, long size, Progress progress) throws IOException;

    @Override
    final Work work(Options options, PrintStream err) {
        return new Work(options, err) {
            @Override
            long[] process(Path path, long size) throws IOException {
                long before = Measure.of(path, size, 0).resident;
                change(path, size, progress);
                Measure after = Measure.of(path, size, 0);
                return new long[] {size, after.pages, before, after.resident};
            }
        };
    }
}
