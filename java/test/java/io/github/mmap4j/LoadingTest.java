/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading the library in a fresh JVM ({@link LoadingChild}, on the JVM under
 * test, {@code -Dmmap4j.testJvm}): a first call on an interrupted thread loads
 * and leaves the flag set (JDK 8's file channels refuse interrupted threads),
 * and a failed load is retried by the next call instead of leaving mmap4j's
 * classes unusable ({@code NoClassDefFoundError}) for the JVM's life.
 */
class LoadingTest {

    @TempDir
    Path dir;

    private ChildJvm.Result child(List<String> options, String... args) throws Exception {
        ChildJvm.Result r = ChildJvm.run(dir, 60, options, LoadingChild.class, args);
        assertEquals(0, r.exit, r.toString());
        return r;
    }

    private Path data() throws Exception {
        return Files.write(dir.resolve("data.bin"), new byte[] {42});
    }

    @Test
    void aFirstCallOnAnInterruptedThreadLoadsAndLeavesTheFlagSet() throws Exception {
        Path data = data();
        Path extractTo = dir.resolve("fresh");
        // Twice: the first JVM extracts, the second checks and reuses the extracted copy.
        for (String run : Arrays.asList("extracting", "reusing")) {
            ChildJvm.Result r = child(Arrays.asList("-Dmmap4j.tmpdir=" + extractTo), "interrupted", data.toString());
            assertTrue(r.out.contains("first call: ok: page size "), run + ": " + r);
            assertTrue(r.out.contains("still interrupted: true"), run + ": " + r);
            assertTrue(r.out.contains("map: ok: mapped, first byte 42"), run + ": " + r);
            assertTrue(r.out.contains("loaded from " + extractTo), run + ": " + r);
        }
    }

    @Test
    void aFailedExtractionIsRetriedByTheNextCall() throws Exception {
        Path data = data();
        Path notADirectory = Files.write(dir.resolve("not-a-directory"), new byte[0]);
        Path good = dir.resolve("good");
        ChildJvm.Result r = child(Arrays.asList("-Dmmap4j.tmpdir=" + notADirectory), "retry-tmpdir",
                data.toString(), good.toString());
        String failed = "java.lang.UnsatisfiedLinkError: mmap4j: could not extract ";
        assertTrue(r.out.contains("first call: " + failed), r.toString());
        assertTrue(r.out.contains("second call: " + failed), "the same clear error, not NoClassDefFoundError: " + r);
        assertTrue(r.out.contains("after fixing: ok: page size "), r.toString());
        assertTrue(r.out.contains("map: ok: mapped, first byte 42"), r.toString());
        assertTrue(r.out.contains("loaded from " + good), r.toString());
        assertTrue(!r.out.contains("NoClassDefFoundError") && !r.err.contains("NoClassDefFoundError"), r.toString());
    }

    @Test
    void aFailedLoadOfANamedLibraryIsRetriedByTheNextCall() throws Exception {
        Path data = data();
        Path missing = dir.resolve("no-such-libmmap4j.so");
        ChildJvm.Result r = child(Arrays.asList("-Dmmap4j.library.path=" + missing), "retry-library-path",
                data.toString());
        String failed = "java.lang.UnsatisfiedLinkError: mmap4j: could not load " + missing;
        assertTrue(r.out.contains("first call: " + failed), r.toString());
        assertTrue(r.out.contains("second call: " + failed), r.toString());
        assertTrue(r.out.contains("after fixing: ok: mapped, first byte 42"), r.toString());
    }
}
