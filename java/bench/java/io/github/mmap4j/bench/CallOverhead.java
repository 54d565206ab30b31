/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.SyncMode;
import io.github.mmap4j.MapOptions;
import io.github.mmap4j.Advice;
import io.github.mmap4j.MapMode;
import io.github.mmap4j.Mmap;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * Case 5: one {@code madvise(MADV_NORMAL)} and one {@code msync(MS_ASYNC)} on a
 * one-page read-only shared mapping of the page-cached file. C makes the same
 * system calls on the same kind of mapping; the difference is mmap4j's own cost
 * (argument checks, the mapping lookup, acquire/release, the JNI transition).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallOverhead {

    ByteBuffer page;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Fixture.load();
        try (FileChannel ch = Fixture.open()) {
            page = Mmap.map(ch, 0, (int) Mmap.pageSize(), MapOptions.of(MapMode.READ_ONLY));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Mmap.unmap(page);
    }

    @Benchmark
    public void mmap4jAdvise() throws IOException {
        Mmap.advise(page, Advice.NORMAL);
    }

    @Benchmark
    public void mmap4jSync() throws IOException {
        Mmap.force(page, SyncMode.ASYNC);
    }
}
