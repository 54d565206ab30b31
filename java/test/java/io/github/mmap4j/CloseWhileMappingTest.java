/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A borrowed source closed by another thread while mmap4j maps it: the
 * descriptor number is released, and an unrelated {@code open} right after gets
 * the same number. mmap4j must never hand out a mapping of that other file. One
 * thread maps the real file in a loop; another closes the source every few
 * microseconds, often in the middle of a call, and at once opens a decoy
 * (distinctive bytes), which takes the lowest free number, the one just released.
 * Every map either returns the real bytes or throws; a decoy byte in a returned
 * buffer is a wrong mapping.
 *
 * <p>{@code -Dmmap4j.raceSeconds=N} sets each run's length (default 5 s, longer
 * until 2500 closes, {@code -Dmmap4j.raceCloses}, at most three times as long).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CloseWhileMappingTest {

    private static final byte REAL = 'R';
    private static final byte DECOY = 'D';
    private static final long SECONDS = Long.getLong("mmap4j.raceSeconds", 5);
    /** About 0.3% of closes land in the window on main: 2500 make a miss of every one unlikely. */
    private static final long MIN_CLOSES = Long.getLong("mmap4j.raceCloses", 2500);

    @TempDir
    Path dir;

    /** A source the mapping thread maps and the closing thread closes. */
    interface Source {
        ByteBuffer map(int length) throws IOException;

        void close() throws IOException;
    }

    interface Opener {
        Source open(Path file) throws IOException;
    }

    /** Outcomes: [0] real bytes, [1] decoy bytes (wrong file), [2] refused (closed), [3] closes, [4] ms. */
    private long[] race(Opener opener) throws Exception {
        int page = (int) Mmap.pageSize();
        byte[] real = new byte[page];
        Arrays.fill(real, REAL);
        byte[] decoy = new byte[page];
        Arrays.fill(decoy, DECOY);
        Path realFile = Files.write(dir.resolve("real.bin"), real);
        Path decoyFile = Files.write(dir.resolve("decoy.bin"), decoy);
        long[] outcomes = new long[5];
        AtomicReference<Source> current = new AtomicReference<>();
        AtomicReference<Throwable> closerFailed = new AtomicReference<>();
        AtomicLong calls = new AtomicLong();
        AtomicLong closes = new AtomicLong();
        AtomicLong callNanos = new AtomicLong(10_000); // how long a map call takes, to aim within it
        // The mapper maps the current source over and over; the closer closes it at a random moment
        // of a call and at once opens the decoy, which takes the number just released, and holds it
        // open a few microseconds, as an unrelated thread's open would.
        Thread closer = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    // Aim at the call: wait for the next one to start, then a random part of its length.
                    long seen = calls.get();
                    while (calls.get() == seen && !Thread.currentThread().isInterrupted()) {
                        // spin
                    }
                    spin(random.nextLong(Math.max(1_000, callNanos.get())));
                    Source s = current.getAndSet(null);
                    if (s == null) {
                        continue;
                    }
                    s.close();
                    try (FileChannel decoyChannel = FileChannel.open(decoyFile, StandardOpenOption.READ)) {
                        closes.incrementAndGet();
                        spin(random.nextInt(20_000));
                    }
                }
            } catch (Throwable e) {
                closerFailed.set(e);
            }
        }, "closer");
        closer.setDaemon(true);
        closer.start();
        // At least SECONDS and MIN_CLOSES closes (a loaded machine runs both threads at once
        // less often), but no more than three times SECONDS.
        long start = System.nanoTime();
        long soonest = start + TimeUnit.SECONDS.toNanos(SECONDS);
        long latest = start + TimeUnit.SECONDS.toNanos(3 * SECONDS);
        try {
            while (!over(soonest, latest, closes.get()) && closerFailed.get() == null) {
                Source s = opener.open(realFile);
                current.set(s);
                while (!over(soonest, latest, closes.get())) {
                    ByteBuffer b;
                    calls.incrementAndGet();
                    long called = System.nanoTime();
                    try {
                        b = s.map(page);
                        // Capped: a call the scheduler interrupted says nothing about the window.
                        callNanos.set(Math.min(20_000, System.nanoTime() - called));
                    } catch (IOException e) {
                        outcomes[2]++; // closed before or during the call: the next round opens a new one
                        break;
                    }
                    byte first = b.get(0);
                    assertTrue(first == REAL || first == DECOY, "byte " + first);
                    outcomes[first == DECOY ? 1 : 0]++;
                    Mmap.unmap(b);
                }
            }
        } finally {
            closer.interrupt();
            closer.join(10_000);
            Source last = current.getAndSet(null);
            if (last != null) {
                last.close();
            }
        }
        if (closerFailed.get() != null) {
            throw new AssertionError("closer failed", closerFailed.get());
        }
        outcomes[3] = closes.get();
        outcomes[4] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return outcomes;
    }

    private static boolean over(long soonest, long latest, long closes) {
        long now = System.nanoTime();
        return now - latest >= 0 || now - soonest >= 0 && closes >= MIN_CLOSES;
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            // a sleep would be far too coarse
        }
    }

    private static void report(String what, long[] outcomes) {
        System.out.println("close while mapping (" + what + ", " + outcomes[4] + " ms): "
                + (outcomes[0] + outcomes[1]) + " maps returned, " + outcomes[0] + " real, " + outcomes[1]
                + " DECOY; " + outcomes[3] + " closes, " + outcomes[2] + " maps refused as closed");
        assertEquals(0, outcomes[1], what + ": mappings of the decoy file handed out");
        assertTrue(outcomes[0] > 0 && outcomes[2] > 0, what + ": the race never ran both ways: "
                + Arrays.toString(outcomes));
    }

    @Test
    void aChannelClosedWhileMappingNeverMapsAnotherFile() throws Exception {
        report("FileChannel", race(file -> {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            return new Source() {
                @Override
                public ByteBuffer map(int length) throws IOException {
                    return Mmap.map(channel, 0, length, MapOptions.of(MapMode.READ_ONLY));
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }));
    }

    @Test
    void aFileDescriptorClosedWhileMappingNeverMapsAnotherFile() throws Exception {
        report("FileDescriptor", race(file -> {
            RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r");
            return new Source() {
                @Override
                public ByteBuffer map(int length) throws IOException {
                    return Mmap.map(raf.getFD(), 0, length, MapOptions.of(MapMode.READ_ONLY));
                }

                @Override
                public void close() throws IOException {
                    raf.close();
                }
            };
        }));
    }
}
