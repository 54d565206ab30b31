/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.MapMode;
import io.github.mmap4j.MapOptions;
import io.github.mmap4j.Mmap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Maps a file read-only a window at a time ({@link #WINDOW} bytes at most, at
 * page-aligned offsets), so files larger than a {@code ByteBuffer} work and
 * memory stays flat: each window is unmapped before the next is mapped, unless
 * the caller keeps it. Empty files map nothing.
 */
final class FileWindows {

    /** Bytes per window: 1 GiB, a multiple of every page size. */
    static final long WINDOW = 1L << 30;

    /** Work on one window; return {@code true} to keep it mapped (the caller then unmaps it). */
    interface Body {
        boolean window(ByteBuffer window, long offset) throws IOException;
    }

    private static final MapOptions READ_ONLY = MapOptions.of(MapMode.READ_ONLY);

    /**
     * A page of a window could not be read from the file (SIGBUS: past the file's end at that
     * moment, or the file system could not supply it); mmap4j covered it with zeros, so the
     * body saw zeros there and its result for the file is wrong.
     */
    static final class PageLost extends IOException {
        private static final long serialVersionUID = 1L;

        PageLost(long offset) {
            super("a page of the window at byte " + offset + " was past the file's end when read");
        }
    }

    private FileWindows() {
    }

    static void forEach(Path path, long size, Body body) throws IOException {
        for (long offset = 0; offset < size; offset += WINDOW) {
            ByteBuffer window = Mmap.map(path, offset, (int) Math.min(WINDOW, size - offset), READ_ONLY);
            boolean keep = false;
            try {
                keep = body.window(window, offset);
                if (Mmap.isTruncated(window)) {
                    throw new PageLost(offset);
                }
            } finally {
                if (!keep) {
                    Mmap.unmap(window);
                }
            }
        }
    }

    static long pages(long size) {
        long page = Mmap.pageSize();
        return (size + page - 1) / page;
    }
}
