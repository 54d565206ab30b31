/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.ChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mmap4j.Mmap;
import io.github.mmap4j.OddFiles;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool pointed at a tree another user controls: files swapped for FIFOs
 * between the walk's {@code stat} and the {@code open}, special files named on
 * the command line. Every test is bounded in time: a hang fails it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileTreeTest {

    @TempDir
    Path dir;

    private final long page = Mmap.pageSize();

    private Path file(String name, long bytes) throws IOException {
        return Cli.write(dir, name, new byte[(int) bytes]);
    }

    /**
     * Another user swaps a file of the tree for a FIFO and back, as fast as it can
     * (hard links renamed over the name, each swap atomic). Whatever the walk
     * meets, it reports and goes on: the FIFO is refused at {@code open} without
     * waiting for a writer (before, the tool hung there for good).
     */
    @Test
    void aFifoSwappedInDuringTheWalkIsReportedAndTheWalkGoesOn() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Path good = file("tree/z-good.bin", page);
        Path regular = file("spare/regular.bin", 3 * page);
        Path fifo = OddFiles.fifo(dir.resolve("spare/fifo"));
        Path staging = dir.resolve("spare/staging");
        Path swapped = tree.resolve("swapped.bin");
        Files.createLink(swapped, regular);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    for (Path next : new Path[] {fifo, regular}) {
                        Files.deleteIfExists(staging);
                        Files.createLink(staging, next);
                        Files.move(staging, swapped, StandardCopyOption.ATOMIC_MOVE);
                    }
                    swaps.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "swapper");
        swapper.setDaemon(true);
        swapper.start();
        String refusedAtOpen = swapped + ": open failed: ENODEV (not a regular file: FIFO)";
        String skippedAtStat = swapped + ": skipped: not a regular file or directory";
        int runs = 0;
        int refused = 0;
        int skipped = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> commands = Arrays.asList("residency", "load", "evict");
        try {
            while (refused < 20 && System.nanoTime() < deadline) {
                String command = commands.get(runs++ % commands.size());
                ChildProcess.Result cli = Cli.run(command, "--json", tree.toString());
                List<Map<String, Object>> rows = Cli.json(cli);
                Map<String, Object> last = rows.get(rows.size() - 1);
                assertEquals(good.toString(), rows.get(rows.size() - 2).get("path"), cli.toString());
                if (cli.err.contains(refusedAtOpen)) {
                    refused++;
                } else if (cli.err.contains(skippedAtStat)) {
                    skipped++;
                } else {
                    assertEquals("", cli.err, cli.toString());
                }
                assertEquals(cli.err.isEmpty() ? 0 : 1, cli.exit, cli.toString());
                assertEquals(cli.err.isEmpty() ? 0L : 1L, last.get("failed"), cli.toString());
            }
        } finally {
            stop.set(true);
            OddFiles.unblock(fifo); // a walk that did block (the bug) goes on
            swapper.join(10_000);
        }
        System.out.println("FIFO swap race: " + runs + " walks, " + swaps.get() + " swaps, " + refused
                + " refused at open, " + skipped + " skipped at stat");
        assertTrue(refused > 0, "the swap never landed between stat and open in " + runs + " walks");
    }

    /**
     * Another user truncates a file while {@code load} reads it through its
     * mapping: the next read past the new end is SIGBUS, which the JVM raises as
     * {@code InternalError}. That file is reported, the walk goes on and the
     * totals come (before, the error ended the tool with a stack trace).
     */
    @Test
    void aFileTruncatedWhileItIsReadIsReportedAndTheWalkGoesOn() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Path big = tree.resolve("a-big.bin");
        Path good = file("tree/z-good.bin", page);
        // Real data, written again after each truncation: load skips holes, so a sparse file is not read.
        byte[] data = new byte[16 << 20];
        Arrays.fill(data, (byte) 1);
        Files.write(big, data);
        AtomicBoolean stop = new AtomicBoolean();
        Thread truncator = new Thread(() -> {
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
                while (!stop.get()) {
                    f.setLength(page);
                    f.seek(0);
                    f.write(data);
                    Thread.sleep(5);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "truncator");
        truncator.setDaemon(true);
        truncator.start();
        String shrank = big + ": the file shrank while it was being read (SIGBUS";
        int runs = 0;
        int faulted = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (faulted < 3 && System.nanoTime() < deadline) {
                runs++;
                ChildProcess.Result cli = Cli.run("load", "--json", tree.toString());
                List<Map<String, Object>> rows = Cli.json(cli);
                assertEquals(good.toString(), rows.get(rows.size() - 2).get("path"), cli.toString());
                assertEquals(true, rows.get(rows.size() - 1).get("total"), cli.toString());
                if (cli.err.contains(shrank)) {
                    faulted++;
                    assertEquals(1, cli.exit, cli.toString());
                }
            }
        } finally {
            stop.set(true);
            truncator.join(10_000);
        }
        System.out.println("truncation race: " + runs + " walks, " + faulted + " reads past the end reported");
        assertTrue(faulted > 0, "no read ever landed past the end in " + runs + " walks");
    }

    /** Special files named on the command line, and inside a walked directory: each reported, none waited for. */
    @Test
    void specialFilesAreReportedAndTheRestStillRun() throws Exception {
        Path good = file("good.bin", 2 * page);
        Path fifo = OddFiles.fifo(dir.resolve("fifo"));
        Path socket = OddFiles.socket(dir.resolve("socket"));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, loop);
        for (String command : Arrays.asList("residency", "load", "evict")) {
            ChildProcess.Result cli = Cli.run(command, "--json", fifo.toString(), socket.toString(), "/dev/null", "/dev/zero",
                    dangling.toString(), loop.toString(), good.toString(), dir.toString());
            assertEquals(1, cli.exit, cli.toString());
            for (Path p : Arrays.asList(fifo, socket, dangling, loop)) {
                assertTrue(cli.err.contains("mmap4j " + command + ": " + p + ": "), p + " in " + cli);
            }
            assertTrue(cli.err.contains(": /dev/null: skipped: not a regular file"), cli.toString());
            assertTrue(cli.err.contains(": /dev/zero: skipped: not a regular file"), cli.toString());
            List<Map<String, Object>> rows = Cli.json(cli);
            assertEquals(good.toString(), rows.get(0).get("path"), cli.toString());
            assertEquals(good.toString(), rows.get(1).get("path"), cli.toString()); // again, inside dir
        }
        OddFiles.unblock(fifo);
    }

    /**
     * A name with a newline would print as a row of its own (a forged one): the
     * table escapes names as {@code ls -b} does, one file per line; JSON has its own escapes.
     */
    @Test
    void namesWithControlCharactersCannotForgeRows() throws Exception {
        String forged = "x\n       1.0M         256         256  100.0%  forged.bin";
        Path evil = file("tree/" + forged, page);
        Path odd = file("tree/tab\there back\\slash esc\033[31mred bell\u0007 c1\u009b rlo\u202e", page);
        ChildProcess.Result table = Cli.run("residency", dir.resolve("tree").toString());
        assertEquals(0, table.exit, table.toString());
        String[] lines = table.out.split("\n");
        assertEquals(4, lines.length, "header, two files, total:\n" + table.out);
        assertTrue(lines[1].endsWith(dir.resolve("tree") + "/tab\\there back\\\\slash esc\\033[31mred bell\\a"
                + " c1\\302\\233 rlo\\342\\200\\256"), table.out);
        assertTrue(lines[2].endsWith(dir.resolve("tree") + "/x\\n       1.0M         256         256  100.0%  "
                + "forged.bin"), table.out);
        for (String line : lines) {
            assertTrue(!line.contains("\033") && !line.contains("\u009b") && !line.contains("\u202e"), line);
        }
        ChildProcess.Result json = Cli.run("residency", "--json", dir.resolve("tree").toString());
        assertEquals(odd.toString(), Cli.json(json).get(0).get("path"));
        assertEquals(evil.toString(), Cli.json(json).get(1).get("path"));
    }

    @Test
    void escapeShowsEveryNameOnOneLineAndReadsBackToOneName() {
        assertEquals("plain name.bin", Escape.name("plain name.bin"));
        assertEquals("caf\u00e9 \u65e5\u672c \ud83d\ude00", Escape.name("caf\u00e9 \u65e5\u672c \ud83d\ude00"));
        assertEquals("a\\nb", Escape.name("a\nb"));
        assertEquals("a\\\\nb", Escape.name("a\\nb")); // a backslash then n: not the same as a newline
        assertEquals("\\000\\001\\037\\177", Escape.name("\u0000\u0001\u001f\u007f"));
        assertEquals("\\a\\b\\t\\n\\v\\f\\r", Escape.name("\u0007\b\t\n\u000b\f\r"));
        assertEquals("\\302\\205\\342\\200\\250\\342\\200\\251", Escape.name("\u0085\u2028\u2029"));
        assertEquals("zero\\342\\200\\213width", Escape.name("zero\u200bwidth"));
        assertEquals("lone\\ud800", Escape.name("lone\ud800"));
    }
}
