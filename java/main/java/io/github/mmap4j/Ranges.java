/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Turns "these bytes of this buffer" into the page-aligned range a system call
 * needs, and runs the call while the mapping cannot be closed under it.
 *
 * <p>Any direct buffer works: mmap4j's, the JDK's {@code MappedByteBuffer},
 * {@code allocateDirect}, slices of each. The range is rounded outward to
 * whole pages, which stays inside the mapping for every mapped buffer. Calls
 * that could destroy data ({@link Rounding#INWARD}: discarding advice) use only
 * the pages wholly inside the bytes asked for, for every buffer: the rest of a
 * partly covered page belongs to bytes the caller did not name (other parts of
 * the file, another buffer). For a buffer mmap4j did not map, {@code mprotect}
 * ({@link Rounding#EXACT}) requires page-aligned bytes.
 */
final class Ranges {

    /** How to round a range that is not page-aligned. */
    enum Rounding {
        /** To the enclosing pages: harmless calls (msync, mincore, mlock, most advice). */
        OUTWARD,
        /** To the pages wholly inside, for every buffer (discarding advice). */
        INWARD,
        /** Outward in mmap4j's mappings; elsewhere the range must be page-aligned (mprotect). */
        EXACT
    }

    /** A system call on a page-aligned range; returns {@code -errno} on failure. */
    interface Call {
        /**
         * Runs the call.
         *
         * @param keepAlive the buffer, kept reachable through the call.
         * @param address   page-aligned start.
         * @param length    length, a whole number of pages.
         * @param arg       the argument {@link Ranges#run} was given for it (advice, flags).
         * @return a non-negative result or {@code -errno}.
         */
        long run(Object keepAlive, long address, long length, int arg);
    }

    /**
     * Bytes a range call acts on: part of a direct buffer, or part of a
     * region mmap4j mapped (which may be larger than a buffer can be).
     * Checked only when run, so messages can name the call.
     */
    static final class Span {
        final Object owner;
        final Mapping mapping;
        final long base;
        final long size;
        final long offset;
        final long length;

        private Span(Object owner, Mapping mapping, long base, long size, long offset, long length) {
            this.owner = owner;
            this.mapping = mapping;
            this.base = base;
            this.size = size;
            this.offset = offset;
            this.length = length;
        }

        /**
         * Bytes {@code offset .. offset+length} of a buffer (checked when run).
         *
         * @param buffer a direct buffer, any kind.
         * @param offset first byte, from the buffer's index 0.
         * @param length bytes.
         * @return the span.
         */
        static Span of(ByteBuffer buffer, long offset, long length) {
            return new Span(buffer, null, 0, 0, offset, length);
        }

        /**
         * The whole of a direct buffer (checked when run).
         *
         * @param buffer a direct buffer.
         * @return the span of its bytes {@code 0 .. capacity}.
         */
        static Span of(ByteBuffer buffer) {
            return of(buffer, 0, Objects.requireNonNull(buffer, "buffer").capacity());
        }

        /**
         * Bytes {@code offset .. offset+length} of a region (checked when run).
         *
         * @param region  the region object, kept reachable through the call.
         * @param mapping the region's mapping.
         * @param base    the address of the region's byte 0.
         * @param size    the region's size.
         * @param offset  first byte, from the region's byte 0.
         * @param length  bytes.
         * @return the span.
         */
        static Span of(Object region, Mapping mapping, long base, long size, long offset, long length) {
            Objects.requireNonNull(region, "region");
            if (base < mapping.address() || size < 0 || size > mapping.address() + mapping.length() - base) {
                throw new IllegalArgumentException("a region's span must lie inside its mapping");
            }
            return new Span(region, mapping, base, size, offset, length);
        }
    }

    private Ranges() {
    }

    /**
     * Checks the span, rounds it to pages, and runs {@code call} on it while
     * the mapping it belongs to cannot close.
     *
     * <p>Only unpacks the span, so that the JIT inlines it into every caller and never allocates
     * the {@link Span} a call makes; the work is in the method it calls, which takes the span's
     * fields and, with the messages built elsewhere, is too large to be inlined into this one. The
     * calls take their argument through {@code arg} rather than capture it. So a range call on a
     * buffer allocates nothing (issue 27).
     *
     * @param name     the public method, for messages (e.g. {@code "madvise(DONTNEED)"}).
     * @param span     the bytes.
     * @param rounding how to round to pages.
     * @param call     the system call.
     * @param arg      the call's argument (advice, flags), passed to it as is.
     * @return the call's result; {@code 0} for an empty range.
     * @throws MmapException when the call fails.
     */
    static long run(String name, Span span, Rounding rounding, Call call, int arg) throws MmapException {
        return run(name, span.owner, span.mapping, span.base, span.size, span.offset, span.length, rounding, call,
                arg);
    }

    /** {@link #run(String, Span, Rounding, Call, int)} on a span's fields. */
    private static long run(String name, Object owner, Mapping region, long base, long size, long offset,
            long length, Rounding rounding, Call call, int arg) throws MmapException {
        long start;
        Mapping mapping = region;
        if (mapping != null) {
            if (offset < 0 || length < 0 || offset > size - length) {
                throw outOfRange(name, offset, length, size, "size", " of the region");
            }
            start = base + offset;
        } else {
            ByteBuffer buffer = (ByteBuffer) Objects.requireNonNull(owner, "buffer");
            if (!buffer.isDirect()) {
                throw notDirect(name);
            }
            int capacity = buffer.capacity();
            if (offset < 0 || length < 0 || offset > capacity - length) {
                throw outOfRange(name, offset, length, capacity, "capacity", "");
            }
            long address = BufferAddress.of(buffer);
            start = address + offset;
            mapping = Maps.find(buffer, address);
        }
        long end = start + length;
        long from;
        long to;
        if (rounding == Rounding.INWARD) {
            from = Platform.alignUp(start);
            to = Platform.alignDown(end);
        } else {
            from = Platform.alignDown(start);
            to = Platform.alignUp(end);
            if (mapping == null && rounding == Rounding.EXACT && (from != start || to != end)) {
                throw unaligned(name, start, length);
            }
        }
        if (mapping == null) {
            if (length == 0 || to <= from) {
                return 0;
            }
            long rc = call.run(owner, from, to - from, arg);
            return rc >= 0 ? rc : failed(rc, name, null, start, end);
        }
        mapping.acquire(name);
        try {
            Guard.checkIntact(mapping, name);
            if (length == 0 || to <= from) {
                return 0;
            }
            long rc = call.run(owner, from, to - from, arg);
            return rc >= 0 ? rc : failed(rc, name, mapping, start, end);
        } finally {
            mapping.release();
        }
    }

    private static IndexOutOfBoundsException outOfRange(String name, long offset, long length, long size,
            String sizeName, String of) {
        return new IndexOutOfBoundsException(name + ": offset=" + offset + " length=" + length + " " + sizeName
                + "=" + size + of);
    }

    private static IllegalArgumentException notDirect(String name) {
        return new IllegalArgumentException(name + ": needs a direct ByteBuffer (from Mmap.map, "
                + "FileChannel.map or ByteBuffer.allocateDirect); a heap buffer has no fixed address");
    }

    private static IllegalArgumentException unaligned(String name, long start, long length) {
        return new IllegalArgumentException(name + ": this buffer was not mapped by mmap4j, so the pages around "
                + "it may hold other data: the range must start and end on page boundaries (page size "
                + Platform.pageSize() + ", range starts at 0x" + Long.toHexString(start) + ", " + length
                + " bytes)");
    }

    /** Throws the call's {@code -errno} as an exception naming the bytes (of the mapping, when known). */
    private static long failed(long rc, String name, Mapping mapping, long start, long end) throws MmapException {
        return Errors.check(rc, name, mapping == null
                ? "address=0x" + Long.toHexString(start) + ", length=" + (end - start)
                : mapping.description() + ", bytes " + (start - mapping.address()) + ".."
                        + (end - mapping.address()) + " of the mapping");
    }

    // ---------------------------------------------------------------- the range calls

    // The calls run most often, made once: their argument comes through run's arg, so no call
    // captures one, and a range call allocates no call object (the JIT cannot remove one when a
    // program uses several of them: the call site in run sees each).
    private static final Call ADVISE = (keep, address, bytes, advice) -> Native.advise(keep, address, bytes, advice);
    private static final Call SYNC = (keep, address, bytes, bits) -> Native.sync(keep, address, bytes, bits);
    private static final Call LOCK = (keep, address, bytes, unused) -> Native.lock(keep, address, bytes);
    private static final Call UNLOCK = (keep, address, bytes, unused) -> Native.unlock(keep, address, bytes);

    /** {@code madvise}: discarding advice rounds inward (a partly covered page is not the caller's). */
    static void advise(String call, Span span, int advice, boolean discards) throws MmapException {
        run(call, span, discards ? Rounding.INWARD : Rounding.OUTWARD, ADVISE, advice);
    }

    /** {@code msync} with {@code Native.SYNC_*} bits. */
    static void sync(String call, Span span, int bits) throws MmapException {
        run(call, span, Rounding.OUTWARD, SYNC, bits);
    }

    /**
     * Most pages a residency answer keeps one bit each for (2 MiB of bits: 64 GiB of 4 KiB
     * pages); a larger range, possible only for a region, is counted without them, so asking
     * about a huge {@code NORESERVE} region cannot exhaust the heap.
     */
    static final long MAX_DETAIL_PAGES = 1L << 24;

    /** {@code mincore}: pages, resident pages and, up to {@link #MAX_DETAIL_PAGES}, one bit per page. */
    static PageCount residency(Span span) throws MmapException {
        final long[][] bits = {null};
        final long[] pages = new long[1];
        long resident = run("mincore", span, Rounding.OUTWARD, (keep, address, bytes, unused) -> {
            pages[0] = bytes / Platform.pageSize();
            bits[0] = pages[0] <= MAX_DETAIL_PAGES ? new long[(int) ((pages[0] + 63) >>> 6)] : null;
            return Native.residency(keep, address, bytes, bits[0]);
        }, 0);
        return new PageCount(pages[0], resident, pages[0] == 0 ? new long[0] : bits[0]);
    }

    /** {@code mlock}. */
    static void lock(Span span) throws MmapException {
        run("mlock", span, Rounding.OUTWARD, LOCK, 0);
    }

    /** {@code munlock}. */
    static void unlock(Span span) throws MmapException {
        run("munlock", span, Rounding.OUTWARD, UNLOCK, 0);
    }

    /**
     * {@code mprotect} with {@code Native.PROT_*} bits, exactly the pages given; the SIGSEGV forwarder
     * covers an mmap4j mapping before its pages lose an access its buffers may still attempt.
     */
    static void protect(String call, Span span, int bits) throws MmapException {
        run(call, span, Rounding.EXACT, (keep, address, bytes, unused) -> {
            // Before the pages lose access: a fault right after must already be forwarded.
            Mapping mapping = Mappings.find(address);
            if (mapping != null && mapping.isReservation()) {
                throw new UnsupportedOperationException(call + ": not offered on a GrowableRegion's views (a part "
                        + "mapped by a later grow would not carry the protection); map the file with Mmap.map or "
                        + "Mmap.mapRegion to protect it");
            }
            if (mapping != null && Guard.needed(bits, mapping.protection())) {
                Guard.cover(mapping);
            }
            long rc = Native.protect(keep, address, bytes, bits);
            if (rc >= 0 && mapping != null) {
                mapping.protectedAs(address, address + bytes, bits);
            }
            return rc;
        }, bits);
    }

    /** What {@link #residency} found. */
    static final class PageCount {
        /** Pages in the range. */
        final long pages;
        /** Pages in memory. */
        final long resident;
        /** One bit per page (bit {@code i} of word {@code i / 64}), or null when not asked for. */
        final long[] bits;

        PageCount(long pages, long resident, long[] bits) {
            this.pages = pages;
            this.resident = resident;
            this.bits = bits;
        }
    }
}
