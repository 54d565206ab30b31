/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Case 8, the floor for {@link AtomicsBench} on JDK 9+: the same operations straight through the
 * {@code byteBufferViewVarHandle} on the same kind of mapping, without mmap4j's checks (heap,
 * read-only, closed mapping, bounds, alignment). The difference is what those checks cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AtomicsRaw {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    /** The same state as {@link AtomicsBench}: a fresh mmap4j mapping per trial, and the next value. */
    @Benchmark
    public boolean casVarHandle(AtomicsBench state) {
        long v = state.next++;
        return LONGS.compareAndSet(state.mapped, 0, v, v + 1);
    }

    @Benchmark
    public long addVarHandle(AtomicsBench state) {
        return (long) LONGS.getAndAdd(state.mapped, 0, 1L);
    }
}
