/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproducers of "never crash, never lose data" (issue 10), each in a child
 * JVM on the JVM under test: stale views read by JDK code, the SIGSEGV
 * forwarder racing with close, protect/close loops, the close/GC race, and the
 * kernel-mapping budget.
 */
class NeverCrashTest {

    @TempDir
    Path dir;

    private ChildProcess.Result child(long timeoutSeconds, List<String> extra, String... args) throws Exception {
        return Children.run(dir, timeoutSeconds, extra, args);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void staleViewsThroughJdkCodeReadZerosAndNeverReachTheFile() throws Exception {
        ChildProcess.Result r = child(110, Arrays.asList(), "stale-views", dir.resolve("stale.bin").toString());
        assertTrue(r.out.contains("stale views ok"), r.toString());
    }

    /**
     * Under a file-size limit ({@code ulimit -f}) the quarantine memfd cannot be sized to 2^62
     * ({@code EFBIG}): mmap4j still loads, and closed ranges are covered with anonymous memory.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void underAFileSizeLimitStaleViewsAreStillHarmless() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && new java.io.File("/usr/bin/prlimit").canExecute(), "Linux prlimit(1)");
        ChildProcess.Result r = ChildProcess.jvm(Children.class, "stale-views", dir.resolve("stale.bin").toString())
                .under(Arrays.asList("/usr/bin/prlimit", "--fsize=16777216")).in(dir).timeout(110).run();
        System.out.println("[stale-views under prlimit --fsize]\n" + r.out.trim());
        r.assertEndedNormally();
        assertTrue(r.out.contains("stale views ok"), r.toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void staleViewsInterpreted() throws Exception {
        ChildProcess.Result r = child(110, Arrays.asList("-Xint"), "stale-views", dir.resolve("stale.bin").toString());
        assertTrue(r.out.contains("stale views ok"), r.toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void forwarderRacingWithClose() throws Exception {
        ChildProcess.Result r = child(50, Arrays.asList(), "forwarder-race", "3000");
        assertTrue(r.out.contains("forwarder race: cycles=") || refusedBeforeJava11(r), r.toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void protectReadCloseLoop() throws Exception {
        ChildProcess.Result r = child(50, Arrays.asList(), "protect-loop", "3000");
        assertTrue(r.out.contains("protect loop: cycles=") || refusedBeforeJava11(r), r.toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void protectReadCloseLoopSerialGc() throws Exception {
        ChildProcess.Result r = child(50, Arrays.asList("-XX:+UseSerialGC"), "protect-loop", "3000");
        assertTrue(r.out.contains("protect loop: cycles=") || refusedBeforeJava11(r), r.toString());
    }

    /** 4 threads map/use/close under constant young collections: no cover left on a range mmap4j gave back. */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void closeRacingWithGcLeavesNothing() throws Exception {
        for (int run = 0; run < 3; run++) {
            // 4 x 50,000 cycles, or as many as 20 s allow on a loaded machine.
            child(90, Arrays.asList("-XX:+UseSerialGC", "-Xmn1m"), "gc-race", dir.resolve("race.bin").toString(), "4",
                    "50000", "20000");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void waitingRangesStayWithinAQuarterOfMaxMapCount() throws Exception {
        ChildProcess.Result r = child(110, Arrays.asList("-Xmx2g"), "budget", dir.resolve("budget.bin").toString(),
                "12000");
        assertTrue(r.out.contains("churn: max waiting="), r.toString());
    }

    /** Java 8-10 by default: the child's protect was refused, so there was nothing to fault. */
    private static boolean refusedBeforeJava11(ChildProcess.Result r) {
        return TestJvm.VERSION < 11 && (r.out.contains("refused here") || r.out.contains("protect is refused"));
    }
}
