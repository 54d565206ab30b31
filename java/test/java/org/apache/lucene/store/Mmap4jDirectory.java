/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.apache.lucene.store; // ByteBufferGuard and its cleaner are package-private

import io.github.mmap4j.MapMode;
import io.github.mmap4j.MapOptions;
import io.github.mmap4j.MappedRegion;
import io.github.mmap4j.Mmap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.lucene.util.Version;

/**
 * A Lucene {@link Directory} that reads through mmap4j, as {@code MMapDirectory} reads through
 * {@code FileChannel.map}: one {@link MappedRegion} per file, a view per chunk of 2^chunkSizePower
 * bytes, the region closed in Lucene's cleaner. Writing, locking and listing are FSDirectory's.
 * docs/lucene.md shows this file.
 */
public final class Mmap4jDirectory extends FSDirectory {

    /** Lucene 8 reads big-endian, Lucene 9 little-endian. */
    private static final ByteOrder ORDER = Version.LATEST.major >= 9 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;

    private final int chunkSizePower;

    /** 1 GiB chunks (MMapDirectory's default on 64-bit JVMs) and the default lock factory. */
    public Mmap4jDirectory(Path path) throws IOException {
        this(path, FSLockFactory.getDefault(), 30);
    }

    /** Chunks of 2^chunkSizePower bytes, 0 to 30 (a ByteBuffer holds less than 2 GiB). */
    public Mmap4jDirectory(Path path, LockFactory lockFactory, int chunkSizePower) throws IOException {
        super(path, lockFactory);
        if (chunkSizePower < 0 || chunkSizePower > 30) {
            throw new IllegalArgumentException("chunkSizePower " + chunkSizePower + " is not in 0..30");
        }
        this.chunkSizePower = chunkSizePower;
    }

    @Override
    public IndexInput openInput(String name, IOContext context) throws IOException {
        ensureOpen();
        ensureCanRead(name);
        Path path = getDirectory().resolve(name);
        String description = "Mmap4jIndexInput(path=\"" + path + "\")";
        MappedRegion region;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            // An empty file gives an empty region, as FileChannel.map gives an empty buffer.
            region = Mmap.mapRegion(channel, 0, channel.size(), MapOptions.of(MapMode.READ_ONLY));
        }
        long length = region.size();
        // As MMapDirectory: one more chunk than whole chunks fit; the last one may be empty.
        ByteBuffer[] chunks = new ByteBuffer[(int) (length >>> chunkSizePower) + 1];
        for (int i = 0; i < chunks.length; i++) {
            long offset = (long) i << chunkSizePower;
            chunks[i] = region.view(offset, (int) Math.min(1L << chunkSizePower, length - offset)).order(ORDER);
        }
        // Lucene invalidates its inputs, then calls the cleaner once per chunk; closing twice does nothing.
        ByteBufferGuard guard = new ByteBufferGuard(description, (resource, chunk) -> region.close());
        return new Checked(ByteBufferIndexInput.newInstance(description, chunks, length, chunkSizePower, guard),
                region);
    }

    /**
     * Lucene's input, and after each read the question whether the region is still open: a read
     * that overlapped a close may hold zeros, so it throws AlreadyClosedException instead. Clones and
     * slices share the region. DataInput's other reads (readInt, readVLong, ...) are made of these
     * two; for speed, delegate them too, checked the same way.
     */
    private static final class Checked extends IndexInput {
        private final ByteBufferIndexInput in;
        private final MappedRegion region;

        Checked(ByteBufferIndexInput in, MappedRegion region) {
            super(in.toString());
            this.in = in;
            this.region = region;
        }

        /** isOpen keeps the reads before it: true means every byte they returned is the file's. */
        private void check() {
            if (!region.isOpen()) {
                throw closed(null);
            }
        }

        /** Lucene's guard throws NullPointerException once the close began (a read crossing chunks lets it out). */
        private AlreadyClosedException closed(NullPointerException guard) {
            return new AlreadyClosedException("Closed while reading: " + this, guard);
        }

        @Override
        public byte readByte() throws IOException {
            byte b;
            try {
                b = in.readByte();
            } catch (NullPointerException e) {
                throw closed(e);
            }
            check();
            return b;
        }

        @Override
        public void readBytes(byte[] b, int offset, int len) throws IOException {
            try {
                in.readBytes(b, offset, len);
            } catch (NullPointerException e) {
                throw closed(e);
            }
            check();
        }

        @Override
        public long getFilePointer() {
            return in.getFilePointer();
        }

        @Override
        public void seek(long pos) throws IOException {
            in.seek(pos);
        }

        @Override
        public long length() {
            return in.length();
        }

        @Override
        public void close() throws IOException {
            in.close(); // a clone's close does nothing, as in MMapDirectory
        }

        @Override
        public Checked clone() {
            return new Checked(in.clone(), region);
        }

        @Override
        public IndexInput slice(String sliceDescription, long offset, long length) {
            return new Checked(in.slice(sliceDescription, offset, length), region);
        }
    }
}
