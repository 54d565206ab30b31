/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Mmap;
import io.github.mmap4j.Residency;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One file's residency ({@code mincore(2)} through {@link Mmap#residency}),
 * window by window; with {@code cells > 0} also per slice of the file for the
 * {@code -v} bar. Never holds per-page data: a count per cell at most.
 */
final class Measure {

    final long pages;
    final long resident;
    /** Resident pages per cell; empty without a bar. */
    final long[] cells;

    private Measure(long pages, long resident, long[] cells) {
        this.pages = pages;
        this.resident = resident;
        this.cells = cells;
    }

    static Measure of(Path path, long size, int cellCount) throws IOException {
        long page = Mmap.pageSize();
        long pages = FileWindows.pages(size);
        long[] cells = new long[cellCount];
        long[] resident = {0};
        FileWindows.forEach(path, size, (window, offset) -> {
            Residency residency = Mmap.residency(window);
            resident[0] += residency.resident();
            long first = offset / page;
            long end = first + residency.pages();
            for (int c = 0; c < cells.length; c++) {
                long lo = Math.max(cellStart(c, pages, cells.length), first);
                long hi = Math.min(cellEnd(c, pages, cells.length), end);
                for (long p = lo; p < hi; p++) {
                    if (residency.isResident(p - first)) {
                        cells[c]++;
                    }
                }
            }
            return false;
        });
        return new Measure(pages, resident[0], cells);
    }

    /** First page of a cell: cells split the file evenly; a file of fewer pages repeats them. */
    static long cellStart(int cell, long pages, int cells) {
        return Math.min(cell * pages / cells, pages - 1);
    }

    static long cellEnd(int cell, long pages, int cells) {
        return Math.max((cell + 1) * pages / cells, cellStart(cell, pages, cells) + 1);
    }

    /** The bar: {@code O} a fully resident slice, {@code o} a partly resident one, a space for none. */
    String bar() {
        StringBuilder s = new StringBuilder("[");
        for (int c = 0; c < cells.length; c++) {
            long size = cellEnd(c, pages, cells.length) - cellStart(c, pages, cells.length);
            s.append(cells[c] == 0 ? ' ' : cells[c] >= size ? 'O' : 'o');
        }
        return s.append("] ").append(resident).append('/').append(pages).toString();
    }
}
