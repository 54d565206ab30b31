/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Jdk;

import java.lang.ref.WeakReference;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * The checks before an atomic or futex access to a word of a direct buffer, with what they need
 * to know about the buffer cached per buffer object, so that the usual call is a few loads and
 * compares.
 *
 * <p>Checks, in this order: a null buffer ({@code NullPointerException}), a heap buffer
 * ({@code IllegalArgumentException}), a write to a read-only buffer
 * ({@code ReadOnlyBufferException}), a closed mmap4j mapping ({@code IllegalStateException}, found
 * with {@link Mappings#find}, the lookup the range calls use), an index outside
 * {@code 0 .. limit - size} ({@code IndexOutOfBoundsException}; the limit, as for
 * {@code ByteBuffer.getInt(index)} and the JDK's {@code VarHandle}s), an absolute address that is
 * not a multiple of the word size ({@code IllegalArgumentException} naming it).
 *
 * <p>The cache: {@value #SLOTS} slots chosen by {@code System.identityHashCode}; an entry is a weak
 * reference to the buffer (it never keeps a buffer, so never a mapping's range, alive) with facts
 * that cannot change for that buffer object: whether it is read-only, its address where known,
 * the mmap4j mapping that holds it. Only the mapping's closed state changes, and it is read from
 * the mapping on every call. Entries are immutable and published through a plain array: a thread
 * that sees an older entry, or none, looks the buffer up again. Atomics do not hold the mapping
 * open as range calls do ({@link Mapping#acquire}): a closed range is covered by readable,
 * writable quarantine memory until no buffer can reach it, so an access racing with a close
 * cannot fault; it reads zeros or writes where nobody looks, as any stale view does.
 */
final class Words {

    private static final int SLOTS = 64;
    private static final Entry[] SEEN = new Entry[SLOTS];

    /** What a check learned about one buffer object. */
    static final class Entry extends WeakReference<ByteBuffer> {
        final boolean readOnly;
        /** The mmap4j mapping holding the buffer, or {@code null}. */
        final Mapping mapping;
        /** The buffer's address, or {@code 0} where unknown (JDK 9+ while mmap4j has mapped nothing). */
        final long address;
        /** {@code address % 8}. */
        final int alignment;

        Entry(ByteBuffer buffer, Mapping mapping, long address, int alignment) {
            super(buffer);
            this.readOnly = buffer.isReadOnly();
            this.mapping = mapping;
            this.address = address;
            this.alignment = alignment;
        }

        /**
         * The mmap4j mapping that holds the buffer.
         *
         * @return the mapping, or {@code null} for other buffers.
         */
        Mapping mapping() {
            return mapping;
        }

        /**
         * The absolute address of a byte of the buffer, for the Unsafe path (JDK 8, where it is
         * always known).
         *
         * @param index the byte index.
         * @return the address, or a meaningless value on JDK 9+ (where the VarHandle needs none).
         */
        long at(int index) {
            return address + index;
        }

        /**
         * The absolute address of a byte of the buffer, for native calls.
         *
         * @param buffer the buffer this entry is for.
         * @param index  the byte index.
         * @return the address (asked of the native library when not cached).
         */
        long nativeAddress(ByteBuffer buffer, int index) {
            return (address != 0 ? address : BufferAddress.of(buffer)) + index;
        }
    }

    private Words() {
    }

    /**
     * Checks an access of {@code size} bytes at {@code index}.
     *
     * @param call   the public method, for messages.
     * @param buffer the buffer.
     * @param index  the byte index from the buffer's start (its position does not matter).
     * @param size   4 or 8.
     * @param write  whether the access writes.
     * @return what is known about the buffer.
     */
    static Entry check(String call, ByteBuffer buffer, int index, int size, boolean write) {
        Objects.requireNonNull(buffer, "buffer");
        int slot = System.identityHashCode(buffer) & (SLOTS - 1);
        Entry entry = SEEN[slot];
        if (entry == null || entry.get() != buffer) {
            entry = remember(call, buffer, slot);
        }
        if (write && entry.readOnly) {
            throw new ReadOnlyBufferException();
        }
        Mapping mapping = entry.mapping;
        if (mapping != null && mapping.isClosed()) {
            throw mapping.closedError(call);
        }
        int limit = buffer.limit();
        if (index < 0 || index > limit - size) {
            throw outOfBounds(call, index, size, limit);
        }
        if (((entry.alignment + index) & (size - 1)) != 0) {
            throw misaligned(call, buffer, entry, index, size);
        }
        if (mapping != null && !mapping.allows(entry.address + index, write)) {
            throw new IllegalStateException(call + ": the page holding address 0x" + Long.toHexString(entry.address
                    + index) + " (index " + index + ") has no " + (write ? "READ and WRITE" : "READ") + " access "
                    + "(Mmap.protect, or the protection it was mapped with) in " + mapping.description() + ": an "
                    + "atomic access there would fault; give the page that access with Mmap.protect first");
        }
        return entry;
    }

    private static Entry remember(String call, ByteBuffer buffer, int slot) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(call + ": needs a direct ByteBuffer (from Mmap.map, SharedMemory, "
                    + "FileChannel.map or ByteBuffer.allocateDirect); a heap buffer has no fixed address, and no "
                    + "other process can see it");
        }
        long address = BufferAddress.inJava(buffer);
        // Only a buffer mmap4j mapped can be closed; while it maps nothing, the library need not load.
        if (address == 0 && Mappings.size() > 0) {
            address = BufferAddress.of(buffer);
        }
        Mapping mapping = address == 0 ? null : Maps.find(buffer, address);
        Entry entry = new Entry(buffer, mapping, address, AtomicAccess.alignment(buffer, address));
        SEEN[slot] = entry;
        return entry;
    }

    private static IndexOutOfBoundsException outOfBounds(String call, int index, int size, int limit) {
        return new IndexOutOfBoundsException(call + ": index=" + index + " size=" + size + " limit=" + limit
                + ": the word must lie within the buffer's limit (indices count from the buffer's start; its "
                + "position does not matter)");
    }

    private static IllegalArgumentException misaligned(String call, ByteBuffer buffer, Entry entry, int index,
                                                       int size) {
        String at = entry.address != 0 ? "0x" + Long.toHexString(entry.address + index) : describe(buffer, index);
        return new IllegalArgumentException(call + ": address " + at + " (index " + index + ") is not a multiple of "
                + size + ": atomic access needs a naturally aligned word (an index that makes the address a "
                + "multiple of " + size + ")");
    }

    /** The address for a message, without loading the native library on a JDK that would warn. */
    private static String describe(ByteBuffer buffer, int index) {
        try {
            if (Jdk.major() >= 22) {
                // The FFM API reads a buffer's address without native access (and without a warning).
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                Object s = segment.getMethod("ofBuffer", Buffer.class).invoke(null, buffer);
                return "0x" + Long.toHexString((long) segment.getMethod("address").invoke(s) + index);
            }
            return "0x" + Long.toHexString(BufferAddress.of(buffer) + index);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "<buffer address + " + index + ">";
        }
    }
}
