/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.PageCache;
import io.github.mmap4j.PageCacheStats;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;

/**
 * {@code residency} ({@code incore}): how much of each file is in the page cache, by
 * {@link PageCache#stats} ({@code cachestat(2)} without mapping the file, else {@code mincore(2)});
 * {@code -v} bars by {@code mincore} over the file's mapping, slice by slice.
 */
final class ResidencyCommand extends FileCommand {

    /** Index of the resident column, which the percentage is of. */
    private static final int RESIDENT = 2;

    ResidencyCommand() {
        super("residency", Collections.singletonList("incore"),
                "Show how much of each file is in the page cache (cachestat, or mincore)",
                new Report.Column[] {Report.SIZE, Report.PAGES, new Report.Column("resident_pages", "RESIDENT"),
                    new Report.Column("dirty_pages", "DIRTY"), new Report.Column("writeback_pages", "WRITEBACK"),
                    new Report.Column("evicted_pages", null), new Report.Column("recently_evicted_pages", null)},
                "Directories are walked recursively in name order. Each file is measured with cachestat(2)",
                "(Linux 6.5+) without mapping it, or else mapped and measured with mincore(2)",
                "(-Dmmap4j.cachestat=false forces that); -v maps it for the bar. Columns: size, pages,",
                "resident pages and percent, dirty pages, pages under writeback ('-' where mincore",
                "cannot tell). --json adds evicted_pages and recently_evicted_pages where known.");
    }

    @Override
    Report report(PrintStream out, Options options) {
        return new Report(out, options, RESIDENT, columns());
    }

    @Override
    Work work(Options options, PrintStream err) {
        return new Work(options, err) {
            @Override
            long[] process(Path path, long size) throws IOException {
                PageCacheStats s = PageCache.stats(path, 0, Long.MAX_VALUE);
                return new long[] {s.length(), s.pages(), s.cached(), s.dirty(), s.writeback(), s.evicted(),
                    s.recentlyEvicted()};
            }
        };
    }
}
