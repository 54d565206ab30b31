/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

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

    private static List<String> tool(String... args) {
        List<String> cmd = new ArrayList<>(Arrays.asList(TestJvm.java(), "-jar", jar()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

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
        Cli info = Cli.exec(tool("info"));
        assertEquals(0, info.exit, info.toString());
        assertTrue(info.out.startsWith("mmap4j "), info.toString());
        assertTrue(info.out.contains("page size:"), info.toString());
        assertEquals("", info.err);
    }

    @Test
    void exitCodesFromTheJar() throws Exception {
        Path good = data("good.bin", 10_000);
        assertEquals(0, Cli.exec(tool("residency", good.toString())).exit);
        Cli missing = Cli.exec(tool("residency", good.toString(), dir.resolve("nope").toString()));
        assertEquals(1, missing.exit, missing.toString());
        assertTrue(missing.err.contains("nope: no such file or directory (ENOENT)"), missing.toString());
        assertEquals(2, Cli.exec(tool("residency", "--nope")).exit);
    }

    /**
     * A directory of mode 000, read by another user (root reads anything): the
     * child runs as nobody through {@code setpriv}.
     */
    @Test
    void unreadableDirectoryIsReportedAndTheRestStillRun() throws Exception {
        Assumptions.assumeTrue(isRoot() && CliTest.onPath("setpriv"), "needs root and setpriv to run as nobody");
        Cli probe = Cli.exec(Arrays.asList("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                TestJvm.java(), "-version"));
        Assumptions.assumeTrue(probe.exit == 0, "user nobody cannot run the JVM under test " + TestJvm.java()
                + " (in a directory only its owner may enter, such as root's home?): " + probe.err);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = Files.createDirectory(dir.resolve("closed"));
        data("closed/inside.bin", 100);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        Path open = data("open.bin", 10_000);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> cmd = new ArrayList<>(Arrays.asList("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups"));
        cmd.addAll(tool("residency", "--json", closed.toString(), open.toString()));
        Cli cli = Cli.exec(cmd);
        assertEquals(1, cli.exit, cli.toString());
        assertEquals("mmap4j residency: " + closed + ": cannot list directory: permission denied (EACCES)\n",
                cli.err);
        assertEquals(open.toString(), cli.json().get(0).get("path"), cli.toString());
    }

    /** mlock beyond RLIMIT_MEMLOCK, without CAP_IPC_LOCK: the hint names {@code ulimit -l}. */
    @Test
    void lockOverTheLimitSaysUlimit() throws Exception {
        Assumptions.assumeTrue(CliTest.onPath("prlimit") && CliTest.onPath("setpriv"), "needs prlimit and setpriv");
        Path big = data("big.bin", 1 << 20);
        List<String> cmd = new ArrayList<>(Arrays.asList("prlimit", "--memlock=65536:65536", "setpriv",
                "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock"));
        cmd.addAll(tool("lock", big.toString()));
        Cli cli = Cli.exec(cmd);
        Assumptions.assumeFalse(cli.err.contains("setpriv:"), "setpriv cannot drop capabilities here: " + cli.err);
        assertEquals(1, cli.exit, cli.toString());
        assertTrue(cli.err.contains("mmap4j lock: " + big + ": mlock failed: "), cli.toString());
        assertTrue(cli.err.contains("ulimit -l"), cli.toString());
    }

    /** lock holds the pages (VmLck) until SIGTERM, then unlocks and exits 0. */
    @Test
    void lockHoldsUntilSigtermThenExitsZero() throws Exception {
        Path file = data("locked.bin", 1 << 20);
        Path err = dir.resolve("lock.err");
        Process p = new ProcessBuilder(tool("lock", file.toString())).redirectError(err.toFile())
                .redirectOutput(dir.resolve("lock.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!read(err).contains("holding") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(read(err).contains("mmap4j lock: holding 256 locked pages") || read(err).contains("holding"),
                    read(err));
            Path status = java.nio.file.Paths.get("/proc/" + pid(p) + "/status");
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
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), read(err));
            assertTrue(read(err).contains("mmap4j lock: unlocked"), read(err));
            assertTrue(read(dir.resolve("lock.out")).contains(file.toString()));
        } finally {
            p.destroyForcibly();
        }
    }

    private static long pid(Process p) throws Exception {
        try {
            return (Long) Process.class.getMethod("pid").invoke(p); // Java 9+
        } catch (NoSuchMethodException e) {
            java.lang.reflect.Field pid = p.getClass().getDeclaredField("pid"); // JDK 8's UNIXProcess
            pid.setAccessible(true);
            return pid.getInt(p);
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
        List<String> load = tool("load", "-v", file.toString());
        load.add(1, "-Dmmap4j.progressDelayMillis=0"); // show at once: the test must not depend on timing
        StringBuilder line = new StringBuilder();
        for (String word : load) {
            line.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        // stdout to a file, so only stderr reaches the terminal
        Path out = dir.resolve("tty.out");
        Cli tty = Cli.exec(Arrays.asList("script", "-qec", line + "> '" + out + "'", "/dev/null"));
        assertEquals(0, tty.exit, tty.toString());
        assertTrue(tty.out.contains("\r\033[K["), "no progress line on the terminal:\n" + tty);
        assertTrue(tty.out.contains("100.0%"), tty.toString());
        assertTrue(read(out).contains("[" + repeat('O', FileCommand.BAR_CELLS) + "]"), read(out));
        assertFalse(read(out).contains("\033"), read(out));

        Cli piped = Cli.exec(load);
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
