/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.ChildProcess;
import io.github.mmap4j.Mmap;
import io.github.mmap4j.Version;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tool run in-process through {@link Main#run}; real files, real page cache. */
class CliTest {

    @TempDir
    Path dir;

    private final long page = Mmap.pageSize();

    private Path file(String name, long bytes) throws IOException {
        byte[] data = new byte[(int) bytes];
        new Random(bytes).nextBytes(data);
        return Cli.write(dir, name, data);
    }

    private static long num(Map<String, Object> o, String key) {
        return (Long) o.get(key);
    }

    @Test
    void helpForTheToolAndEachCommand() {
        ChildProcess.Result tool = Cli.run("--help");
        assertEquals(0, tool.exit, tool.toString());
        for (String command : Arrays.asList("info", "residency", "incore", "load", "touch", "evict", "lock")) {
            assertTrue(tool.out.contains(command), command + " missing from\n" + tool.out);
            ChildProcess.Result help = Cli.run(command, "--help");
            assertEquals(0, help.exit, help.toString());
            assertTrue(help.out.startsWith("usage: java -jar mmap4j.jar "), help.toString());
            assertEquals(help.out, Cli.run("help", command).out);
        }
        assertEquals("mmap4j " + Version.VERSION + "\n", Cli.run("--version").out);
    }

    @Test
    void badCommandLinesExitTwoWithAReason() {
        ChildProcess.Result none = Cli.run();
        assertEquals(2, none.exit);
        assertTrue(none.err.startsWith("usage:"), none.toString());
        ChildProcess.Result unknown = Cli.run("frobnicate");
        assertEquals(2, unknown.exit);
        assertTrue(unknown.err.contains("unknown command 'frobnicate'"), unknown.toString());
        ChildProcess.Result option = Cli.run("residency", "--frob", dir.toString());
        assertEquals(2, option.exit);
        assertTrue(option.err.contains("mmap4j residency: unknown option '--frob'"), option.toString());
        assertTrue(option.err.contains("residency --help"), option.toString());
        ChildProcess.Result shortOption = Cli.run("load", "-vq", dir.toString());
        assertEquals(2, shortOption.exit);
        assertTrue(shortOption.err.contains("unknown option '-q'"), shortOption.toString());
        ChildProcess.Result noPath = Cli.run("evict", "--json");
        assertEquals(2, noPath.exit);
        assertTrue(noPath.err.contains("mmap4j evict: no PATH given"), noPath.toString());
        assertEquals("", noPath.out);
    }

    /** An unknown command or option is shown escaped, as file names are: no ESC reaches the terminal. */
    @Test
    void unknownCommandsAndOptionsAreEscaped() {
        ChildProcess.Result command = Cli.run("x\033[31mred\n");
        assertEquals(2, command.exit, command.toString());
        assertTrue(command.err.startsWith("mmap4j: unknown command 'x\\033[31mred\\n'\n"), command.toString());
        ChildProcess.Result option = Cli.run("residency", "--\033]0;title\007", dir.toString());
        assertEquals(2, option.exit, option.toString());
        assertTrue(option.err.contains("unknown option '--\\033]0;title\\a'"), option.toString());
        ChildProcess.Result shortOption = Cli.run("load", "-v\u009b", dir.toString());
        assertEquals(2, shortOption.exit, shortOption.toString());
        assertTrue(shortOption.err.contains("unknown option '-\\302\\233'"), shortOption.toString());
        ChildProcess.Result pair = Cli.run("load", "-\ud83d\ude00", dir.toString());
        assertTrue(pair.err.contains("unknown option '-\ud83d\ude00'"), pair.toString());
        for (ChildProcess.Result r : Arrays.asList(command, option, shortOption, pair)) {
            assertFalse(r.err.contains("\033") || r.err.contains("\u009b") || r.err.contains("\007"), r.toString());
        }
    }

    /**
     * A path that cannot be a path here (an unpaired surrogate has no encoding; a name the locale
     * cannot encode is the same case when its bytes are not known): that path fails with one escaped
     * line, no stack trace, and the others still run.
     */
    @Test
    void aPathThatCannotBeEncodedFailsAloneWithoutAStackTrace() throws IOException {
        Path good = file("good.bin", 2 * page);
        ChildProcess.Result cli = Cli.run("residency", "--json", "bad\ud800\n.bin", good.toString());
        assertEquals(1, cli.exit, cli.toString());
        assertTrue(cli.err.startsWith("mmap4j residency: bad\\ud800\\n.bin: cannot be a path in this locale's file "
                + "name encoding"), cli.toString());
        assertEquals(1, cli.err.split("\n").length, cli.toString());
        assertEquals(good.toString(), Cli.json(cli).get(0).get("path"), cli.toString());
        assertEquals(1L, Cli.json(cli).get(1).get("failed"), cli.toString());
    }

    /**
     * A SIGBUS (the JVM's InternalError) while reading a file says "shrank" only when the file did
     * change since the walk saw it; otherwise the file system could not supply the page (a full tmpfs).
     */
    @Test
    void sigbusSaysShrankOnlyWhenTheFileChanged() throws IOException {
        Path f = file("f.bin", 4 * page);
        java.nio.file.attribute.BasicFileAttributes seen = Files.readAttributes(f,
                java.nio.file.attribute.BasicFileAttributes.class);
        InternalError sigbus = new InternalError("a fault occurred in an unsafe memory access");
        String same = FileCommand.sigbus(f, seen, sigbus);
        assertFalse(same.contains("shrank"), same);
        assertTrue(same.contains("did not change") && same.contains("tmpfs"), same);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(page);
        }
        String shrank = FileCommand.sigbus(f, seen, sigbus);
        assertTrue(shrank.startsWith("the file shrank while it was being read (SIGBUS"), shrank);
        assertTrue(shrank.endsWith("it is now " + page + " bytes, was " + 4 * page), shrank);
    }

    @Test
    void infoNamesVersionPageSizeAndLibrary() {
        ChildProcess.Result info = Cli.run("info", "--json");
        assertEquals(0, info.exit, info.toString());
        Map<String, Object> o = Cli.parse(info.out.trim());
        assertEquals(Version.VERSION, o.get("version"));
        assertEquals(page, num(o, "page_size"));
        assertTrue(new File((String) o.get("native_library")).isFile(), info.toString());
        assertTrue(((String) o.get("advice")).contains("WILLNEED"), info.toString());
    }

    @Test
    void loadMakesEveryPageResidentAndEvictLowersIt() throws IOException {
        Path a = file("a.bin", 300 * page + 7);
        Path b = file("sub/b.bin", 5 * page);
        ChildProcess.Result load = Cli.run("load", "--json", dir.toString());
        assertEquals(0, load.exit, load.toString());
        List<Map<String, Object>> rows = Cli.json(load);
        assertEquals(3, rows.size(), load.toString());
        assertEquals(a.toString(), rows.get(0).get("path"));
        assertEquals(b.toString(), rows.get(1).get("path"));
        assertEquals(301, num(rows.get(0), "pages"));
        assertEquals(300 * page + 7, num(rows.get(0), "size_bytes"));
        assertEquals(page, num(rows.get(0), "page_size"));
        for (Map<String, Object> row : rows.subList(0, 2)) {
            assertEquals(num(row, "pages"), num(row, "resident_pages"), load.toString());
        }
        assertEquals(Boolean.TRUE, rows.get(2).get("total"));
        assertEquals(306, num(rows.get(2), "resident_pages"));

        ChildProcess.Result residency = Cli.run("residency", "--json", a.toString());
        assertEquals(301, num(Cli.json(residency).get(0), "resident_pages"), residency.toString());

        ChildProcess.Result evict = Cli.run("evict", "--json", a.toString());
        assertEquals(0, evict.exit, evict.toString());
        Map<String, Object> row = Cli.json(evict).get(0);
        assertEquals(301, num(row, "resident_pages_before"), evict.toString());
        assertTrue(num(row, "resident_pages") < 301, evict.toString());
        ChildProcess.Result after = Cli.run("incore", "--json", a.toString());
        assertTrue(num(Cli.json(after).get(0), "resident_pages") < 301, after.toString());
    }

    @Test
    void residencyAgreesWithFincore() throws Exception {
        Assumptions.assumeTrue(onPath("fincore"), "fincore (util-linux) is not installed: skipping the comparison");
        List<Path> files = mixedResidencyFiles();
        List<String> args = new ArrayList<>(Arrays.asList("residency", "--json"));
        List<String> fincore = new ArrayList<>(Arrays.asList("fincore", "--bytes", "--noheadings", "--output",
                "RES,PAGES,SIZE"));
        for (Path f : files) {
            args.add(f.toString());
            fincore.add(f.toString());
        }
        String ours = null;
        String theirs = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            // The same moment: our answer before and after fincore's must match each other.
            ChildProcess.Result before = Cli.run(args.toArray(new String[0]));
            ChildProcess.Result reference = ChildProcess.command(fincore).run();
            ChildProcess.Result again = Cli.run(args.toArray(new String[0]));
            assertEquals(0, reference.exit, reference.toString());
            ours = rows(before);
            theirs = reference.out.trim().replaceAll("[ \t]+", " ").replaceAll("\n ", "\n").replaceAll("^ ", "");
            if (ours.equals(rows(again))) {
                break;
            }
        }
        assertEquals(theirs, ours);
    }

    @Test
    void residencyAgreesWithVmtouch() throws Exception {
        Assumptions.assumeTrue(onPath("vmtouch"), "vmtouch is not installed: skipping the comparison");
        for (Path f : mixedResidencyFiles()) {
            ChildProcess.Result ours = Cli.run("residency", "--json", f.toString());
            ChildProcess.Result theirs = ChildProcess.command("vmtouch", f.toString()).run();
            Matcher m = Pattern.compile("Resident Pages: (\\d+)/(\\d+)").matcher(theirs.out);
            assertTrue(m.find(), theirs.toString());
            Map<String, Object> o = Cli.json(ours).get(0);
            assertEquals(m.group(1) + "/" + m.group(2), num(o, "resident_pages") + "/" + num(o, "pages"), f.toString());
        }
    }

    /** Files in three states: all resident, none, the first part only, and empty. */
    private List<Path> mixedResidencyFiles() throws IOException {
        Path full = file("full.bin", 64 * page + 100);
        Path none = file("none.bin", 40 * page);
        Path part = file("part.bin", 512 * page);
        Path empty = file("empty.bin", 0);
        assertEquals(0, Cli.run("load", full.toString()).exit);
        assertEquals(0, Cli.run("evict", none.toString(), part.toString()).exit);
        try (InputStream in = Files.newInputStream(part)) {
            byte[] chunk = new byte[(int) page];
            for (int i = 0; i < 8; i++) {
                assertEquals(chunk.length, in.read(chunk));
            }
        }
        return Arrays.asList(full, none, part, empty);
    }

    /** Our JSON rows as fincore's RES PAGES SIZE lines. */
    private static String rows(ChildProcess.Result cli) {
        StringBuilder s = new StringBuilder();
        for (Map<String, Object> o : Cli.json(cli)) {
            if (o.get("path") != null) {
                long resident = num(o, "resident_pages");
                s.append(resident * num(o, "page_size")).append(' ').append(resident).append(' ')
                        .append(num(o, "size_bytes")).append('\n');
            }
        }
        return s.toString().trim();
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv("PATH").split(File.pathSeparator)) {
            if (new File(d, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void missingFilesAndSpecialFilesAreReportedAndTheRestStillRun() throws Exception {
        Path good = file("good.bin", 3 * page);
        Path missing = dir.resolve("missing.bin");
        ChildProcess.Result cli = Cli.run("residency", "--json", missing.toString(), good.toString());
        assertEquals(1, cli.exit, cli.toString());
        assertEquals("mmap4j residency: " + missing + ": no such file or directory (ENOENT)\n", cli.err);
        List<Map<String, Object>> rows = Cli.json(cli);
        assertEquals(good.toString(), rows.get(0).get("path"));
        assertEquals(1, num(rows.get(1), "failed"));

        Assumptions.assumeTrue(onPath("mkfifo"), "mkfifo missing");
        Path fifo = dir.resolve("fifo");
        assertEquals(0, ChildProcess.command("mkfifo", fifo.toString()).run().exit);
        ChildProcess.Result special = Cli.run("load", dir.toString());
        assertEquals(1, special.exit, special.toString());
        assertTrue(special.err.contains(fifo + ": skipped: not a regular file or directory"), special.toString());
        assertTrue(special.out.contains(good.toString()), special.toString());
    }

    @Test
    void emptySparseAndHugeFiles() throws IOException {
        Path empty = file("empty", 0);
        Path sparse = dir.resolve("sparse-3g");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(3L << 30); // more than 2 GiB: three 1 GiB windows, no data
            f.seek((2L << 30) + 5);
            f.write(1);            // one real page in the third window
        }
        ChildProcess.Result cli = Cli.run("residency", "--json", "-v", empty.toString(), sparse.toString());
        assertEquals(0, cli.exit, cli.toString());
        Map<String, Object> e = Cli.json(cli).get(0);
        assertEquals(0, num(e, "pages"));
        assertEquals(0, num(e, "resident_pages"));
        Map<String, Object> s = Cli.json(cli).get(1);
        assertEquals(3L << 30, num(s, "size_bytes"));
        assertEquals((3L << 30) / page, num(s, "pages"));
        long resident = num(s, "resident_pages");
        assertTrue(resident >= 1 && resident < 64, cli.toString()); // the written page, perhaps a little read-ahead
        String bar = (String) s.get("bar");
        assertEquals(FileCommand.BAR_CELLS + 2, bar.indexOf(']') + 1, bar);
        assertTrue(bar.charAt(1 + 2 * FileCommand.BAR_CELLS / 3) == 'o', bar); // the cell holding byte 2 GiB + 5

        ChildProcess.Result evict = Cli.run("evict", "--json", sparse.toString());
        assertEquals(0, evict.exit, evict.toString());
        assertEquals(0, num(Cli.json(evict).get(0), "resident_pages"), evict.toString());
    }

    @Test
    void tenThousandFilesStreamInNameOrder() throws IOException {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree);
        byte[] one = {1};
        for (int i = 0; i < 10_000; i++) {
            Files.write(tree.resolve(String.format("f%05d", 9_999 - i)), one);
        }
        ChildProcess.Result cli = Cli.run("residency", "--json", tree.toString());
        assertEquals(0, cli.exit, cli.err);
        List<Map<String, Object>> rows = Cli.json(cli);
        assertEquals(10_001, rows.size());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(tree.resolve(String.format("f%05d", i)).toString(), rows.get(i).get("path"));
            assertEquals(1, num(rows.get(i), "resident_pages"));
        }
        assertEquals(10_000, num(rows.get(10_000), "files"));
        assertEquals(10_000, num(rows.get(10_000), "resident_pages"));
    }

    @Test
    void symlinksInsideDirectoriesAreFollowedOnlyWhenAsked() throws IOException {
        Path target = file("elsewhere/t.bin", 2 * page);
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree);
        Files.createSymbolicLink(tree.resolve("link.bin"), target);
        Files.createSymbolicLink(tree.resolve("loop"), tree);
        ChildProcess.Result plain = Cli.run("residency", "--json", tree.toString());
        assertEquals(0, plain.exit, plain.toString());
        assertEquals(0, num(Cli.json(plain).get(0), "files"), plain.toString());
        ChildProcess.Result follow = Cli.run("residency", "--json", "-L", tree.toString());
        assertEquals(tree.resolve("link.bin").toString(), Cli.json(follow).get(0).get("path"), follow.toString());
        assertEquals(1, follow.exit, follow.toString());
        assertTrue(follow.err.contains("loop: skipped: a symbolic link loop"), follow.toString());
        ChildProcess.Result given = Cli.run("residency", "--json", tree.resolve("link.bin").toString());
        assertEquals(0, given.exit, given.toString());
        assertEquals(2, num(Cli.json(given).get(0), "pages"));
    }

    @Test
    void residencyShowsDirtyAndWritebackPagesWhereKnown() throws IOException {
        Assumptions.assumeTrue(io.github.mmap4j.PageCache.hasCachestat(), "no cachestat (Linux 6.5+) here");
        Path f = dir.resolve("unsynced.bin");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[(int) (20 * page)]));
            ChildProcess.Result before = Cli.run("residency", "--json", f.toString());
            assertEquals(0, before.exit, before.toString());
            Map<String, Object> row = Cli.json(before).get(0);
            assertEquals(20, num(row, "resident_pages"), before.toString());
            assertTrue(num(row, "dirty_pages") > 0, before.toString());
            assertTrue(row.containsKey("writeback_pages") && row.containsKey("evicted_pages")
                    && row.containsKey("recently_evicted_pages"), before.toString());
            assertEquals(num(row, "dirty_pages"), num(Cli.json(before).get(1), "dirty_pages"), "total");
            ch.force(false);
        }
        ChildProcess.Result after = Cli.run("residency", f.toString());
        assertTrue(after.out.split("\n")[1].matches(" *80\\.0K +20 +20 +100\\.0% +0 +0 +" + Pattern.quote(f.toString())),
                after.out);
        System.setProperty("mmap4j.cachestat", "false");
        try {
            ChildProcess.Result mincore = Cli.run("residency", "--json", f.toString());
            Map<String, Object> row = Cli.json(mincore).get(0);
            assertEquals(20, num(row, "resident_pages"), mincore.toString());
            assertFalse(row.containsKey("dirty_pages") || row.containsKey("evicted_pages"), mincore.toString());
            ChildProcess.Result table = Cli.run("residency", f.toString());
            assertTrue(table.out.split("\n")[1].matches(" *80\\.0K +20 +20 +100\\.0% +- +- +.*"), table.out);
        } finally {
            System.clearProperty("mmap4j.cachestat");
        }
        assertTrue(Cli.run("info").out.contains("cachestat:      yes"));
    }

    @Test
    void humanOutputHasSizesTotalsAndBars() throws IOException {
        Path a = file("a.bin", 1536 * 1024);
        file("b.bin", 10);
        assertEquals(0, Cli.run("load", dir.toString()).exit);
        ChildProcess.Result human = Cli.run("residency", "-v", dir.toString());
        assertEquals(0, human.exit, human.toString());
        String[] lines = human.out.split("\n");
        assertTrue(lines[0].matches(" *SIZE +PAGES +RESIDENT +% +DIRTY +WRITEBACK +FILE"), human.out);
        String known = io.github.mmap4j.PageCache.hasCachestat() ? "\\d+" : "-";
        assertTrue(lines[1].matches(" *1\\.5M +" + 1536 * 1024 / page + " +" + 1536 * 1024 / page + " +100\\.0% +"
                + known + " +" + known + " +" + Pattern.quote(a.toString())), human.out);
        assertTrue(lines[2].matches(" +\\[O{60}\\] \\d+/\\d+"), human.out);
        assertTrue(lines[lines.length - 1].contains("total: 2 files"), human.out);
        ChildProcess.Result exact = Cli.run("residency", "--bytes", a.toString());
        assertTrue(exact.out.contains(" " + 1536 * 1024 + " "), exact.out);
        assertFalse(exact.out.contains("total"), exact.out);
    }
}
