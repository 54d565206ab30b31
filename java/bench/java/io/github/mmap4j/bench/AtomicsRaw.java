/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.Mmap;
import io.github.mmap4j.Sharing;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * Case 8, the floor for {@link AtomicsBench} on JDK 9+: the same operations straight through the
 * {@code byteBufferViewVarHandle} on the same kind of mapping, without mmap4j's checks (heap,
 * read-only, closed mapping, bounds, alignment). The difference is what those checks cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AtomicsRaw {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    ByteBuffer mapped;
    long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        mapped = Mmap.anonymous(4096, Sharing.SHARED);
        next = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Mmap.unmap(mapped);
    }

    @Benchmark
    public boolean casVarHandle() {
        long v = next++;
        return LONGS.compareAndSet(mapped, 0, v, v + 1);
    }

    @Benchmark
    public long addVarHandle() {
        return (long) LONGS.getAndAdd(mapped, 0, 1L);
    }
}
