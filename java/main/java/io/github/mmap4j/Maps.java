/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.IOException;
import java.io.FileDescriptor;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link Mmap}, {@link SharedMemory} and the region factories turn a source, a range and
 * {@link MapOptions} into a registered {@link Mapping} and hand it out as a buffer or a region;
 * and which mapping owns a buffer handed back. The range is checked once, by the caller, with
 * {@link Mapper#checkRange} before anything is opened.
 */
final class Maps {

    /** The source of anonymous memory, for {@link #map}. */
    static final Object ANONYMOUS = new Object();

    private Maps() {
    }

    // What a registered mapping is handed out as: ByteBuffer.class or MappedRegion.class (handOut).
    // Class tokens, not strategy objects: each anonymous class or switch map is one more class for a
    // fresh JVM's first map to load, and neither lambdas nor method references may be used there
    // (the first lambda of a JVM bootstraps invokedynamic: 5 ms on JDK 17, 20 ms or more on JDK 8).

    /**
     * Maps a range of a source (a {@code Path}, {@code FileChannel} or {@code FileDescriptor}, or
     * {@link #ANONYMOUS}) and hands it out; the one range check of every map call.
     */
    static <T> T map(String call, Object source, long offset, long length, MapOptions options, Class<T> as)
            throws IOException {
        Objects.requireNonNull(options, "options");
        Reclaimer.mapBegins(); // before the library: see FirstMapClasses
        // The range check asks for the page size: loading the library with no descriptor free is
        // EMFILE here, for anonymous memory too.
        Platform.ensureLoadedToOpen();
        long end = Mapper.checkRange(call, offset, length);
        if (source instanceof Path) {
            try (FileSource file = open((Path) source, options, options.isCreateOrGrow() ? end : -1)) {
                return make(as, file, offset, length, options);
            }
        }
        FileSource file = source == ANONYMOUS ? null
                : source instanceof FileChannel ? FileSource.of((FileChannel) source)
                : FileSource.of((FileDescriptor) source);
        return handOut(as, file, offset, length, options);
    }

    /** Maps and hands out as {@code as}: a {@link #buffer} or a {@link #region}. */
    private static <T> T handOut(Class<T> as, FileSource file, long offset, long length, MapOptions options)
            throws IOException {
        return as.cast(as == ByteBuffer.class ? buffer(file, offset, length, options)
                : region(file, offset, length, options));
    }

    /** {@code handOut}; on failure, removes the file a {@code createOrGrow} open created for it. */
    static <T> T make(Class<T> as, FileSource file, long offset, long length, MapOptions options)
            throws IOException {
        try {
            return handOut(as, file, offset, length, options);
        } catch (IOException | RuntimeException | Error e) {
            file.removeCreated(e);
            throw e;
        }
    }

    /** Maps the whole of a file (for a buffer, at most 2 GiB; an empty file gives an empty buffer). */
    static <T> T whole(String call, Path path, MapMode mode, Class<T> as) throws IOException {
        MapOptions options = MapOptions.of(mode);
        Reclaimer.mapBegins(); // before the library: see FirstMapClasses
        try (FileSource source = open(path, options, -1)) {
            return handOut(as, source, 0, source.size(), options);
        }
    }

    static MappedRegion region(FileSource source, long offset, long length, MapOptions options)
            throws IOException {
        Mapping mapping = mapping(source, offset, length, options, false);
        return new MappedRegion(mapping, mapping.base(), length);
    }

    static FileSource open(Path path, MapOptions options, long growTo) throws IOException {
        boolean shared = options.sharing() == Sharing.SHARED;
        boolean write = options.isCreateOrGrow() || (options.isWritable() && shared);
        return FileSource.open(path, write, options.isCreateOrGrow(), options.permissions(), growTo);
    }

    static ByteBuffer buffer(FileSource source, long offset, long size, MapOptions options) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("map: " + (source == null ? "anonymous memory" : source.description())
                    + " has " + size + " bytes, more than a ByteBuffer holds; map a range of it, or a region");
        }
        int length = (int) size;
        Mapping mapping = mapping(source, offset, length, options, true);
        try {
            return Mapper.buffer(mapping, mapping.base(), length);
        } catch (RuntimeException | Error e) {
            Mappings.discard(mapping); // nothing was handed out: the range can go straight back
            throw e;
        }
    }

    static Mapping mapping(FileSource source, long offset, long length, MapOptions options, boolean asBuffer)
            throws IOException {
        int prot = options.protectionBits();
        int flags = options.flagBits();
        int advice = options.advice() == null ? -1 : Codes.advice(options.advice());
        return Mapper.map(source, offset, length, prot, Codes.sharing(options.sharing(), source == null), flags,
                advice, options, asBuffer);
    }

    /**
     * The mapping a buffer handed back belongs to, for {@code unmap}.
     *
     * @param call   the public method, for messages.
     * @param buffer a buffer from mmap4j, or a view of one.
     * @return the mapping, or {@code null} for an empty buffer at address 0 (an empty map's, or the
     *         JDK's), which maps nothing.
     * @throws IllegalArgumentException when mmap4j did not map the buffer, or it is an empty view
     *                                  that cannot be attributed to one mapping.
     */
    static Mapping owner(String call, ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        Platform.ensureLoadedToClose();
        long address = buffer.isDirect() ? Platform.address(buffer) : 0;
        Mapping mapping = buffer.isDirect() ? find(buffer, address) : null;
        if (mapping != null) {
            return mapping;
        }
        if (buffer.isDirect() && buffer.capacity() == 0) {
            ByteBuffer root = root(buffer);
            if (root != null && root.capacity() == 0 && Platform.address(root) == 0) {
                return null; // maps nothing: an empty map's buffer, or a view of one
            }
            if (root == null || root.capacity() == 0) {
                throw new IllegalArgumentException(call + ": this empty buffer (capacity 0, address 0x"
                        + Long.toHexString(address) + ") cannot be attributed to an mmap4j mapping (its "
                        + "address may be where one mapping ends and the next begins); pass the buffer it was "
                        + "sliced from");
            }
        }
        throw new IllegalArgumentException(call + ": this buffer was not mapped by mmap4j (or was already "
                + "reclaimed); only buffers from Mmap.map/anonymous can be unmapped here");
    }

    /**
     * The mapping a direct buffer's bytes belong to, or {@code null}: never another one. A buffer
     * with bytes is found by its first byte (mappings never overlap). A zero-capacity buffer's
     * address may be where one mapping ends and the next begins, so it is found through the buffer
     * it was made from ({@link #root}): every root mmap4j makes holds at least one byte of its
     * mapping ({@link Mapper#buffer}), except the empty buffers of empty maps, which are at address
     * 0 and belong to no mapping.
     *
     * @param buffer  a direct buffer.
     * @param address its address ({@link BufferAddress#of}).
     * @return the open or closed mapping, or {@code null}.
     */
    static Mapping find(ByteBuffer buffer, long address) {
        if (buffer.capacity() > 0) {
            return Mappings.find(address);
        }
        ByteBuffer root = root(buffer);
        return root == null || root.capacity() == 0 ? null : Mappings.find(BufferAddress.of(root));
    }

    /**
     * The buffer a view was made from, following {@code DirectByteBuffer.att} (JDK 8: the parent,
     * JDK 9+: the root; for a region's view, its {@link Views.Batch}'s window) to a buffer that
     * has none.
     *
     * @param buffer a direct buffer.
     * @return that buffer, or {@code null} when the chain leads elsewhere (a {@code MemorySegment},
     *         which mmap4j never makes) or this JDK has no such field.
     */
    static ByteBuffer root(ByteBuffer buffer) {
        ByteBuffer at = buffer;
        for (;;) {
            Object made = Native.attachment(at);
            if (made == null) {
                return at;
            }
            if (made instanceof Views.Batch) { // a region's view: its window leads to the root
                at = ((Views.Batch) made).window;
                continue;
            }
            if (made == at || !(made instanceof ByteBuffer) || !((ByteBuffer) made).isDirect()) {
                return null;
            }
            at = (ByteBuffer) made;
        }
    }
}
