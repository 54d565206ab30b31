/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Advice;
import io.github.mmap4j.Mmap;

import io.github.mmap4j.internal.NativeLibrary;

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
                "Bring files into the page cache (madvise WILLNEED, then read one byte of every page with data)",
                "Holes of sparse files are skipped (lseek SEEK_DATA): reading them would allocate them on tmpfs.",
                "Columns: size, pages, resident pages before and after. When standard error is a terminal",
                "and the work lasts over a second, a progress line is drawn there.");
    }

    @Override
    void change(Path path, long size, Progress progress) throws IOException {
        int page = (int) Mmap.pageSize();
        progress.start(Escape.path(path), size);
        NativeLibrary.DataMap data = NativeLibrary.DataMap.open(RawNames.encoded(path));
        try {
            FileWindows.forEach(path, size, (window, offset) -> {
                if (Advice.WILLNEED.isSupported()) {
                    Mmap.advise(window, Advice.WILLNEED);
                }
                long end = offset + window.capacity();
                for (long at = offset; at < end; ) {
                    // Holes are skipped: reading one through a mapping makes tmpfs allocate it (MAP_PRIVATE
                    // too), filling the file system; elsewhere it only caches zeros.
                    long from = data == null ? at : data.next(at, false);
                    if (from == -1 || from >= end) {
                        break;
                    }
                    from = from < at ? at : from;
                    long hole = data == null ? end : data.next(from, true);
                    hole = hole <= from ? end : Math.min(hole, end);
                    for (long i = (from - offset) / page * page; offset + i < hole; i += page) {
                        sink += window.get((int) i);
                        if ((i / page) % PAGES_PER_UPDATE == 0) {
                            progress.update(offset + i);
                        }
                    }
                    at = hole;
                }
                progress.update(end);
                return false;
            });
        } finally {
            if (data != null) {
                data.close();
            }
        }
        progress.clear();
    }
}
