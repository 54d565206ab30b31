/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.bench.Fixture;

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
 * Diagnostics, not part of the table (run.sh does not select them): where
 * mmap4j's time goes in cases 1 and 5, by calling the shim's natives
 * ({@code Native}) directly, one layer below the public API.
 *
 * <pre>
 * java -cp ... org.openjdk.jmh.Main -prof gc 'Breakdown|MapCycle.mmap4j|CallOverhead' -p size=4096
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Breakdown {

    static final int SIZE = 4096;

    FileChannel channel;
    int fd;
    int quarantineFd;
    ByteBuffer page;
    /** A view of no bytes of {@link #page}. */
    ByteBuffer empty;
    long pageAddress;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Fixture.load();
        channel = Fixture.open();
        fd = Native.descriptor(channel);
        quarantineFd = (int) Native.quarantineFd();
        page = Mmap.map(channel, 0, (int) Mmap.pageSize(), MapOptions.of(MapMode.READ_ONLY));
        empty = ((ByteBuffer) page.duplicate().limit(0)).slice();
        pageAddress = Mmap.address(page);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Mmap.unmap(page);
        channel.close();
    }

    /** The system calls of a plain cycle over JNI: fstat (channel.size), mmap, munmap (= C + FFM confined). */
    @Benchmark
    public long syscallsPlain() throws IOException {
        long size = channel.size();
        long address = Native.map(SIZE, Native.PROT_READ, Native.SHARE_SHARED, 0, fd, 0);
        Native.unmap(address, SIZE);
        return address + size;
    }

    /**
     * mmap4j's system calls for this read-only mapping, all on this thread: fstat, mmap, the cover
     * (mmap(MAP_FIXED) of read-only anonymous memory), punch, munmap.
     */
    @Benchmark
    public long syscallsSafeClose() throws IOException {
        return safeClose(false);
    }

    /** The same with the cover a writable range gets: mmap(MAP_FIXED) of the quarantine memfd. */
    @Benchmark
    public long syscallsSafeCloseWritableCover() throws IOException {
        return safeClose(true);
    }

    private long safeClose(boolean writableCover) throws IOException {
        long size = channel.size();
        long address = Native.map(SIZE, Native.PROT_READ, Native.SHARE_SHARED, 0, fd, 0);
        Native.quarantine(null, address, SIZE, quarantineFd, writableCover);
        Native.release(address, SIZE, quarantineFd);
        return address + size;
    }

    /** madvise over JNI without mmap4j's checks, lookup and acquire/release. */
    @Benchmark
    public long adviseNative() {
        return Native.advise(page, pageAddress, SIZE, Native.ADV_NORMAL);
    }

    /** Mmap.advise on an empty range: every step but the system call and its JNI transition. */
    @Benchmark
    public void adviseNoSyscall() throws IOException {
        Mmap.advise(empty, Advice.NORMAL);
    }

    /** One JNI transition that does nothing but read the buffer's address (GetLongField;
     * what a range call makes on JDK 9+, where {@code BufferAddress} cannot read it in Java). */
    @Benchmark
    public long address() {
        return Native.address(page);
    }
}
