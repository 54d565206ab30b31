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
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Case 1: map a page-cached region of {@code size} bytes at offset 0 of an open
 * file, read-only and shared, and unmap it. C: {@code mmap} + {@code munmap} on an
 * open descriptor. No page is touched (mapping is lazy), so the size shows what
 * the page tables and the kernel's VMA bookkeeping cost, not copying.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MapCycle {

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

    /** mmap4j: {@code Mmap.map(channel, ...)} then {@code Mmap.unmap}: a safe close, at once. */
    @Benchmark
    public ByteBuffer mmap4j() throws IOException {
        ByteBuffer buffer = Mmap.map(channel, 0, size, MapOptions.of(MapMode.READ_ONLY));
        Mmap.unmap(buffer);
        return buffer;
    }

    /**
     * The JDK's {@code FileChannel.map}: it cannot unmap, so map and drop; the
     * range is unmapped by the GC (its cost shows in {@code -prof gc}'s rows, and
     * when {@code vm.max_map_count} runs out the JDK itself calls
     * {@code System.gc()} and sleeps 100 ms before retrying).
     */
    @Benchmark
    public MappedByteBuffer jdkMapDrop() throws IOException {
        return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }
}
