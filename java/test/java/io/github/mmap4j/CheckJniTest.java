/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Xcheck:jni}: a JVM that loads the shim and goes through its natives (loading and the build
 * check, every kind of source, the range operations, shared memory, errors, the tool) prints
 * nothing. HotSpot 8's own launcher warns "JNI call made without checking exceptions when required to
 * from CallStaticObjectMethod" once per program argument (its {@code NewPlatformString} calls
 * {@code LauncherHelper.makePlatformString} and then {@code DeleteLocalRef} without a check), with or
 * without mmap4j; so the child takes its directory as a system property, not as an argument.
 */
class CheckJniTest {

    @TempDir
    Path dir;

    @Test
    void checkJniSeesNothingWrong() throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(Child.class).in(dir)
                .options("-Xcheck:jni", "-Dmmap4j.test.dir=" + dir).run();
        r.assertEndedNormally();
        // mmap4j's SIGBUS handler (installed at the first map, chaining to HotSpot's) is reported once,
        // as -Xcheck:jni reports any handler that is not HotSpot's; nothing else may appear.
        assertTrue(r.out.contains("SIGBUS handler") && r.out.contains("libmmap4j"), r.toString());
        assertEquals("done\n", withoutSignalReport(r.out), r.toString());
        assertFalse(r.err.contains("JNI call made without checking exceptions"), r.toString());
        assertFalse(r.err.contains("WARNING"), r.toString());
        assertEquals("", withoutSignalReport(r.err).trim(), r.toString());
    }

    /**
     * The output less HotSpot's reports of a changed signal handler ("Warning: SIG... handler
     * expected:... found:..." and its table) that are not mmap4j's doing: its own SIGBUS handler,
     * and a handler mmap4j never touched, such as SIGHUP ignored by whoever started the JVM
     * ({@code nohup}: JDK 11 reports SIG_IGN as changed). A report of any other handler found in
     * libmmap4j stays, and fails the test.
     */
    static String withoutSignalReport(String out) {
        StringBuilder kept = new StringBuilder();
        boolean report = false;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("Warning: SIGBUS handler")
                    || (line.startsWith("Warning: SIG") && line.contains(" handler expected:")
                    && !line.contains("libmmap4j"))) {
                report = true;
                continue;
            }
            if (report && line.matches("\\s*(SIG[A-Z0-9]+:.*|\\*\\*\\*.*|Signal Handlers:|Consider using jsig library\\.)")) {
                continue;
            }
            report = false;
            kept.append(line).append('\n');
        }
        return kept.substring(0, Math.max(0, kept.length() - 1));
    }

    /** The child: every kind of native call once, then a normal exit. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Paths.get(System.getProperty("mmap4j.test.dir"));
            Path file = dir.resolve("data.bin");
            Files.write(file, new byte[3 * 4096 + 5]);
            MapOptions rw = MapOptions.of(MapMode.READ_WRITE);
            ByteBuffer byPath = Mmap.map(file, 0, 10_000, rw);
            byPath.put(5, (byte) 1);
            Mmap.force(byPath);
            Mmap.advise(byPath, Advice.WILLNEED);
            Mmap.residency(byPath);
            Mmap.unmap(byPath);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer byChannel = Mmap.map(ch, 0, 4096, rw);
                Mmap.unmap(byChannel);
            }
            try (FileInputStream in = new FileInputStream(file.toFile())) {
                ByteBuffer byDescriptor = Mmap.map(in.getFD(), 0, 4096, MapOptions.of(MapMode.READ_ONLY));
                Mmap.unmap(byDescriptor);
            }
            try (MappedRegion region = Mmap.anonymousRegion(1 << 20, rw)) {
                region.view(0, 4096).put(0, (byte) 1);
                for (int i = 0; i < 200; i++) { // batched views: a carrier attached to each batch
                    region.view(i * 64L, 64).put(0, (byte) i);
                }
                ByteBuffer end = region.view((1 << 20) - 64, 64).duplicate();
                ((java.nio.Buffer) end).position(64);
                Mmap.isMapped(end.slice()); // an empty slice: attributed through its batch
            }
            ByteBuffer anon = Mmap.anonymous(4096, rw);
            Futex.wake(anon, 0, 1);
            Mmap.unmap(anon);
            PageCache.stats(file, 0, 4096);
            String shm = "/mmap4j-checkjni-" + ProcessHandleless.pid();
            ByteBuffer shared = SharedMemory.create(shm, 4096);
            SharedMemory.unlink(shm);
            Mmap.unmap(shared);
            try {
                Mmap.map(dir.resolve("missing"), 0, 1, MapOptions.of(MapMode.READ_ONLY));
            } catch (MmapException expected) {
                // errno names and strerror come from the shim
            }
            // The tool, in-process: isatty, and load's SEEK_DATA/SEEK_HOLE descriptor.
            java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
            java.io.PrintStream quiet = new java.io.PrintStream(sink, true, "UTF-8");
            if (io.github.mmap4j.cli.Main.run(new String[] {"load", file.toString()}, quiet, quiet) != 0) {
                throw new AssertionError("load failed: " + sink);
            }
            System.gc();
            System.out.println("done");
        }
    }

    /** This process's id on JDK 8 too (no ProcessHandle there). */
    static final class ProcessHandleless {
        static String pid() {
            String name = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
            return name.substring(0, name.indexOf('@'));
        }
    }
}
