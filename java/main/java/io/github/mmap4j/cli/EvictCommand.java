/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.PageCache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;

/** {@code evict}: drops files from the page cache ({@link PageCache#evict}). */
final class EvictCommand extends BeforeAfterCommand {

    EvictCommand() {
        super("evict", Collections.<String>emptyList(),
                "Drop files from the page cache (fdatasync + posix_fadvise DONTNEED; msync INVALIDATE on macOS)",
                "Columns: size, pages, resident pages before and after. Pages that another process has",
                "locked or keeps using may stay resident: eviction is advice to the kernel.");
    }

    @Override
    void change(Path path, long size, Progress progress) throws IOException {
        PageCache.evict(path);
    }
}
