/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.FileSource;
import io.github.mmap4j.internal.Mapper;
import io.github.mmap4j.internal.Mapping;
import io.github.mmap4j.internal.Mappings;
import io.github.mmap4j.internal.Platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link Mmap}, {@link SharedMemory} and the region factories turn a source, a range and
 * {@link MapOptions} into a registered {@link Mapping} and hand it out as a buffer or a region;
 * and which mapping owns a buffer handed back. The range is checked once, by the caller, with
 * {@link Mapper#checkRange} before anything is opened.
 */
final class Maps {

    private Maps() {
    }

    static MappedRegion region(FileSource source, long offset, long length, MapOptions options)
            throws IOException {
        Mapping mapping = mapping(source, offset, length, options);
        return new MappedRegion(mapping, mapping.base(), length);
    }

    static FileSource open(Path path, MapOptions options, long growTo) throws IOException {
        boolean shared = options.sharing() == Sharing.SHARED;
        boolean write = options.isCreateOrGrow() || (options.isWritable() && shared);
        return FileSource.open(path, write, options.isCreateOrGrow(), options.permissions(), growTo);
    }

    static ByteBuffer buffer(FileSource source, long offset, int length, MapOptions options) throws IOException {
        Mapping mapping = mapping(source, offset, length, options);
        try {
            return Mapper.buffer(mapping, mapping.base(), length);
        } catch (RuntimeException | Error e) {
            Mappings.discard(mapping); // nothing was handed out: the range can go straight back
            throw e;
        }
    }

    static Mapping mapping(FileSource source, long offset, long length, MapOptions options) throws IOException {
        int prot = Codes.protection(options.protection());
        int flags = Codes.flags(options.flags());
        int advice = options.advice() == null ? -1 : Codes.advice(options.advice());
        final String from = source == null ? "anonymous" : source.description();
        Object description = new Object() { // built only for a message: the map/close path stays cheap
            @Override
            public String toString() {
                return from + ", offset=" + offset + ", length=" + length + ", " + options;
            }
        };
        Mapping mapping = Mapper.map(source, offset, length, prot, Codes.sharing(options.sharing(), source == null),
                flags, advice, description);
        if (source != null) {
            try {
                // A borrowed descriptor closed by another thread during the call may have been reused by an
                // unrelated open: then the range maps that file, and must never reach the caller.
                source.checkStillOpen();
            } catch (IOException | RuntimeException e) {
                Mappings.discard(mapping); // nothing was handed out: the range can go straight back
                throw e;
            }
        }
        return mapping;
    }

    static Mapping owner(String call, ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        Platform.ensureLoaded();
        Mapping mapping = buffer.isDirect() ? Mappings.find(Platform.address(buffer)) : null;
        if (mapping == null) {
            throw new IllegalArgumentException(call + ": this buffer was not mapped by mmap4j (or was already "
                    + "reclaimed); only buffers from Mmap.map/anonymous can be unmapped here");
        }
        return mapping;
    }
}
