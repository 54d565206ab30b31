/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Case 3: 8-byte reads at pseudo-random 8-byte-aligned offsets of the whole
 * page-cached file, {@link Fixture#RANDOM_BATCH} per invocation, the offsets
 * from one xorshift64 sequence with a fixed seed (the same in C and FFM). The
 * mappings are the ones of {@link SeqRead}, locked in memory as there. Figure: ns per read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RandomRead {

    /** The position in the index sequence, carried across invocations. */
    @State(Scope.Thread)
    public static class Sequence {
        long x;

        @Setup(Level.Trial)
        public void setUp() {
            x = Fixture.SEED;
        }
    }

    static long reads(ByteBuffer buffer, Sequence s) {
        long mask = (buffer.capacity() - 1) & ~7L;
        long x = s.x;
        long sum = 0;
        for (int i = 0; i < Fixture.RANDOM_BATCH; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            sum += buffer.getLong((int) (x & mask));
        }
        s.x = x;
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(Fixture.RANDOM_BATCH)
    public long mmap4j(SeqRead.Mmap4jPinned m, Sequence s, Fixture.Hot hot) {
        return reads(m.buffer, s);
    }

    @Benchmark
    @OperationsPerInvocation(Fixture.RANDOM_BATCH)
    public long jdk(SeqRead.JdkPinned m, Sequence s, Fixture.Hot hot) {
        return reads(m.buffer, s);
    }
}
