/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.MapMode;
import io.github.mmap4j.MapOptions;
import io.github.mmap4j.Atomics;
import io.github.mmap4j.Mmap;
import io.github.mmap4j.Sharing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * Case 8: one thread's compare-and-set and get-and-add on a {@code long}, through
 * {@link Atomics} against {@code AtomicLong} on the same JVM. {@code mmap4j}: a word of an mmap4j
 * shared mapping (the closed-mapping check finds its mapping); {@code direct}: a word of
 * {@code allocateDirect} (no mapping). Each CAS succeeds (it expects the value the previous one
 * wrote), as in a counter without contention. Compiled for Java 8 too, so it also runs there
 * (the Unsafe path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AtomicsBench {

    AtomicLong atomicLong;
    ByteBuffer mapped;
    ByteBuffer direct;
    long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        atomicLong = new AtomicLong();
        mapped = Mmap.anonymous(4096, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
        direct = ByteBuffer.allocateDirect(64);
        next = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Mmap.unmap(mapped);
    }

    @Benchmark
    public boolean casAtomicLong() {
        long v = next++;
        return atomicLong.compareAndSet(v, v + 1);
    }

    @Benchmark
    public boolean casMmap4j() {
        long v = next++;
        return Atomics.compareAndSetLong(mapped, 0, v, v + 1);
    }

    @Benchmark
    public boolean casDirect() {
        long v = next++;
        return Atomics.compareAndSetLong(direct, 0, v, v + 1);
    }

    @Benchmark
    public long addAtomicLong() {
        return atomicLong.getAndAdd(1);
    }

    @Benchmark
    public long addMmap4j() {
        return Atomics.getAndAddLong(mapped, 0, 1);
    }

    @Benchmark
    public long addDirect() {
        return Atomics.getAndAddLong(direct, 0, 1);
    }
}
