/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A close racing bulk reads on other threads (Lucene's close-while-reading, issue 25 item 8):
 * a read that overlapped the close may return a prefix of the file and then zeros, so a reader
 * checks after reading ({@code MappedRegion.isOpen()}, {@code Mmap.isMapped(view)}): when the
 * check says open, every byte it read is the file's. The race runs for real; what is asserted is
 * that no read a check accepted holds a zero (the file has none).
 */
class ReadOverlapsCloseTest {

    private static final int ROUNDS = 200;
    private static final int READERS = 3;
    private static final int CHUNK = 64 << 10;

    @TempDir
    Path dir;

    private Path file() throws Exception {
        byte[] data = new byte[4 << 20];
        Arrays.fill(data, (byte) 0x5A);
        return Files.write(dir.resolve("data.bin"), data);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aReadTheRegionStillCallsOpenHoldsOnlyTheFilesBytes() throws Exception {
        Path file = file();
        long[] counts = race(new Round() {
            MappedRegion region;

            @Override
            public ByteBuffer open() throws Exception {
                region = Mmap.mapRegion(file, 0, Files.size(file), MapOptions.of(MapMode.READ_ONLY));
                return region.view(0, (int) region.size());
            }

            @Override
            public boolean stillOpen(ByteBuffer view) {
                return region.isOpen();
            }

            @Override
            public void close() throws Exception {
                region.close();
            }
        });
        assertEquals(0, counts[0], "reads accepted although they held zeros: " + Arrays.toString(counts));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aReadTheBufferIsStillMappedForHoldsOnlyTheFilesBytes() throws Exception {
        Path file = file();
        long[] counts = race(new Round() {
            ByteBuffer buf;

            @Override
            public ByteBuffer open() throws Exception {
                buf = Mmap.map(file, MapMode.READ_ONLY);
                return buf;
            }

            @Override
            public boolean stillOpen(ByteBuffer view) {
                return Mmap.isMapped(view);
            }

            @Override
            public void close() throws Exception {
                Mmap.unmap(buf);
            }
        });
        assertEquals(0, counts[0], "reads accepted although they held zeros: " + Arrays.toString(counts));
    }

    /** A read that starts after the close is always told so. */
    @Test
    void aReadAfterCloseIsNeverAccepted() throws Exception {
        Path file = file();
        MappedRegion region = Mmap.mapRegion(file, 0, Files.size(file), MapOptions.of(MapMode.READ_ONLY));
        ByteBuffer view = region.view(0, CHUNK);
        ByteBuffer stale = view.duplicate();
        region.close();
        byte[] got = new byte[CHUNK];
        stale.get(got);
        assertFalse(region.isOpen());
        assertFalse(Mmap.isMapped(stale));
    }

    private interface Round {
        ByteBuffer open() throws Exception;

        boolean stillOpen(ByteBuffer view);

        void close() throws Exception;
    }

    /**
     * Rounds of: readers copy random chunks through their own duplicate until the close, checking
     * after each read; the closer closes after a random pause.
     *
     * @return {accepted with a zero, accepted, discarded}.
     */
    private static long[] race(Round round) throws Exception {
        AtomicLong bad = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong discarded = new AtomicLong();
        AtomicLong overlapped = new AtomicLong();
        for (int r = 0; r < ROUNDS; r++) {
            ByteBuffer buf = round.open();
            CountDownLatch started = new CountDownLatch(READERS);
            Thread[] readers = new Thread[READERS];
            for (int t = 0; t < READERS; t++) {
                ByteBuffer mine = buf.duplicate();
                readers[t] = new Thread(() -> {
                    byte[] chunk = new byte[CHUNK];
                    started.countDown();
                    while (true) {
                        int at = ThreadLocalRandom.current().nextInt(mine.capacity() / CHUNK) * CHUNK;
                        ByteBuffer part = mine.duplicate();
                        part.position(at);
                        part.get(chunk);
                        if (!round.stillOpen(mine)) {
                            discarded.incrementAndGet();
                            for (byte b : chunk) {
                                if (b == 0) {
                                    overlapped.incrementAndGet(); // the race really happened
                                    break;
                                }
                            }
                            return;
                        }
                        accepted.incrementAndGet();
                        for (byte b : chunk) {
                            if (b == 0) {
                                bad.incrementAndGet();
                                break;
                            }
                        }
                    }
                });
                readers[t].start();
            }
            started.await();
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            round.close();
            for (Thread t : readers) {
                t.join();
            }
        }
        System.out.println("reads accepted=" + accepted + " accepted with zeros=" + bad + " discarded after the close="
                + discarded + " (of which held zeros: " + overlapped + ")");
        return new long[] {bad.get(), accepted.get(), discarded.get()};
    }
}
