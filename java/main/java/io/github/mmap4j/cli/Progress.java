/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on standard error, redrawn in place ({@code \r}, erase to end
 * of line), for work on the current file. Drawn only when enabled (standard
 * error is a terminal) and once the command has run for
 * {@code -Dmmap4j.progressDelayMillis} (1000 by default), at most ten times a
 * second; erased when the file is done, so the output around it stays clean.
 */
final class Progress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final long showAfter;
    private long lastDraw;
    private boolean drawn;
    private String label = "";
    private long total;

    Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
        this.showAfter = System.nanoTime() + Long.getLong("mmap4j.progressDelayMillis", 1000L) * 1_000_000L;
    }

    void start(String fileLabel, long bytes) {
        this.label = fileLabel;
        this.total = bytes;
    }

    void update(long done) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - showAfter < 0 || drawn && now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        StringBuilder bar = new StringBuilder();
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '#' : '.');
        }
        err.print(String.format(Locale.ROOT, "\r\033[K[%s] %5s %s/%s %s", bar, Sizes.percent(done, total),
                Sizes.human(done), Sizes.human(total), label));
        err.flush();
    }

    void clear() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }
}
