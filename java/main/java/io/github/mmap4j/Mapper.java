/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Makes mappings: checks arguments, aligns the offset down to a page, calls
 * {@code mmap} (collecting unreachable closed ranges and retrying once on
 * {@code ENOMEM}), registers the result, and hands out buffers that start at
 * the byte the caller asked for.
 */
final class Mapper {

    private Mapper() {
    }

    /**
     * Checks an offset and a length before any native call.
     *
     * @param call   the public method, for messages.
     * @param offset a byte offset; not negative.
     * @param length a byte count; not negative (0 maps nothing: an empty buffer or region).
     * @return {@code offset + length}.
     * @throws IllegalArgumentException when either is out of range or the sum overflows.
     */
    static long checkRange(String call, long offset, long length) {
        if (offset < 0) {
            throw new IllegalArgumentException(call + ": offset " + offset + " is negative");
        }
        if (length < 0) {
            throw new IllegalArgumentException(call + ": length " + length + " is negative");
        }
        if (offset > Long.MAX_VALUE - length - Platform.pageSize()) {
            throw new IllegalArgumentException(call + ": offset " + offset + " + length " + length + " overflows");
        }
        return offset + length;
    }

    /**
     * Maps {@code length} bytes at {@code offset} of a file, or anonymous memory.
     *
     * @param source   the file, or {@code null} for anonymous memory.
     * @param offset   byte offset in the file; any value, aligned down internally.
     * @param length   bytes to map.
     * @param prot     {@code Native.PROT_*} bits.
     * @param sharing  {@code Native.SHARE_*} code.
     * @param flagBits {@code 1 << Native.FLAG_*} bits.
     * @param advice   {@code Native.ADV_*} code to apply after mapping, or {@code -1}.
     * @param options  the options, for messages.
     * @param asBuffer whether it is handed out as one buffer of {@code length} bytes (at most 2 GiB):
     *                 then the mapping makes it and watches it itself ({@link Mapping#takeRoot}).
     * @return the registered mapping; the caller's bytes start at {@link Mapping#base()}.
     * @throws MmapException when {@code mmap} or the advice fails, or the range is past the end of the file.
     * @throws IOException   when a borrowed source was closed during the call ({@link FileSource#checkStillOpen}).
     */
    static Mapping map(FileSource source, long offset, long length, int prot, int sharing, int flagBits,
                       int advice, MapOptions options, boolean asBuffer) throws IOException {
        Object what = source == null ? "anonymous" : source;
        long end = offset + length; // checked by the caller, before anything was opened: checkRange
        if (source != null && end > source.size()) {
            throw Errors.exception("ENXIO", "mmap", Mapping.describe(what, offset, length, options),
                    "the range ends at byte " + end + " but the file has " + source.size() + " bytes: grow the "
                    + "file first, map a shorter length, or map by path with MapOptions.createOrGrow()");
        }
        if (length == 0) {
            // mmap(2) refuses length 0 (EINVAL): nothing is mapped, as FileChannel.map maps nothing for 0
            // bytes. Never registered, tracked or covered; its buffers are at address 0 (Maps.find).
            return new Mapping(0, 0, 0, prot, what, offset, 0, options, null, null);
        }
        // Huge pages: mmap rounds the length up itself, but munmap (and the cover at close) must be
        // given whole huge pages, and a file offset must be a multiple of one.
        long align = hugePages(flagBits);
        long delta = offset % align;
        long mapLength = delta + length;
        if (align != Platform.pageSize()) {
            mapLength = (mapLength + align - 1) / align * align;
        }
        int fd = source == null ? -1 : source.fd();
        String refusal = Mappings.beforeMap();
        if (refusal != null) {
            throw Errors.exception("ENOMEM", "mmap", Mapping.describe(what, offset, length, options), refusal);
        }
        long address = Native.map(mapLength, prot, sharing, flagBits, fd, offset - delta);
        if (address < 0 && address == -Errors.value("ENOMEM")) {
            Mappings.relievePressure();
            address = Native.map(mapLength, prot, sharing, flagBits, fd, offset - delta);
        }
        if (address < 0) {
            Errors.check(address, "mmap", Mapping.describe(what, offset, length, options));
        }
        if (advice >= 0) {
            long rc = Native.advise(null, address, mapLength, advice);
            if (rc < 0) {
                // Nothing was handed out yet, so the range can go straight back.
                Reclaimer.release(address, mapLength, Mapping.describe(what, offset, length, options));
                Errors.check(rc, "madvise", Mapping.describe(what, offset, length, options));
            }
        }
        Mapping mapping;
        try {
            mapping = new Mapping(address, mapLength, address + delta, prot, what, offset, length, options,
                    Mappings.leakDetection() ? new Throwable("mapped here") : null,
                    asBuffer ? root(address + delta, (int) length, prot) : null);
        } catch (RuntimeException | Error e) {
            Reclaimer.release(address, mapLength, Mapping.describe(what, offset, length, options));
            throw e;
        }
        Mappings.register(mapping);
        try {
            // Huge pages are not covered page by page: a SIGBUS there stays HotSpot's.
            Guard.register(mapping, align == Platform.pageSize());
            if (Guard.needed(prot, prot)) {
                // Mapped without READ: the first access may fault with SIGSEGV.
                Guard.cover(mapping);
            }
            if (source != null) {
                // A borrowed descriptor closed by another thread during the call may have been reused
                // by an unrelated open: then the range maps that file, and must never reach the caller.
                source.checkStillOpen();
            }
        } catch (IOException | RuntimeException e) {
            Mappings.discard(mapping);
            throw e;
        }
        return mapping;
    }

    /**
     * The buffer over {@code capacity} bytes ({@code > 0}) at {@code address} that a mapping
     * watches: read-only (in one object where the JDK allows) unless {@code prot} writes.
     */
    private static ByteBuffer root(long address, int capacity, int prot) {
        ByteBuffer root = (prot & Native.PROT_WRITE) != 0 ? null : Native.newReadOnlyBuffer(address, capacity);
        if (root == null) {
            root = Native.newBuffer(address, capacity);
        }
        if (root == null) {
            throw new IllegalStateException("mmap4j: this JVM's JNI refused NewDirectByteBuffer");
        }
        return root;
    }

    /** The unit a mapping's offset and length are aligned to: the page, or the huge page for HUGETLB. */
    private static long hugePages(int flagBits) {
        if ((flagBits & (1 << Native.FLAG_HUGE_1GB)) != 0) {
            return 1L << 30;
        }
        if ((flagBits & (1 << Native.FLAG_HUGE_2MB)) != 0) {
            return 2L << 20;
        }
        if ((flagBits & (1 << Native.FLAG_HUGETLB)) != 0) {
            return Platform.hugePageSize();
        }
        return Platform.pageSize();
    }

    /**
     * A view of a region's bytes {@code offset .. offset+length}, checked against the
     * region's size and made while the mapping cannot close ({@code MappedRegion.view},
     * {@code GrowableRegion.view}).
     *
     * @param mapping the region's mapping.
     * @param windows the region's windows, which views are cut from.
     * @param base    the address of the region's byte 0.
     * @param size    the region's size now.
     * @param offset  first byte, from the region's byte 0.
     * @param length  bytes.
     * @return the view, handed out and watched.
     * @throws IllegalArgumentException  when {@code length} is negative.
     * @throws IndexOutOfBoundsException when the bytes are not all inside {@code size}.
     * @throws IllegalStateException     when the mapping is closed.
     */
    static ByteBuffer view(Mapping mapping, Windows windows, long base, long size, long offset, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("view: length " + length + " is negative");
        }
        if (offset < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("view: offset=" + offset + " length=" + length + " size=" + size
                    + " of the region");
        }
        if (length > 0) {
            // The common case, a window already made: no acquire and release. A close racing this
            // is caught under the lock that close limits views under (Windows.keptView).
            if (mapping.isClosed()) {
                throw mapping.closedError("view");
            }
            ByteBuffer view = windows.keptView(offset, length);
            if (view != null) {
                return view;
            }
        }
        mapping.acquire("view");
        try {
            ByteBuffer view = length > 0 ? windows.view(offset, length) : null;
            if (view == null) {
                return buffer(mapping, base + offset, length);
            }
            mapping.addView(view);
            return view;
        } finally {
            mapping.release();
        }
    }

    /**
     * A buffer over {@code capacity} bytes at {@code address}, handed out and
     * watched: read-only unless the mapping is writable.
     *
     * @param mapping  the mapping the bytes belong to.
     * @param address  the first byte.
     * @param capacity the buffer's capacity.
     * @return the buffer for the user.
     */
    static ByteBuffer buffer(Mapping mapping, long address, int capacity) {
        ByteBuffer made = mapping.takeRoot();
        if (made != null && address == mapping.base() && capacity == made.capacity()) {
            // Made with the mapping, which watches it: the whole mapping, read-only if it is.
            ByteBuffer view = made.isReadOnly() || (mapping.protection() & Native.PROT_WRITE) != 0 ? made
                    : made.asReadOnlyBuffer();
            Mappings.handOut(mapping, made, view, true);
            return view;
        }
        // Checked even for the package's own callers: never a buffer over bytes the mapping does not cover.
        if (capacity < 0 || address < mapping.address()
                || address + capacity > mapping.address() + mapping.length()) {
            throw new IndexOutOfBoundsException("buffer: address " + Long.toHexString(address) + " + " + capacity
                    + " lies outside " + mapping.description());
        }
        // An empty view of a mapping that holds bytes is a slice of a one-byte root at a byte of the
        // mapping: an empty buffer's address can be where one mapping ends and the next begins, so
        // Maps.find attributes it through its root, whose first byte is unambiguous. An empty
        // mapping's buffers are at address 0, inside no mapping.
        int skip = capacity > 0 || mapping.length() == 0 ? 0
                : address < mapping.address() + mapping.length() ? 0 : 1;
        ByteBuffer root = mapping.length() == 0 ? Native.newBuffer(0, 0)
                : root(address - skip, capacity > 0 ? capacity : 1, mapping.protection());
        if (root == null) {
            throw new IllegalStateException("mmap4j: this JVM's JNI refused NewDirectByteBuffer");
        }
        // A view keeps its root reachable (DirectByteBuffer.att), so tracking the root covers every
        // duplicate, slice and asReadOnlyBuffer made from what the user gets.
        ByteBuffer view = root.isReadOnly() || (mapping.protection() & Native.PROT_WRITE) != 0 ? root
                : root.asReadOnlyBuffer();
        if (capacity == 0 && mapping.length() > 0) {
            ((Buffer) view).position(skip);
            ((Buffer) view).limit(skip);
            view = view.slice();
        }
        Mappings.handOut(mapping, root, view, false);
        return view;
    }

    /**
     * Reserves {@code length} bytes of address space ({@code mmap(PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|
     * MAP_NORESERVE)}: no memory) and registers it as a mapping that only
     * {@link Mappings#mapInto} fills, for a growable region.
     *
     * @param length      bytes, a whole number of pages.
     * @param protection  {@code Native.PROT_*} bits the parts mapped into it get.
     * @param description what it is, for messages.
     * @return the registered mapping, address and base at the reservation's start.
     * @throws MmapException when the reservation fails ({@code ENOMEM}: less address space, or a smaller reserve).
     */
    static Mapping reserve(long length, int protection, Object description) throws MmapException {
        String refusal = Mappings.beforeMap();
        if (refusal != null) {
            throw Errors.exception("ENOMEM", "mmap", description.toString(), refusal);
        }
        long address = Native.reserve(length);
        if (address < 0 && address == -Errors.value("ENOMEM")) {
            Mappings.relievePressure();
            address = Native.reserve(length);
        }
        Errors.check(address, "mmap(PROT_NONE) reserving " + length + " bytes", description.toString());
        Mapping mapping = new Mapping(address, length, address, protection, description, 0, length, null,
                Mappings.leakDetection() ? new Throwable("mapped here") : null, null);
        mapping.markReservation();
        Mappings.register(mapping);
        try {
            Guard.register(mapping, true);
        } catch (MmapException | RuntimeException e) {
            Mappings.discard(mapping);
            throw e;
        }
        return mapping;
    }
}
