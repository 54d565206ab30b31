/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.GrowableRegion;
import io.github.mmap4j.MapFlag;
import io.github.mmap4j.MapMode;
import io.github.mmap4j.MapOptions;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 * Issue 16: append {@code bench.appendBytes} (1 GiB) to a new file in 64 KiB records, one
 * operation per append (single shot: the file is deleted, untimed, before each). C's counterpart
 * is {@code native/bench/growable.c} ({@code GrowAppend.c*}), same sizes and steps.
 *
 * <ul>
 * <li>{@code growable}: a {@link GrowableRegion} reserved at 4 GiB, grown by 16 MiB
 *     ({@code ftruncate} + {@code mmap(MAP_FIXED)}), one view per 16 MiB step, records put into it;
 *     {@code growablePopulate} the same with {@code MAP_POPULATE} on each new part;</li>
 * <li>{@code remap}: the Agrona way ({@code MappedResizeableBuffer.resize}): every 16 MiB unmap the
 *     whole mapping ({@code Unsafe.invokeCleaner}), {@code setLength}, map the whole file again;</li>
 * <li>{@code channelWrite}: {@code FileChannel.write} of each record (a direct buffer: no extra copy);</li>
 * <li>{@code viewPerRecord}: README's loop, 64-byte records each through a view of its own, growing by
 *     16 MiB with {@code fallocate}; {@code viewPerPart} the same records through one view per part.</li>
 * </ul>
 * Each ends with the file closed and unmapped, nothing synced to disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GrowAppend {

    static final int RECORD = 64 << 10;
    /** README's record: 64 bytes. */
    static final int SMALL = 64;
    static final int STEP = 16 << 20;
    static final long RESERVE = 4L << 30;

    long total;
    Path file;
    ByteBuffer record;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        total = Long.getLong("bench.appendBytes", 1L << 30);
        Path dir = Paths.get(System.getProperty("bench.appendDir", "/dev/shm"));
        file = dir.resolve("mmap4j-grow-append-" + ProcessHandle.current().pid() + ".bin");
        record = ByteBuffer.allocateDirect(RECORD);
        for (int i = 0; i < RECORD; i++) {
            record.put(i, (byte) (i * 31 + 7));
        }
    }

    @Setup(Level.Invocation)
    public void fresh() throws IOException {
        Files.deleteIfExists(file);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long growable() throws IOException {
        return appendGrowing(MapOptions.of(MapMode.READ_WRITE).createOrGrow());
    }

    /** The same with {@link MapFlag#POPULATE}: each new part's pages are faulted in by its mmap. */
    @Benchmark
    public long growablePopulate() throws IOException {
        return appendGrowing(MapOptions.of(MapMode.READ_WRITE).createOrGrow().flags(MapFlag.POPULATE));
    }

    private long appendGrowing(MapOptions options) throws IOException {
        try (GrowableRegion r = GrowableRegion.open(file, RESERVE, options)) {
            ByteBuffer chunk = null;
            for (long end = 0; end < total; end += RECORD) {
                if (chunk == null || !chunk.hasRemaining()) {
                    r.grow(end + STEP);
                    chunk = r.view(end, STEP);
                }
                chunk.put(record.duplicate());
            }
            return r.size();
        }
    }

    /**
     * README's loop (issue 27): a view per 64-byte record, {@code log.view(end, 64).put(record)},
     * growing by 16 MiB ({@code grow(n, true)}). Compare with {@link #viewPerPart}.
     */
    @Benchmark
    public long viewPerRecord() throws IOException {
        return appendSmall(true);
    }

    /** The same 64-byte records put into one view per 16 MiB part: what a view per record may cost twice. */
    @Benchmark
    public long viewPerPart() throws IOException {
        return appendSmall(false);
    }

    private long appendSmall(boolean viewPerRecord) throws IOException {
        byte[] small = new byte[SMALL];
        for (int i = 0; i < SMALL; i++) {
            small[i] = (byte) i;
        }
        try (GrowableRegion log = GrowableRegion.open(file, RESERVE,
                MapOptions.of(MapMode.READ_WRITE).createOrGrow())) {
            ByteBuffer part = null;
            for (long end = 0; end < total; end += SMALL) {
                if (end + SMALL > log.size()) {
                    log.grow(end + STEP, true);
                    part = viewPerRecord ? null : log.view(end, STEP);
                }
                if (viewPerRecord) {
                    log.view(end, SMALL).put(small);
                } else {
                    part.put(small);
                }
            }
            return log.size();
        }
    }

    @Benchmark
    public long remap() throws Throwable {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            FileChannel channel = raf.getChannel();
            MappedByteBuffer map = null;
            long length = 0;
            for (long end = 0; end < total; end += RECORD) {
                if (end + RECORD > length) {
                    if (map != null) {
                        Cleaner.unmap(map);
                    }
                    length += STEP;
                    raf.setLength(length);
                    map = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
                    map.position((int) end);
                }
                map.put(record.duplicate());
            }
            Cleaner.unmap(map);
            return length;
        }
    }

    @Benchmark
    public long channelWrite() throws IOException {
        try (FileChannel channel = FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            for (long end = 0; end < total; end += RECORD) {
                ByteBuffer r = record.duplicate();
                while (r.hasRemaining()) {
                    channel.write(r);
                }
            }
            return channel.size();
        }
    }

    /** {@code sun.misc.Unsafe.invokeCleaner}: what Agrona's {@code IoUtil.unmap} calls on JDK 9+. */
    static final class Cleaner {
        private static final Object UNSAFE;
        private static final Method INVOKE_CLEANER;

        static {
            try {
                Class<?> c = Class.forName("sun.misc.Unsafe");
                Field f = c.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                UNSAFE = f.get(null);
                INVOKE_CLEANER = c.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        static void unmap(ByteBuffer buffer) throws Throwable {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        }
    }
}
