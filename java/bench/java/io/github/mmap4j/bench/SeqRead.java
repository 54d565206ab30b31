/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.MapOptions;
import io.github.mmap4j.MapMode;
import io.github.mmap4j.Mmap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Case 2: one operation sums every long of the whole page-cached data file
 * (1 GiB in the full run) through one mapping made at trial set-up, native byte
 * order. The figure is ns per pass; the report turns it into GB/s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SeqRead {

    /** The whole file through mmap4j (a read-only view, as mmap4j hands out for READ_ONLY). */
    @State(Scope.Benchmark)
    public static class Mmap4jMapping {
        ByteBuffer buffer;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Fixture.load();
            try (FileChannel ch = Fixture.open()) {
                buffer = Mmap.map(ch, 0, (int) ch.size(), MapOptions.of(MapMode.READ_ONLY)).order(ByteOrder.nativeOrder());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            Mmap.unmap(buffer);
        }
    }

    /** The whole file through the JDK's {@code FileChannel.map}. */
    @State(Scope.Benchmark)
    public static class JdkMapping {
        ByteBuffer buffer;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Fixture.load();
            try (FileChannel ch = Fixture.open()) {
                buffer = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.nativeOrder());
            }
        }
    }

    /**
     * A mapping locked in memory for the read cases ({@link Fixture#pin}); residency reads the
     * same mappings unlocked.
     */
    abstract static class Pinned {
        ByteBuffer buffer;

        final void pin(ByteBuffer mapping) {
            Fixture.pin(mapping);
            buffer = mapping;
        }
    }

    /** {@link Mmap4jMapping}, locked. */
    @State(Scope.Benchmark)
    public static class Mmap4jPinned extends Pinned {
        @Setup(Level.Trial)
        public void setUp(Mmap4jMapping m) {
            pin(m.buffer);
        }
    }

    /** {@link JdkMapping}, locked. */
    @State(Scope.Benchmark)
    public static class JdkPinned extends Pinned {
        @Setup(Level.Trial)
        public void setUp(JdkMapping m) {
            pin(m.buffer);
        }
    }

    static long sum(ByteBuffer buffer) {
        long sum = 0;
        for (int i = 0, n = buffer.capacity() - 7; i < n; i += 8) {
            sum += buffer.getLong(i);
        }
        return sum;
    }

    @Benchmark
    public long mmap4j(Mmap4jPinned m, Fixture.Hot hot) {
        return sum(m.buffer);
    }

    @Benchmark
    public long jdk(JdkPinned m, Fixture.Hot hot) {
        return sum(m.buffer);
    }
}
