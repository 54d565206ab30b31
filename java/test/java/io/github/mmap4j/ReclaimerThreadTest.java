/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reclaimer thread belongs to no application and does not outlive mmap4j's mappings (what
 * test runners' and servers' leak detectors check). Each case in a fresh JVM: the thread must be
 * started by the case itself ({@link ReclaimerChild}).
 */
class ReclaimerThreadTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theThreadTakesNothingFromTheThreadThatMapsFirst() throws Exception {
        run("isolation");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theThreadExitsWhenNothingIsHeldOrWhenInterruptedAndStartsAgainOnDemand() throws Exception {
        run("idle", "-D" + Reclaimer.IDLE_PROPERTY + "=100");
    }

    private void run(String scenario, String... options) throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(ReclaimerChild.class, scenario).in(dir).options(options)
                .timeout(280).run();
        System.out.println("[" + scenario + "]\n" + r.out.trim());
        r.assertEndedNormally();
        assertTrue(r.out.contains("done"), r.toString());
    }
}
