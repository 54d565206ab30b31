/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Advice;
import io.github.mmap4j.Mmap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;

/** {@code load} ({@code touch}): brings files into the page cache: {@code madvise(WILLNEED)}, then a read per page. */
final class LoadCommand extends BeforeAfterCommand {

    /** Pages touched between progress updates. */
    private static final int PAGES_PER_UPDATE = 4096;

    /** What the reads add up to, kept so that they are not optimised away. */
    private long sink;

    LoadCommand() {
        super("load", Collections.singletonList("touch"),
                "Bring files into the page cache (madvise WILLNEED, then read one byte of every page)",
                "Columns: size, pages, resident pages before and after. When standard error is a terminal",
                "and the work lasts over a second, a progress line is drawn there.");
    }

    @Override
    void change(Path path, long size, Progress progress) throws IOException {
        int page = (int) Mmap.pageSize();
        progress.start(Escape.path(path), size);
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
    }
}
