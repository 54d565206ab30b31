/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.Mmap;

import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Case 4: residency ({@code mincore}) of the whole page-cached file's mapping
 * (1 GiB: 262,144 pages of 4 KiB). C: one {@code mincore} into a vector and a count.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Residency {

    /** The count of resident pages only. */
    @Benchmark
    public long mmap4jSummary(SeqRead.Mmap4jMapping m, Fixture.Hot hot) throws Exception {
        return Mmap.residency(m.buffer).resident();
    }

    /** The count and one bit per page ({@code Residency.isResident(page)}). */
    @Benchmark
    public io.github.mmap4j.Residency mmap4jPerPage(SeqRead.Mmap4jMapping m, Fixture.Hot hot) throws Exception {
        return Mmap.residency(m.buffer);
    }

    /** The JDK's {@code MappedByteBuffer.isLoaded()}: mincore, then "all resident?". */
    @Benchmark
    public boolean jdkIsLoaded(SeqRead.JdkMapping m, Fixture.Hot hot) {
        return ((MappedByteBuffer) m.buffer).isLoaded();
    }
}
