/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.MapOptions;
import io.github.mmap4j.MapMode;
import io.github.mmap4j.Mmap;
import io.github.mmap4j.MmapException;
import io.github.mmap4j.Residency;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * The data file every case reads, and its page-cache state. The file lives under
 * {@code target/bench/data} (a disk file system, not a tmpfs {@code /tmp}); the
 * C baseline ({@code native/bench/baseline.c}) uses the same file, the same
 * content and the same loading.
 *
 * <p>Content: the little-endian long at byte {@code 8*i} is {@code i * GOLDEN},
 * so sums are not trivially zero and C and Java can check each other.
 */
public final class Fixture {

    /** Multiplier of the content pattern (and of nothing else). */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Seed of the xorshift64 index sequence shared by every random-read contender. */
    public static final long SEED = 0x2545F4914F6CDD1DL;
    /** Reads per random-read operation (JMH OperationsPerInvocation; C does the same batch). */
    public static final int RANDOM_BATCH = 4096;

    private Fixture() {
    }

    /**
     * Reloads the file before every iteration: this machine (and any with proactive
     * reclaim, e.g. DAMON's pageout scheme) evicts page-cache pages left idle for a
     * few seconds, so a load at trial start alone would not keep the state the table
     * claims. The C baseline reloads before each iteration too.
     */
    @org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Hot {
        @org.openjdk.jmh.annotations.Setup(org.openjdk.jmh.annotations.Level.Iteration)
        public void reload() throws IOException {
            load();
        }
    }

    /** The data file: {@code -Dbench.file}, else {@code target/bench/data/bench.bin}. */
    public static Path file() {
        return Paths.get(System.getProperty("bench.file", "target/bench/data/bench.bin")).toAbsolutePath();
    }

    /** Opens the data file read-only. */
    public static FileChannel open() throws IOException {
        return FileChannel.open(file(), StandardOpenOption.READ);
    }

    /** The data file's size; a power of two (the random reads mask with it). */
    public static long size() throws IOException {
        return Files.size(file());
    }

    /**
     * Brings the whole file into the page cache (reads it through), then checks with
     * {@code mincore} that every page is resident: the state the table calls "page-cached".
     */
    public static void load() throws IOException {
        Path file = file();
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            int n;
            while ((n = ch.read(chunk, position)) > 0) {
                position += n;
                chunk.clear();
            }
            long size = ch.size();
            for (long offset = 0; offset < size; offset += Integer.MAX_VALUE) {
                int length = (int) Math.min(Integer.MAX_VALUE, size - offset);
                ByteBuffer view = Mmap.map(ch, offset, length, MapOptions.of(MapMode.READ_ONLY));
                Residency r = Mmap.residency(view);
                Mmap.unmap(view);
                if (r.resident() < r.pages() * 0.99) {
                    System.err.println("bench: WARNING: only " + r.resident() + " of " + r.pages() + " pages of "
                            + file + " stay in the page cache (memory pressure?)");
                }
            }
        }
    }

    /**
     * Locks a mapping of the data file in memory ({@code mlock}) for the read cases, in C alike:
     * a machine with proactive reclaim (DAMON's {@code pageout}) takes pages of the file between
     * iterations, and the reload puts them back in the page cache but not in the benchmark's own
     * mapping, whose reads would then measure page faults. Without the privilege ({@code ulimit
     * -l}), says so once and reads unlocked.
     *
     * @param mapping a mapping of the whole data file.
     */
    public static void pin(ByteBuffer mapping) {
        try {
            Mmap.lock(mapping);
        } catch (MmapException e) {
            if (!pinWarned) {
                pinWarned = true;
                System.err.println("bench: WARNING: reads run unlocked, so a machine that reclaims idle page cache "
                        + "may make them measure page faults: " + e.getMessage());
            }
        }
    }

    private static volatile boolean pinWarned;

    /** The next value of the shared xorshift64 sequence. */
    public static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /**
     * {@code create <size>}: writes the data file if it is missing or has another size.
     *
     * @param args {@code create <bytes>}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[0].equals("create")) {
            throw new IllegalArgumentException("usage: Fixture create <bytes>");
        }
        long size = Long.parseLong(args[1]);
        if (Long.bitCount(size) != 1 || size < (1 << 20)) {
            throw new IllegalArgumentException("size must be a power of two of at least 1 MiB: " + size);
        }
        Path file = file();
        if (Files.isRegularFile(file) && Files.size(file) == size) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long index = 0;
            for (long written = 0; written < size; ) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    chunk.putLong(index++ * GOLDEN);
                }
                chunk.flip();
                while (chunk.hasRemaining()) {
                    written += ch.write(chunk);
                }
            }
            ch.force(true);
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
