/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Advice;
import io.github.mmap4j.Mmap;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;

/** {@code load} ({@code touch}): brings files into the page cache: {@code madvise(WILLNEED)}, then a read per page. */
final class LoadCommand extends FileCommand {

    /** Pages touched between progress updates. */
    private static final int PAGES_PER_UPDATE = 4096;

    LoadCommand() {
        super("load", Collections.singletonList("touch"),
                "Bring files into the page cache (madvise WILLNEED, then read one byte of every page)",
                Report.BEFORE_AFTER,
                "Columns: size, pages, resident pages before and after. When standard error is a terminal",
                "and the work lasts over a second, a progress line is drawn there.");
    }

    @Override
    Work work(Options options, PrintStream err) {
        return new Work(options, err) {
            private long sink;

            @Override
            long[] process(Path path, long size) throws IOException {
                long before = Measure.of(path, size, 0).resident;
                int page = (int) Mmap.pageSize();
                progress.start(Escape.name(path.toString()), size);
                FileWindows.forEach(path, size, (window, offset) -> {
                    if (Advice.WILLNEED.isSupported()) {
                        Mmap.advise(window, Advice.WILLNEED);
                    }
                    for (int i = 0; i < window.capacity(); i += page) {
                        sink += window.get(i);
                        if ((i / page) % PAGES_PER_UPDATE == 0) {
                            progress.update(offset + i);
                        }
                    }
                    progress.update(offset + window.capacity());
                    return false;
                });
                progress.clear();
                Measure after = Measure.of(path, size, 0);
                return new long[] {size, after.pages, before, after.resident};
            }
        };
    }
}
