/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** -Dmmap4j.leakDetection=true: a mapping collected without close is reported once, with where it was mapped. */
class LeakDetectionTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unclosedMappingIsReportedOnceWithItsOrigin() throws Exception {
        ChildProcess.Result r = withLeakDetection("leak");
        assertTrue(r.out.contains("leaked=1 table=0"), r.toString());
        Matcher m = Pattern.compile("garbage collected without being closed").matcher(r.err);
        int reports = 0;
        while (m.find()) {
            reports++;
        }
        assertEquals(1, reports, "exactly one report (the closed mapping is not one):\n" + r);
        assertTrue(r.err.contains("mapped here"), r.toString());
        assertTrue(r.err.contains("Children.mapAndForget"), "the stack names where it was mapped:\n" + r);
        assertTrue(r.err.contains("anonymous, offset=0"), "the report says what was mapped:\n" + r);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void offByDefault() throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(Children.class, "leak").in(dir).timeout(50).run();
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("leaked=1"), "still counted: " + r);
        assertTrue(!r.err.contains("without being closed"), "but not logged:\n" + r);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aClosedRangeTouchedThroughAStaleViewIsReportedWithWhereItWasClosed() throws Exception {
        ChildProcess.Result r = withLeakDetection("touched");
        assertTrue(r.out.contains("touchedAfterClose=1 table=0"), r.toString());
        assertTrue(r.err.contains("written after it was closed"), r.toString());
        assertTrue(r.err.contains("closed here") && r.err.contains("Children.closeAndTouch"),
                "the stack names where it was closed:\n" + r);
    }

    /** Runs a {@link Children} scenario with leak detection on; it must end normally. */
    private ChildProcess.Result withLeakDetection(String scenario) throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(Children.class, scenario).in(dir)
                .options("-Dmmap4j.leakDetection=true").timeout(50).run();
        assertEquals(0, r.exit, r.toString());
        return r;
    }
}
