/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.ChildProcess;
import io.github.mmap4j.TestJvm;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing: {@code java -jar target/mmap4j-<version>.jar} (property
 * {@code mmap4j.jar}) on the JVM under test ({@code mmap4j.testJvm}), for what
 * only a separate process shows: other users, resource limits, signals and
 * terminals.
 */
class CliIT {

    @TempDir
    Path dir;

    private static String jar() {
        String jar = System.getProperty("mmap4j.jar");
        Assumptions.assumeTrue(jar != null && new File(jar).isFile(), "no jar in mmap4j.jar; run through failsafe");
        return jar;
    }

    /** {@code java -jar <jar> args...}, as words. */
    private static List<String> toolLine(String... args) {
        List<String> cmd = new ArrayList<>(Arrays.asList(TestJvm.java(), "-jar", jar()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private static ChildProcess tool(String... args) {
        return ChildProcess.command(toolLine(args));
    }

    /** The wrapper that runs a command as user nobody. */
    private static final List<String> AS_NOBODY = Arrays.asList("setpriv", "--reuid=65534", "--regid=65534",
            "--clear-groups");

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private Path data(String name, int bytes) throws IOException {
        Path path = dir.resolve(name);
        byte[] content = new byte[bytes];
        Arrays.fill(content, (byte) 7);
        Files.write(path, content);
        return path;
    }

    @Test
    void infoRunsFromTheJar() throws Exception {
        ChildProcess.Result info = tool("info").run();
        assertEquals(0, info.exit, info.toString());
        assertTrue(info.out.startsWith("mmap4j "), info.toString());
        assertTrue(info.out.contains("page size:"), info.toString());
        assertEquals("", info.err);
    }

    @Test
    void exitCodesFromTheJar() throws Exception {
        Path good = data("good.bin", 10_000);
        assertEquals(0, tool("residency", good.toString()).run().exit);
        ChildProcess.Result missing = tool("residency", good.toString(), dir.resolve("nope").toString()).run();
        assertEquals(1, missing.exit, missing.toString());
        assertTrue(missing.err.contains("nope: no such file or directory (ENOENT)"), missing.toString());
        assertEquals(2, tool("residency", "--nope").run().exit);
    }

    /**
     * A directory of mode 000, read by another user (root reads anything): the
     * child runs as nobody through {@code setpriv}. The jar is copied next to the
     * files, into the test's directory made world-readable: the build's own jar may
     * lie where nobody cannot reach it (a clone in root's home, mode 0700, as in a
     * Docker image). Whether nobody can run the JVM and reach that directory is
     * found by trying, and the test skips, saying why, where it cannot.
     */
    @Test
    void unreadableDirectoryIsReportedAndTheRestStillRun() throws Exception {
        Assumptions.assumeTrue(isRoot() && CliTest.onPath("setpriv"), "needs root and setpriv to run as nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = dir.resolve("mmap4j.jar");
        Files.copy(java.nio.file.Paths.get(jar()), jar);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        ChildProcess.Result probe = ChildProcess.java("-jar", jar.toString(), "--version").under(AS_NOBODY).run();
        Assumptions.assumeTrue(probe.exit == 0, "user nobody cannot run the JVM under test " + TestJvm.java()
                + " on a jar in " + dir + " (one of them in a directory only its owner may enter, such as "
                + "root's home?): " + probe);
        Path closed = Files.createDirectory(dir.resolve("closed"));
        data("closed/inside.bin", 100);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        Path open = data("open.bin", 10_000);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        ChildProcess.Result cli = ChildProcess.java("-jar", jar.toString(), "residency", "--json", closed.toString(),
                open.toString()).under(AS_NOBODY).run();
        assertEquals(1, cli.exit, cli.toString());
        assertEquals("mmap4j residency: " + closed + ": cannot list directory: permission denied (EACCES)\n",
                cli.err);
        assertEquals(open.toString(), Cli.json(cli).get(0).get("path"), cli.toString());
    }

    /**
     * The tool run by {@code sh -c script} in {@link #dir}, with {@code $JAVA} and {@code $JAR} set and
     * the environment emptied but for {@code PATH} and {@code env}: names with non-ASCII bytes are
     * made by the shell ({@code printf '\303'}), so the test's own locale does not matter.
     */
    private ChildProcess.Result shell(List<String> env, String script) throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList("env", "-i", "PATH=" + System.getenv("PATH"),
                "JAVA=" + TestJvm.java(), "JAR=" + jar()));
        cmd.addAll(env);
        cmd.addAll(Arrays.asList("sh", "-c", script));
        return ChildProcess.command(cmd).in(dir).run();
    }

    /**
     * A non-ASCII name given in a locale that cannot encode it ({@code LANG=C}, {@code LC_ALL=C}, no
     * locale at all): the JVM decodes the argument to U+FFFD and {@code Paths.get} threw
     * {@code InvalidPathException} (a stack trace, no path processed). The tool takes the bytes the
     * kernel passed ({@code /proc/self/cmdline}): the file is found, and shown as {@code ls -b}
     * shows it in that locale.
     */
    @Test
    void nonAsciiNamesWorkInTheCLocale() throws Exception {
        Assumptions.assumeTrue(new File("/proc/self/cmdline").canRead(), "no /proc/self/cmdline here");
        String make = "printf 'abc' > \"$(printf 'caf\\303\\251.bin')\" && printf 'de' > plain.bin && ";
        String run = "exec \"$JAVA\" -jar \"$JAR\" residency \"$(printf 'caf\\303\\251.bin')\" plain.bin";
        for (List<String> locale : Arrays.asList(Arrays.asList("LANG=C"), Arrays.asList("LC_ALL=C", "LANG=C.UTF-8"),
                Arrays.<String>asList())) {
            ChildProcess.Result table = shell(locale, make + run);
            assertEquals(0, table.exit, locale + "\n" + table);
            assertEquals("", table.err, locale + "\n" + table);
            assertTrue(table.out.contains("  caf\\303\\251.bin\n"), locale + "\n" + table);
            ChildProcess.Result json = shell(locale, run.replace("residency", "residency --json"));
            assertEquals(0, json.exit, locale + "\n" + json);
            assertEquals("caf\u00e9.bin", Cli.json(json).get(0).get("path"), locale + "\n" + json);
            assertEquals(3L, Cli.json(json).get(0).get("size_bytes"), json.toString());
            assertFalse(json.out.contains("\u00e9"), "the JSON is ASCII in the C locale: " + json.out);
        }
    }

    /**
     * In the C locale, in a working directory with a non-ASCII name, the JVM resolves every relative
     * path against {@code user.dir} re-encoded, a directory that does not exist: even {@code .} was
     * ENOENT. The tool resolves relative paths against the real one ({@code /proc/self/cwd}).
     */
    @Test
    void relativePathsWorkInANonAsciiWorkingDirectoryInTheCLocale() throws Exception {
        Assumptions.assumeTrue(new File("/proc/self/cwd").exists(), "no /proc/self/cwd here");
        String script = "mkdir \"$(printf 'r\\303\\251p')\" && cd \"$(printf 'r\\303\\251p')\" && "
                + "printf 'abc' > \"$(printf 'caf\\303\\251.bin')\" && "
                + "exec \"$JAVA\" -jar \"$JAR\" residency --json \"$(printf 'caf\\303\\251.bin')\" .";
        ChildProcess.Result r = shell(Arrays.asList("LANG=C"), script);
        assertEquals(0, r.exit, r.toString());
        assertEquals("", r.err, r.toString());
        List<java.util.Map<String, Object>> rows = Cli.json(r);
        assertEquals(3, rows.size(), r.toString());
        assertTrue(((String) rows.get(0).get("path")).endsWith("/r\u00e9p/caf\u00e9.bin"), r.toString());
        assertEquals(2L, rows.get(2).get("files"), r.toString());
    }

    /**
     * A name that is not valid UTF-8, in a UTF-8 locale: the argument decodes to U+FFFD and named
     * another file (ENOENT for a file that exists). Given as an argument, and found in a directory,
     * the file is processed and shown with its byte in octal.
     */
    @Test
    void namesThatAreNotUtf8WorkInAUtf8Locale() throws Exception {
        Assumptions.assumeTrue(new File("/proc/self/cmdline").canRead(), "no /proc/self/cmdline here");
        String make = "mkdir -p d && printf 'wxyz' > \"d/$(printf 'bad\\377.bin')\" && ";
        String run = "exec \"$JAVA\" -jar \"$JAR\" residency \"d/$(printf 'bad\\377.bin')\" d";
        for (String locale : Arrays.asList("LC_ALL=C.UTF-8", "LANG=en_US.UTF-8", "LANG=C")) {
            ChildProcess.Result r = shell(Arrays.asList(locale), make + run);
            assertEquals(0, r.exit, locale + "\n" + r);
            assertEquals("", r.err, locale + "\n" + r);
            assertTrue(r.out.contains("  d/bad\\377.bin\n"), locale + "\n" + r);
            assertTrue(r.out.contains("total: 2 files"), locale + "\n" + r);
        }
    }

    /**
     * {@code load} of a sparse file on a nearly full tmpfs: reading a hole through a mapping makes
     * tmpfs allocate it (MAP_PRIVATE too), so the tool once filled the file system and then, at
     * SIGBUS, said "the file shrank while it was being read". Holes are skipped now: the data page
     * is loaded, nothing is allocated. Needs root to mount a 2 MiB tmpfs.
     */
    @Test
    void loadOfASparseFileOnANearlyFullTmpfsAllocatesNothing() throws Exception {
        Assumptions.assumeTrue(isRoot() && CliTest.onPath("mount") && CliTest.onPath("umount"),
                "needs root, mount and umount to mount a small tmpfs");
        Path mnt = Files.createDirectory(dir.resolve("tmpfs"));
        ChildProcess.Result mount = ChildProcess.command("mount", "-t", "tmpfs", "-o", "size=2m", "mmap4j-test",
                mnt.toString()).run();
        Assumptions.assumeTrue(mount.exit == 0, "cannot mount a tmpfs here (no CAP_SYS_ADMIN?): " + mount);
        try {
            long page = io.github.mmap4j.Mmap.pageSize();
            Path sparse = mnt.resolve("sparse.bin");
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
                f.setLength(8 << 20);
                f.seek(1 << 20);
                f.write(new byte[4096]); // one page of data amid 8 MiB of holes
            }
            Files.write(mnt.resolve("filler"), new byte[1800 << 10]); // leaves about 240 KiB free
            java.nio.file.FileStore store = Files.getFileStore(mnt);
            long free = store.getUnallocatedSpace();
            ChildProcess.Result load = tool("load", "--json", sparse.toString()).run();
            assertEquals(0, load.exit, load.toString());
            assertEquals("", load.err, load.toString());
            assertEquals((8L << 20) / page, Cli.json(load).get(0).get("pages"), load.toString());
            assertEquals(1L, Cli.json(load).get(0).get("resident_pages"), load.toString());
            assertEquals(free, store.getUnallocatedSpace(), "load allocated the file's holes: " + load);
        } finally {
            ChildProcess.command("umount", "-l", mnt.toString()).run();
        }
    }

    /** mlock beyond RLIMIT_MEMLOCK, without CAP_IPC_LOCK: the hint names {@code ulimit -l}. */
    @Test
    void lockOverTheLimitSaysUlimit() throws Exception {
        Assumptions.assumeTrue(CliTest.onPath("prlimit") && CliTest.onPath("setpriv"), "needs prlimit and setpriv");
        Path big = data("big.bin", 1 << 20);
        ChildProcess.Result cli = tool("lock", big.toString()).under(Arrays.asList("prlimit", "--memlock=65536:65536",
                "setpriv", "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock")).run();
        Assumptions.assumeFalse(cli.err.contains("setpriv:"), "setpriv cannot drop capabilities here: " + cli.err);
        assertEquals(1, cli.exit, cli.toString());
        assertTrue(cli.err.contains("mmap4j lock: " + big + ": mlock failed: "), cli.toString());
        assertTrue(cli.err.contains("ulimit -l"), cli.toString());
    }

    /** lock holds the pages (VmLck) until SIGTERM, then unlocks and exits 0. */
    @Test
    void lockHoldsUntilSigtermThenExitsZero() throws Exception {
        Path file = data("locked.bin", 1 << 20);
        ChildProcess.Running lock = tool("lock", file.toString()).timeout(60).start();
        Process p = lock.process();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!lock.err().contains("holding") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(lock.err().contains("mmap4j lock: holding 256 locked pages") || lock.err().contains("holding"),
                    lock.err());
            Path status = java.nio.file.Paths.get("/proc/" + lock.pid() + "/status");
            if (Files.isReadable(status)) {
                long lockedKb = 0;
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmLck:")) {
                        lockedKb = Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
                assertTrue(lockedKb >= 1024, "VmLck " + lockedKb + " kB");
            }
            p.destroy(); // SIGTERM
            ChildProcess.Result r = lock.finish();
            assertEquals(0, r.exit, r.toString());
            assertTrue(r.err.contains("mmap4j lock: unlocked"), r.toString());
            assertTrue(r.out.contains(file.toString()), r.toString());
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
    }

    /** Under a pseudo-terminal ({@code script}) load draws progress; through a pipe it draws nothing. */
    @Test
    void progressOnlyOnATerminal() throws Exception {
        Assumptions.assumeTrue(CliTest.onPath("script"), "needs script (util-linux) for a pseudo-terminal");
        Path file = data("progress.bin", 4 << 20);
        List<String> load = toolLine("load", "-v", file.toString());
        load.add(1, "-Dmmap4j.progressDelayMillis=0"); // show at once: the test must not depend on timing
        StringBuilder line = new StringBuilder();
        for (String word : load) {
            line.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        // stdout to a file, so only stderr reaches the terminal
        Path out = dir.resolve("tty.out");
        ChildProcess.Result tty = ChildProcess.command("script", "-qec", line + "> '" + out + "'", "/dev/null").run();
        assertEquals(0, tty.exit, tty.toString());
        assertTrue(tty.out.contains("\r\033[K["), "no progress line on the terminal:\n" + tty);
        assertTrue(tty.out.contains("100.0%"), tty.toString());
        assertTrue(read(out).contains("[" + repeat('O', FileCommand.BAR_CELLS) + "]"), read(out));
        assertFalse(read(out).contains("\033"), read(out));

        ChildProcess.Result piped = ChildProcess.command(load).run();
        assertEquals(0, piped.exit, piped.toString());
        assertFalse(piped.err.contains("\033") || piped.err.contains("\r"), piped.toString());
        assertFalse(piped.out.contains("\033"), piped.toString());
    }

    private static String repeat(char c, int n) {
        char[] s = new char[n];
        Arrays.fill(s, c);
        return new String(s);
    }
}
