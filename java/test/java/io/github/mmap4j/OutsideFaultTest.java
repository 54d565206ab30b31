/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults from outside mmap4j's close (issue 25): a file truncated by another process under a
 * live mapping, and protected pages handed to JDK code and {@link Atomics}. Each case runs in a
 * child JVM, interpreted and compiled; without the SIGBUS handler
 * ({@code -Dmmap4j.sigbusHandler=false}) the truncation cases kill the JVM on every JDK.
 */
class OutsideFaultTest {

    @TempDir
    Path dir;

    private static boolean linux() {
        return System.getProperty("os.name").startsWith("Linux");
    }

    private String run(List<String> options, String... args) throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(FaultChildren.class, args).in(dir).options(options).timeout(100).run();
        System.out.println("[" + String.join(" ", args) + " " + options + "]\n" + r.out.trim());
        r.assertEndedNormally();
        assertTrue(r.out.contains("FAILURES 0"), r.toString());
        return r.out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"crc32", "adler32", "bulk-get", "bulk-put", "digest", "atomics", "scalar"})
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void truncatedByAnotherProcessEveryPathCompletes(String path) throws Exception {
        assumeTrue(linux(), "the SIGBUS handler is Linux's (macOS: to be confirmed on a Mac)");
        run(new ArrayList<String>(), "truncated", dir.resolve(path + ".bin").toString(), path);
        run(Arrays.asList("-Xint"), "truncated", dir.resolve(path + "-int.bin").toString(), path);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void truncatedPartlyKeepsTheBytesBeforeTheNewEnd() throws Exception {
        assumeTrue(linux(), "Linux");
        run(new ArrayList<String>(), "truncated-partly", dir.resolve("partly.bin").toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void truncatedGrowableRegion() throws Exception {
        assumeTrue(linux(), "Linux");
        run(new ArrayList<String>(), "truncated-growable", dir.resolve("growable.bin").toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sharedMemoryShrunkByAPeer() throws Exception {
        assumeTrue(linux() && new java.io.File("/dev/shm").isDirectory(), "Linux /dev/shm");
        run(new ArrayList<String>(), "shrunk-shm", "/mmap4j-shrunk-" + ProcessHandleCompat.pid());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void truncationRacingCloseAndReclaim() throws Exception {
        assumeTrue(linux(), "Linux");
        String out = run(new ArrayList<String>(), "truncate-close-race", dir.resolve("race.bin").toString(), "5000");
        assertTrue(out.contains("truncate/close race: rounds="), out);
    }

    /** Writes to holes of a file on a tmpfs with no room left: SIGBUS, covered and reported like a truncation. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void writesAFullFileSystemCannotHoldAreReported() throws Exception {
        assumeTrue(linux(), "Linux");
        Path mountPoint = java.nio.file.Files.createDirectories(dir.resolve("small-tmpfs"));
        ChildProcess.Result mount = ChildProcess.command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                mountPoint.toString()).timeout(30).run();
        assumeTrue(mount.exit == 0, "cannot mount a small tmpfs here (needs root): " + mount.err);
        try {
            run(new ArrayList<String>(), "full-tmpfs", mountPoint.resolve("big.bin").toString());
        } finally {
            ChildProcess.command("umount", mountPoint.toString()).timeout(30).run();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"atomics", "crc32", "adler32"})
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void protectedPagesNeverCrash(String what) throws Exception {
        assumeTrue(linux(), "the SIGSEGV forwarder is Linux's");
        run(new ArrayList<String>(), "protected", what);
        run(Arrays.asList("-Xint"), "protected", what);
    }

    /** The process id without JDK 9's ProcessHandle (the tests compile for Java 8). */
    static final class ProcessHandleCompat {
        static String pid() {
            String name = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
            return name.substring(0, name.indexOf('@'));
        }
    }
}
