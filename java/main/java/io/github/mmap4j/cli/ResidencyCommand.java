/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;

/** {@code residency} ({@code incore}): how much of each file is in the page cache ({@code mincore(2)}). */
final class ResidencyCommand extends FileCommand {

    ResidencyCommand() {
        super("residency", Collections.singletonList("incore"),
                "Show how much of each file is in the page cache (mincore)",
                new Report.Column[] {Report.SIZE, Report.PAGES, new Report.Column("resident_pages", "RESIDENT")},
                "Directories are walked recursively in name order; each file is mapped, measured and",
                "unmapped in turn. Columns: size, pages, resident pages, resident percent.");
    }

    @Override
    Work work(Options options, PrintStream err) {
        return new Work(options, err) {
            private Measure last;

            @Override
            long[] process(Path path, long size) throws IOException {
                last = Measure.of(path, size, options.verbose ? BAR_CELLS : 0);
                return new long[] {size, last.pages, last.resident};
            }

            @Override
            Measure bar(Path path, long size) {
                return options.verbose ? last : null;
            }
        };
    }
}
