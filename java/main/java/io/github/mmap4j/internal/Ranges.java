/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import io.github.mmap4j.MmapException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns "these bytes of this buffer" into the page-aligned range a system call
 * needs, and runs the call while the mapping cannot be closed under it.
 *
 * <p>Any direct buffer works: mmap4j's, the JDK's {@code MappedByteBuffer},
 * {@code allocateDirect}, slices of each. The range is rounded outward to
 * whole pages, which stays inside the mapping for every mapped buffer. For a
 * buffer mmap4j did not map, the pages around it may hold other data, so calls
 * that could destroy data there ({@link Rounding#INWARD}) use only the pages
 * wholly inside the bytes asked for, and {@code mprotect}
 * ({@link Rounding#EXACT}) requires page-aligned bytes.
 */
public final class Ranges {

    /** How to round a range that is not page-aligned. */
    public enum Rounding {
        /** To the enclosing pages: harmless calls (msync, mincore, mlock, most advice). */
        OUTWARD,
        /** Outward in mmap4j's mappings; elsewhere to the pages wholly inside (discarding advice). */
        INWARD,
        /** Outward in mmap4j's mappings; elsewhere the range must be page-aligned (mprotect). */
        EXACT
    }

    /** A system call on a page-aligned range; returns {@code -errno} on failure. */
    public interface Call {
        /**
         * Runs the call.
         *
         * @param keepAlive the buffer, kept reachable through the call.
         * @param address   page-aligned start.
         * @param length    length, a whole number of pages.
         * @return a non-negative result or {@code -errno}.
         */
        long run(Object keepAlive, long address, long length);
    }

    private Ranges() {
    }

    /**
     * The page-aligned start of the range {@link #run} would use, for
     * numbering pages (residency).
     *
     * @param buffer a direct buffer.
     * @param offset offset in the buffer.
     * @return the start address rounded down to a page.
     */
    public static long alignedStart(ByteBuffer buffer, long offset) {
        return Platform.alignDown(Native.address(buffer) + offset);
    }

    /**
     * Checks the buffer and range, rounds it, and runs {@code call} on it.
     *
     * @param name     the public method, for messages (e.g. {@code "madvise(DONTNEED)"}).
     * @param buffer   a direct buffer.
     * @param offset   first byte, relative to the buffer's start (index 0, not its position).
     * @param length   bytes; {@code 0} does nothing.
     * @param rounding how to round to pages.
     * @param call     the system call.
     * @return the call's result; {@code 0} for an empty range.
     * @throws MmapException when the call fails.
     */
    public static long run(String name, ByteBuffer buffer, long offset, long length, Rounding rounding, Call call)
            throws MmapException {
        return run(name, null, buffer, offset, length, rounding, call);
    }

    /**
     * As {@link #run(String, ByteBuffer, long, long, Rounding, Call)}, with the
     * method's name given in two parts that are joined only for a message: the
     * success path builds no string (it is the hot path of {@code advise}/{@code sync}).
     *
     * @param call     the system call, e.g. {@code "madvise"}.
     * @param detail   {@code null}; an array, shown as {@code call[a, b]}; or a value, shown as {@code call(v)}.
     * @param buffer   a direct buffer.
     * @param offset   first byte, relative to the buffer's start (index 0, not its position).
     * @param length   bytes; {@code 0} does nothing.
     * @param rounding how to round to pages.
     * @param run      the system call.
     * @return the call's result; {@code 0} for an empty range.
     * @throws MmapException when the call fails.
     */
    public static long run(String call, Object detail, ByteBuffer buffer, long offset, long length,
                           Rounding rounding, Call run) throws MmapException {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(name(call, detail) + ": needs a direct ByteBuffer (from Mmap.map, "
                    + "FileChannel.map or ByteBuffer.allocateDirect); a heap buffer has no fixed address");
        }
        int capacity = buffer.capacity();
        if (offset < 0 || length < 0 || offset > capacity - length) {
            throw new IndexOutOfBoundsException(name(call, detail) + ": offset=" + offset + " length=" + length
                    + " capacity=" + capacity);
        }
        long start = Native.address(buffer) + offset;
        long end = start + length;
        Mapping mapping = Mappings.find(start);
        long from = Platform.alignDown(start);
        long to = Platform.alignUp(end);
        if (mapping == null && rounding == Rounding.INWARD) {
            from = Platform.alignUp(start);
            to = Platform.alignDown(end);
        } else if (mapping == null && rounding == Rounding.EXACT && (from != start || to != end)) {
            throw new IllegalArgumentException(name(call, detail) + ": this buffer was not mapped by mmap4j, so the "
                    + "pages around it may hold other data: the range must start and end on page boundaries (page size "
                    + Platform.pageSize() + ", range starts at 0x" + Long.toHexString(start) + ", " + length
                    + " bytes)");
        }
        if (mapping == null) {
            if (length == 0 || to <= from) {
                return 0;
            }
            long rc = run.run(buffer, from, to - from);
            return rc >= 0 ? rc : Errors.check(rc, name(call, detail), describe(start, length));
        }
        if (mapping.isClosed()) {
            throw mapping.closedError(name(call, detail));
        }
        mapping.acquire(call);
        try {
            if (length == 0) {
                return 0;
            }
            long rc = run.run(buffer, from, to - from);
            return rc >= 0 ? rc : Errors.check(rc, name(call, detail), mapping.description() + ", bytes "
                    + (start - mapping.address()) + ".." + (end - mapping.address()) + " of the mapping");
        } finally {
            mapping.release();
        }
    }

    private static String name(String call, Object detail) {
        if (detail == null) {
            return call;
        }
        return detail instanceof Object[] ? call + Arrays.toString((Object[]) detail) : call + "(" + detail + ")";
    }

    private static String describe(long start, long length) {
        return "address=0x" + Long.toHexString(start) + ", length=" + length;
    }
}
