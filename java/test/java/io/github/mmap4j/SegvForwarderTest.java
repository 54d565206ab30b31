/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of {@code protect}: with the SIGSEGV forwarder (Linux), a write
 * to a page made read-only and a read of a page made PROT_NONE throw
 * {@link InternalError} and the JVM lives; without it the same program dies of
 * SIGSEGV, which proves the test can fail. General protect behaviour is tested
 * elsewhere.
 */
class SegvForwarderTest {

    @TempDir
    Path dir;

    private ChildProcess.Result run(String what, String... jvmOptions) throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(Children.class, "protect", what).in(dir).options(jvmOptions)
                .timeout(60).run();
        System.out.println("[protect " + what + " " + Arrays.asList(jvmOptions) + "] exit " + r.exit + "\n"
                + r.out.trim());
        return r;
    }

    /**
     * Java 8-10 (by default): the child's protect was refused with UnsupportedOperationException
     * and nothing faulted; on Java 11 and later the forwarder must have run instead.
     */
    private static boolean refusedBeforeJava11(ChildProcess.Result r) {
        if (!r.out.contains("refused on this JVM")) {
            return false;
        }
        assertTrue(r.out.contains("java 1.8") || r.out.contains("java 9") || r.out.contains("java 10"),
                "only Java 8-10 refuse by default:\n" + r);
        assertEquals(0, r.exit, r.toString());
        return true;
    }

    private static void assumeLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"),
                "the forwarder is Linux only (on macOS the fault is expected as SIGBUS; to confirm on a Mac)");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void writeToReadOnlyPageThrowsInternalError() throws Exception {
        assumeLinux();
        ChildProcess.Result r = run("write");
        if (refusedBeforeJava11(r)) {
            return;
        }
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("forwarder installed=true"), r.toString());
        assertTrue(r.out.contains("caught InternalError"), r.toString());
        assertTrue(r.out.contains("NPE still works"), r.toString());
        assertTrue(r.out.contains("done"), r.toString());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void readOfProtNonePageThrowsInternalErrorInterpreted() throws Exception {
        assumeLinux();
        ChildProcess.Result r = run("read", "-Xint");
        if (refusedBeforeJava11(r)) {
            return;
        }
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("caught InternalError"), r.toString());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void withoutTheForwarderTheSameWriteKillsTheJvm() throws Exception {
        assumeLinux();
        ChildProcess.Result r = run("write", "-Dmmap4j.segvForwarder=false");
        assertTrue(r.out.contains("forwarder installed=false"), r.toString());
        // HotSpot's fatal-error path: exit 1 with -XX:-CreateCoredumpOnCrash (JDK 9+, see TestJvm), 134
        // (abort) on JDK 8, which has no such option (its core dump is stopped by ulimit -c 0 instead).
        assertTrue(r.exit == 134 || r.exit == 1, "the JVM died:\n" + r);
        assertTrue(r.out.contains("SIGSEGV") && r.err.contains("hs_err"), "of SIGSEGV, with a crash report:\n" + r);
        assertTrue(!r.out.contains("caught InternalError"), r.toString());
    }

    /**
     * Before JDK 19 HotSpot throws a fault's InternalError late, wherever the thread next calls
     * into Java: it once struck inside mmap4j's table of mappings, and a close swallowed it. Now
     * every mmap4j call takes it before it changes anything: the thread has seen it by the end of
     * its next call (a close closes first), exactly once per fault.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aLateFaultErrorIsThrownByTheNextCallAndNeverLost() throws Exception {
        assumeLinux();
        for (String mode : new String[] {"-Xint", "-XX:+UseSerialGC"}) {
            ChildProcess.Result r = run("late", mode);
            if (refusedBeforeJava11(r)) {
                return;
            }
            assertEquals(0, r.exit, r.toString());
            for (String call : new String[] {"map", "advise", "isMapped", "unmap", "region-view", "region-close"}) {
                assertTrue(r.out.contains("late " + call + ": rounds=200 ") && r.out.contains(" never=0 leftOpen=0"),
                        call + ":\n" + r);
            }
            assertEquals(6, r.out.split(" never=0 leftOpen=0", -1).length - 1, r.toString());
            assertTrue(r.out.contains("done"), r.toString());
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void readOfARegionMappedWithoutAccessThrowsInternalError() throws Exception {
        assumeLinux();
        ChildProcess.Result r = run("none");
        if (refusedBeforeJava11(r)) {
            return;
        }
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("caught InternalError") && r.out.contains("done"), r.toString());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void closedAndCollectedMappingsLeaveTheForwardersTable() throws Exception {
        assumeLinux();
        ChildProcess.Result r = run("cycles", "-Xmx64m");
        if (refusedBeforeJava11(r)) {
            return;
        }
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("10000 protected mappings closed or collected"), r.toString());
    }
}
