/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Mmap;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a file command's results as they come: a table for people (sizes
 * human-readable unless {@code --bytes}, the percentage of the last column
 * against the pages, the {@code -v} bar under each file, names escaped as
 * {@code ls -b} does so that one file is always one row), or with
 * {@code --json} one object per file and a totals object. Keeps only the totals.
 */
final class Report {

    /**
     * A column: its JSON key and table header ({@code null}: in the JSON only). Column 0 is the
     * size in bytes, column 1 the pages. A negative value is "not known": {@code -} in the
     * table, left out of the JSON, and of the totals.
     */
    static final class Column {
        final String key;
        final String header;

        Column(String key, String header) {
            this.key = key;
            this.header = header;
        }
    }

    static final Column SIZE = new Column("size_bytes", "SIZE");
    static final Column PAGES = new Column("pages", "PAGES");

    /** The columns of a command that changes residency ({@code load}, {@code evict}). */
    static final Column[] BEFORE_AFTER = {SIZE, PAGES, new Column("resident_pages_before", "BEFORE"),
        new Column("resident_pages", "AFTER")};

    private final PrintStream out;
    private final Options options;
    private final List<Column> columns;
    /** The column the percentage is of (against the pages), shown right after it. */
    private final int percentOf;
    private final long[] totals;
    private long files;
    private boolean headerDone;

    /** A report whose percentage is of the last column. */
    Report(PrintStream out, Options options, Column... columns) {
        this(out, options, columns.length - 1, columns);
    }

    Report(PrintStream out, Options options, int percentOf, Column... columns) {
        this.out = out;
        this.options = options;
        this.columns = Arrays.asList(columns);
        this.percentOf = percentOf;
        this.totals = new long[columns.length];
    }

    void file(Path path, long[] values, Measure bar) {
        files++;
        for (int i = 0; i < values.length; i++) {
            // Once one file's value is not known, neither is the total.
            totals[i] = values[i] < 0 || totals[i] < 0 ? -1 : totals[i] + values[i];
        }
        if (options.json) {
            Json json = new Json().field("path", RawNames.text(path));
            fields(json, values);
            if (bar != null) {
                json.field("bar", bar.bar());
            }
            out.println(json);
        } else {
            row(values, Escape.path(path));
            if (bar != null) {
                out.println("  " + bar.bar());
            }
        }
    }

    void totals(long failed) {
        if (options.json) {
            Json json = new Json().field("total", true).field("files", files).field("failed", failed);
            out.println(fields(json, totals));
        } else if (files > 1 || failed > 0) {
            row(totals, "total: " + files + (files == 1 ? " file" : " files")
                    + (failed > 0 ? ", " + failed + " failed" : ""));
        }
        out.flush();
    }

    private Json fields(Json json, long[] values) {
        json.field(columns.get(0).key, values[0]).field("page_size", Mmap.pageSize());
        for (int i = 1; i < values.length; i++) {
            if (values[i] >= 0) {
                json.field(columns.get(i).key, values[i]);
            }
        }
        return json;
    }

    private void row(long[] values, String label) {
        if (!headerDone) {
            headerDone = true;
            StringBuilder header = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).header != null) {
                    header.append(String.format("%12s", columns.get(i).header));
                }
                if (i == percentOf) {
                    header.append(String.format("%8s", "%"));
                }
            }
            out.println(header.append("  FILE"));
        }
        StringBuilder line = new StringBuilder(String.format("%12s", Sizes.of(values[0], options.bytes)));
        for (int i = 1; i < values.length; i++) {
            if (columns.get(i).header != null) {
                line.append(String.format("%12s", values[i] < 0 ? "-" : Long.toString(values[i])));
            }
            if (i == percentOf) {
                line.append(String.format("%8s", Sizes.percent(values[i], values[1])));
            }
        }
        out.println(line.append("  ").append(label));
    }
}
