/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * A command over files: walks the paths, runs {@link #process} on each regular
 * file in turn (map, work, unmap), streams a row per file, and reports each path
 * that fails on standard error while the rest still run (a file truncated while
 * it is read included: the SIGBUS the JVM turns into {@code InternalError}).
 */
abstract class FileCommand extends Command {

    /** Cells in a {@code -v} bar. */
    static final int BAR_CELLS = 60;

    private final Report.Column[] columns;

    FileCommand(String name, List<String> aliases, String summary, Report.Column[] columns, String... description) {
        super(name, aliases, summary, "[options] PATH...", description);
        this.columns = columns;
    }

    /** One file's work. */
    abstract static class Work {
        final Options options;
        final PrintStream err;
        final Progress progress;

        Work(Options options, PrintStream err) {
            this.options = options;
            this.err = err;
            this.progress = new Progress(err, Terminal.stderrIsTerminal());
        }

        /**
         * Does the command's work on one regular file.
         *
         * @return the row's values, one per column, column 0 the size and column 1 the pages.
         */
        abstract long[] process(Path path, long size) throws IOException;

        /** The {@code -v} bar of the file just processed, or {@code null}. */
        Measure bar(Path path, long size) throws IOException {
            return options.verbose ? Measure.of(path, size, BAR_CELLS) : null;
        }

        /** After the walk: 0, or the exit code with which the command already finished. */
        int finish(int exitCode, PrintStream out) {
            return exitCode;
        }
    }

    abstract Work work(Options options, PrintStream err);

    /** The report the rows go to: the percentage of the last column, unless a command says otherwise. */
    Report report(PrintStream out, Options options) {
        return new Report(out, options, columns);
    }

    Report.Column[] columns() {
        return columns.clone();
    }

    /**
     * Why a page of a file could not be read: whether the file changed since the walk saw it
     * ({@code attrs}) tells a file that shrank (SIGBUS past its new end) from one the file system
     * could not supply a page of.
     */
    static String sigbus(Path path, BasicFileAttributes attrs, Throwable e) {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException | RuntimeException gone) {
            now = null;
        }
        if (now == null || now.size() < attrs.size() || !now.lastModifiedTime().equals(attrs.lastModifiedTime())) {
            // Changed, not smaller now: truncated and written again meanwhile.
            return "the file shrank while it was being read (SIGBUS on a page past its end at that moment: "
                    + e.getMessage() + ")" + (now == null ? "; it is gone now" : now.size() < attrs.size()
                    ? "; it is now " + now.size() + " bytes, was " + attrs.size() : "");
        }
        return "a mapped page could not be read (SIGBUS: " + e.getMessage() + "), though the file did not change: "
                + "the file system could not supply it (out of space or memory, e.g. a full tmpfs allocating a "
                + "hole's page; or an I/O error: check dmesg)";
    }

    @Override
    final int run(Options options, PrintStream out, PrintStream err) throws Options.UsageException {
        if (options.paths.isEmpty()) {
            throw new Options.UsageException("no PATH given");
        }
        Report report = report(out, options);
        Work work = work(options, err);
        long[] failed = {0};
        FileWalker walker = new FileWalker(options.followSymlinks, new FileWalker.Visitor() {
            @Override
            public void file(Path path, BasicFileAttributes attrs) {
                long size = attrs.size();
                try {
                    long[] row = work.process(path, size);
                    report.file(path, row, work.bar(path, size));
                } catch (FileWindows.PageLost e) {
                    // mmap4j's SIGBUS handler covered the page with zeros: the same failure as below.
                    work.progress.clear();
                    failed(path, sigbus(path, attrs, e));
                } catch (IOException | RuntimeException e) {
                    work.progress.clear();
                    failed(path, e instanceof IOException ? FileWalker.reason((IOException) e) : e.toString());
                } catch (InternalError e) {
                    // A mapped page the kernel cannot supply is SIGBUS, which the JVM raises as InternalError:
                    // that file failed, the walk goes on. Past the file's end (someone truncated it meanwhile),
                    // or not: a full tmpfs cannot allocate a page, a device fails a read.
                    work.progress.clear();
                    failed(path, sigbus(path, attrs, e));
                }
            }

            @Override
            public void failed(Path path, String reason) {
                failed[0]++;
                out.flush();
                // The name as the table shows it, in the reason too: one failure is one message.
                String shown = path.toString();
                String escaped = Escape.path(path);
                err.println("mmap4j " + name + ": " + escaped + ": " + reason.replace(shown, escaped));
                err.flush();
            }
        });
        for (Options.Operand operand : options.paths) {
            if (operand.path != null) {
                walker.walk(operand.path);
            } else {
                failed[0]++;
                out.flush();
                err.println("mmap4j " + name + ": " + Escape.name(operand.text) + ": " + operand.problem);
                err.flush();
            }
        }
        report.totals(failed[0]);
        return work.finish(failed[0] == 0 ? 0 : 1, out);
    }
}
