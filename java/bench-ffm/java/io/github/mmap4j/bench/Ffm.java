/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JDK 22+ FFM contenders (compiled by JDK 25's javac with --release 25 and run
 * on Temurin 25): {@code FileChannel.map(mode, offset, size, arena)} and
 * {@code MemorySegment} reads, doing the same work as {@link MapCycle},
 * {@link SeqRead} and {@link RandomRead}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Ffm {

    /** Case 1's state: the same sizes and the same open file as {@link MapCycle}. */
    @State(Scope.Benchmark)
    public static class Cycle {
        @Param({"4096", "1048576", "268435456"})
        public int size;

        FileChannel channel;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Fixture.load();
            channel = Fixture.open();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            channel.close();
        }
    }

    /** The whole file as one segment, mapped once per trial (a shared arena: any thread may read). */
    @State(Scope.Benchmark)
    public static class Whole {
        Arena arena;
        MemorySegment segment;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Fixture.load();
            arena = Arena.ofShared();
            try (FileChannel ch = Fixture.open()) {
                segment = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            Fixture.pin(segment.asByteBuffer()); // locked like the other contenders' mappings
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Map, then close a confined arena: unmaps at once, only the owner thread could read. */
    @Benchmark
    public long mapCycleConfined(Cycle c) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return c.channel.map(FileChannel.MapMode.READ_ONLY, 0, c.size, arena).byteSize();
        }
    }

    /** Map, then close a shared arena: the JDK's thread-safe close (a handshake with every thread). */
    @Benchmark
    public long mapCycleShared(Cycle c) throws IOException {
        try (Arena arena = Arena.ofShared()) {
            return c.channel.map(FileChannel.MapMode.READ_ONLY, 0, c.size, arena).byteSize();
        }
    }

    @Benchmark
    public long seqRead(Whole w, Fixture.Hot hot) {
        MemorySegment segment = w.segment;
        long sum = 0;
        for (long i = 0, n = segment.byteSize() - 7; i < n; i += 8) {
            sum += segment.get(ValueLayout.JAVA_LONG, i);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(Fixture.RANDOM_BATCH)
    public long randomRead(Whole w, RandomRead.Sequence s, Fixture.Hot hot) {
        MemorySegment segment = w.segment;
        long mask = (segment.byteSize() - 1) & ~7L;
        long x = s.x;
        long sum = 0;
        for (int i = 0; i < Fixture.RANDOM_BATCH; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            sum += segment.get(ValueLayout.JAVA_LONG, x & mask);
        }
        s.x = x;
        return sum;
    }
}
