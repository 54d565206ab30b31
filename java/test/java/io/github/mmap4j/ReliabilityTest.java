/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability suite: close racing with readers, a file truncated under a
 * mapping, a writer killed mid-stream, a million map/close cycles without a
 * leak, and many threads at once. Every scenario that could crash runs in a
 * child JVM; a crash fails the test with the child's hs_err excerpt.
 */
class ReliabilityTest {

    @TempDir
    Path dir;

    /** JVM options for a child. */
    private static List<String> options(String... extra) {
        return Arrays.asList(extra);
    }

    private ChildProcess.Result child(long timeoutSeconds, List<String> extra, String... args) throws Exception {
        return Children.run(dir, timeoutSeconds, extra, args);
    }

    // 2. Close while reading

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void closeWhileReadingCompiled() throws Exception {
        closeWhileReading(options());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void closeWhileReadingInterpreted() throws Exception {
        closeWhileReading(options("-Xint"));
    }

    private void closeWhileReading(List<String> opts) throws Exception {
        ChildProcess.Result r = child(110, opts, "close-while-reading", "1000");
        Matcher m = Pattern.compile("rounds=(\\d+) outOfBounds=(\\d+) internal=(\\d+) illegalState=(\\d+) "
                + "normal=(\\d+) lateInternal=(\\d+)").matcher(r.out);
        assertTrue(m.find(), r.toString());
        assertEquals(1000, Integer.parseInt(m.group(1)));
        long[] n = new long[7];
        for (int g = 1; g <= 6; g++) {
            n[g] = Long.parseLong(m.group(g));
        }
        assertEquals(1000, n[1]);
        assertEquals(8 * 1000, n[2] + n[3] + n[4] + n[5], "every reader ended one way or the other: " + r.out);
        // A reader can end normally when its faults' InternalError is delivered late (JDK 17 holds it
        // until a later VM transition, then it reaches the thread's uncaught-exception handler).
        assertTrue(n[2] + n[3] + n[4] + n[6] > 0, "some readers saw the close: " + r.out);
    }

    // 3. Truncated under the mapping

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void truncatedFileReadsZerosAndIsReported() throws Exception {
        Path file = dir.resolve("truncated.bin");
        Files.write(file, new byte[(int) (16 * Mmap.pageSize())]);
        ChildProcess.Result r = child(50, options(), "truncated", file.toString());
        assertTrue(r.out.contains("file size now 0"), r.toString());
        assertTrue(r.out.contains("read 0 isTruncated=true"), r.toString());
        assertTrue(r.out.contains("done"), r.toString());
    }

    // 4. Killed writer loses nothing

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void killedWriterLosesNothing() throws Exception {
        Path file = dir.resolve("writer.bin");
        int ints = 4_000_000;
        ChildProcess.Running writer = ChildProcess.jvm(Children.class, "writer", file.toString(), "" + ints).in(dir)
                .timeout(20).start();
        Process p = writer.process();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lastNumber(writer.out()) < 50_000 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(p.isAlive(), "the writer is still writing when killed (wrote " + lastNumber(writer.out()) + ")");
        p.destroyForcibly(); // SIGKILL
        ChildProcess.Result r = writer.finish();
        assertEquals(137, r.exit, "killed by SIGKILL");
        long reported = lastNumber(r.out);
        assertTrue(reported >= 50_000 && reported < ints - 1, "killed mid-stream at " + reported);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)); // big-endian, as the writer's buffer
        for (int i = 0; i <= reported; i++) {
            if (bytes.getInt(i * 4) != Children.pattern(i)) {
                fail("int " + i + " of " + reported + " reported written is missing from the file");
            }
        }
        System.out.println("killed writer: " + (reported + 1) + " ints reported, all in the file");
    }

    /** The last whole line of the writer's output that is a number (a half line is not counted), or -1. */
    private static long lastNumber(String out) {
        for (int end = out.lastIndexOf('\n'); end >= 0;) {
            int start = out.lastIndexOf('\n', end - 1) + 1;
            if (end > start && Character.isDigit(out.charAt(start))) {
                return Long.parseLong(out.substring(start, end));
            }
            end = start - 1;
        }
        return -1;
    }

    // 5. No leaks

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void millionMapCloseCyclesLeakNothing() throws Exception {
        // About 40 s on an idle 2-core machine; the bound leaves room for a loaded one.
        ChildProcess.Result r = child(400, options("-Xmx4g"), "cycles-close", dir.resolve("c.bin").toString(),
                "1000000");
        assertTrue(r.out.contains("no leak"), r.toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hundredThousandUnclosedMappingsAreReclaimedByGc() throws Exception {
        ChildProcess.Result r = child(110, options("-Xmx4g"), "cycles-gc", dir.resolve("g.bin").toString(), "100000");
        assertTrue(r.out.contains("no leak"), r.toString());
    }

    // 6. Many threads, many mappings

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyThreadsManyMappings() throws Exception {
        long table0 = Mappings.size();
        long fds0 = Children.openFds();
        int page = (int) Mmap.pageSize();
        Path file = dir.resolve("many.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(64L * page);
            List<Throwable> errors = new ArrayList<>();
            AtomicLong cycles = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            Thread[] threads = new Thread[8];
            for (int t = 0; t < threads.length; t++) {
                final int id = t;
                threads[t] = new Thread(() -> {
                    try {
                        for (int i = 0; System.nanoTime() < end; i++) {
                            int at = (id * 8 + i % 8) * page;
                            ByteBuffer buf = i % 3 == 0 ? Mmap.anonymous(page * 2, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE))
                                    : Mmap.map(raf.getChannel(), at, page, MapOptions.of(MapMode.READ_WRITE));
                            buf.putLong(0, ((long) id << 32) | i);
                            assertEquals(((long) id << 32) | i, buf.getLong(0));
                            Mmap.advise(buf, Advice.WILLNEED);
                            assertTrue(Mmap.residency(buf).pages() >= 1);
                            if (i % 3 != 0) {
                                Mmap.force(buf);
                            }
                            if (i % 5 == 0) {
                                try (MappedRegion region = Mmap.mapRegion(raf.getChannel(), at, page, MapOptions.of(MapMode.READ_WRITE))) {
                                    ByteBuffer view = region.view(0, 8);
                                    if (i % 3 != 0) { // buf mapped the same file bytes
                                        assertEquals(((long) id << 32) | i, view.getLong(0));
                                    }
                                    view.putLong(0, i);
                                }
                            }
                            if (i % 7 != 0) { // the rest is left to GC
                                Mmap.unmap(buf);
                            }
                            cycles.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                });
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (!errors.isEmpty()) {
                AssertionError failure = new AssertionError(errors.size() + " threads failed");
                errors.forEach(failure::addSuppressed);
                throw failure;
            }
            Children.settle(table0);
            System.out.println("many threads: " + cycles + " map/use/close cycles in 3 s; " + Children.state());
            assertTrue(cycles.get() > 100, "made progress");
        }
        assertTrue(Mappings.size() <= table0, "table back to " + table0 + ": " + Mappings.size());
        assertTrue(Children.openFds() <= fds0 + 4, "fds back to " + fds0 + ": " + Children.openFds());
    }
}
