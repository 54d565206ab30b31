/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * Atomic access to an {@code int} or {@code long} in any direct buffer: mmap4j's
 * ({@link Mmap#map}, {@link SharedMemory}), the JDK's {@code MappedByteBuffer}, or
 * {@code ByteBuffer.allocateDirect}. On memory two processes map (a shared file, a
 * {@link SharedMemory} object), these are real hardware atomics on the shared bytes, so
 * they coordinate processes as well as threads, JVMs and C programs alike (C11
 * {@code <stdatomic.h>} on the same word sees the same values).
 *
 * <pre>{@code
 * ByteBuffer shm = SharedMemory.map("/counters", 0, 4096, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
 * long ticket = Atomics.getAndAddLong(shm, 0, 1);          // lock xadd, seen by every process
 * if (Atomics.compareAndSetInt(shm, 64, 0, 1)) { ... }       // a flag only one process wins
 * }</pre>
 *
 * <p><b>Index and alignment.</b> {@code index} counts bytes from the buffer's start (its position
 * does not matter) and the word must lie below the buffer's limit, as for
 * {@code ByteBuffer.getInt(int)}. The word's absolute address must be a multiple of its size (4
 * for {@code int}, 8 for {@code long}). Buffers of {@link SharedMemory}, of a file mapped from
 * an offset that is a multiple of 8, and of {@code allocateDirect} start at such an address, so
 * there any index that is a multiple of the size is right; a slice may shift that.
 *
 * <p><b>Byte order</b> is the platform's native order (little-endian on x86_64 and aarch64),
 * whatever the buffer's {@code order()}: what C's atomics use on the same memory. Read such a
 * word with {@code buffer.order(ByteOrder.nativeOrder())} if you also read it plainly.
 *
 * <p><b>Memory ordering</b> follows {@code java.lang.invoke.VarHandle}: volatile accesses and
 * the read-modify-write operations are sequentially consistent; {@code setRelease} orders the
 * writes before it (C11 {@code memory_order_release}), which is all a single writer publishing
 * data needs.
 *
 * <p><b>How.</b> JDK 9 and later: the {@code VarHandle} of
 * {@code MethodHandles.byteBufferViewVarHandle(int[].class / long[].class, ByteOrder.nativeOrder())}.
 * JDK 8: {@code sun.misc.Unsafe} at the buffer's address (silent on JDK 8; never used on later
 * JDKs, so JDK 23+ prints no Unsafe warning). Neither needs the native library or
 * {@code --enable-native-access}.
 *
 * <p><b>Errors</b>, all raised before the access: {@code NullPointerException} for a null buffer;
 * {@code IllegalArgumentException} for a heap buffer or a misaligned address (the message names
 * the address); {@code ReadOnlyBufferException} for a write to a read-only buffer;
 * {@code IllegalStateException} for a buffer whose mmap4j mapping was unmapped;
 * {@code IndexOutOfBoundsException} for a word not wholly below the limit.
 *
 * <p>All methods are thread-safe. They do not keep an mmap4j mapping open while they run: an
 * access that races with {@link Mmap#unmap} on another thread lands on the quarantine memory
 * that covers a closed range (it reads zeros, its writes go nowhere) and cannot crash the JVM.
 */
public final class Atomics {

    // One handle per operation and word size (constants to the JIT), all of one shape: every
    // method below is one call of AtomicAccess.access, the int and long families alike.
    private static final MethodHandle GET_INT = AtomicAccess.handle("GET_VOLATILE", int.class);
    private static final MethodHandle GET_LONG = AtomicAccess.handle("GET_VOLATILE", long.class);
    private static final MethodHandle SET_INT = AtomicAccess.handle("SET_VOLATILE", int.class);
    private static final MethodHandle SET_LONG = AtomicAccess.handle("SET_VOLATILE", long.class);
    private static final MethodHandle CAS_INT = AtomicAccess.handle("COMPARE_AND_SET", int.class);
    private static final MethodHandle CAS_LONG = AtomicAccess.handle("COMPARE_AND_SET", long.class);
    private static final MethodHandle ADD_INT = AtomicAccess.handle("GET_AND_ADD", int.class);
    private static final MethodHandle ADD_LONG = AtomicAccess.handle("GET_AND_ADD", long.class);
    private static final MethodHandle RELEASE_INT = AtomicAccess.handle("SET_RELEASE", int.class);
    private static final MethodHandle RELEASE_LONG = AtomicAccess.handle("SET_RELEASE", long.class);
    private static final MethodHandle SWAP_INT = AtomicAccess.handle("GET_AND_SET", int.class);
    private static final MethodHandle SWAP_LONG = AtomicAccess.handle("GET_AND_SET", long.class);

    private Atomics() {
    }

    // ---------------------------------------------------------------- each operation, int then long

    /**
     * Reads an {@code int} with volatile semantics: {@code VarHandle.getVolatile} (JDK 9+),
     * {@code Unsafe.getIntVolatile} (JDK 8); C11 {@code atomic_load}.
     *
     * @param buffer a direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 4.
     * @return the value.
     */
    public static int getIntVolatile(ByteBuffer buffer, int index) {
        return (int) AtomicAccess.access(GET_INT, "getIntVolatile", 4, false, buffer, index, 0, 0);
    }

    /**
     * Reads a {@code long} with volatile semantics: {@code VarHandle.getVolatile} (JDK 9+),
     * {@code Unsafe.getLongVolatile} (JDK 8); C11 {@code atomic_load}.
     *
     * @param buffer a direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 8.
     * @return the value.
     */
    public static long getLongVolatile(ByteBuffer buffer, int index) {
        return AtomicAccess.access(GET_LONG, "getLongVolatile", 8, false, buffer, index, 0, 0);
    }

    /**
     * Writes an {@code int} with volatile semantics: {@code VarHandle.setVolatile} (JDK 9+),
     * {@code Unsafe.putIntVolatile} (JDK 8); C11 {@code atomic_store}.
     *
     * @param buffer a writable direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 4.
     * @param value  the new value.
     */
    public static void setIntVolatile(ByteBuffer buffer, int index, int value) {
        AtomicAccess.access(SET_INT, "setIntVolatile", 4, true, buffer, index, value, 0);
    }

    /**
     * Writes a {@code long} with volatile semantics: {@code VarHandle.setVolatile} (JDK 9+),
     * {@code Unsafe.putLongVolatile} (JDK 8); C11 {@code atomic_store}.
     *
     * @param buffer a writable direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 8.
     * @param value  the new value.
     */
    public static void setLongVolatile(ByteBuffer buffer, int index, long value) {
        AtomicAccess.access(SET_LONG, "setLongVolatile", 8, true, buffer, index, value, 0);
    }

    /**
     * Sets an {@code int} to {@code value} if it holds {@code expected}, atomically:
     * {@code VarHandle.compareAndSet} (JDK 9+), {@code Unsafe.compareAndSwapInt} (JDK 8); C11
     * {@code atomic_compare_exchange_strong}.
     *
     * @param buffer   a writable direct buffer.
     * @param index    byte index of the word; its address must be a multiple of 4.
     * @param expected the value it must hold.
     * @param value    the new value.
     * @return {@code true} when it held {@code expected} and now holds {@code value}.
     */
    public static boolean compareAndSetInt(ByteBuffer buffer, int index, int expected, int value) {
        return AtomicAccess.access(CAS_INT, "compareAndSetInt", 4, true, buffer, index, expected, value) != 0;
    }

    /**
     * Sets a {@code long} to {@code value} if it holds {@code expected}, atomically:
     * {@code VarHandle.compareAndSet} (JDK 9+), {@code Unsafe.compareAndSwapLong} (JDK 8); C11
     * {@code atomic_compare_exchange_strong}.
     *
     * @param buffer   a writable direct buffer.
     * @param index    byte index of the word; its address must be a multiple of 8.
     * @param expected the value it must hold.
     * @param value    the new value.
     * @return {@code true} when it held {@code expected} and now holds {@code value}.
     */
    public static boolean compareAndSetLong(ByteBuffer buffer, int index, long expected, long value) {
        return AtomicAccess.access(CAS_LONG, "compareAndSetLong", 8, true, buffer, index, expected, value) != 0;
    }

    /**
     * Adds to an {@code int} atomically and returns the value before: {@code VarHandle.getAndAdd}
     * (JDK 9+), {@code Unsafe.getAndAddInt} (JDK 8); C11 {@code atomic_fetch_add}. Wraps around
     * on overflow.
     *
     * @param buffer a writable direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 4.
     * @param delta  what to add (negative to subtract).
     * @return the value before the addition.
     */
    public static int getAndAddInt(ByteBuffer buffer, int index, int delta) {
        return (int) AtomicAccess.access(ADD_INT, "getAndAddInt", 4, true, buffer, index, delta, 0);
    }

    /**
     * Adds to a {@code long} atomically and returns the value before: {@code VarHandle.getAndAdd}
     * (JDK 9+), {@code Unsafe.getAndAddLong} (JDK 8); C11 {@code atomic_fetch_add}. Wraps around
     * on overflow.
     *
     * @param buffer a writable direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 8.
     * @param delta  what to add (negative to subtract).
     * @return the value before the addition.
     */
    public static long getAndAddLong(ByteBuffer buffer, int index, long delta) {
        return AtomicAccess.access(ADD_LONG, "getAndAddLong", 8, true, buffer, index, delta, 0);
    }

    /**
     * Writes an {@code int} with release semantics (earlier writes become visible first):
     * {@code VarHandle.setRelease} (JDK 9+), {@code Unsafe.putOrderedInt} (JDK 8); C11
     * {@code atomic_store_explicit(memory_order_release)}. Cheaper than a volatile write.
     *
     * @param buffer a writable direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 4.
     * @param value  the new value.
     */
    public static void setIntRelease(ByteBuffer buffer, int index, int value) {
        AtomicAccess.access(RELEASE_INT, "setIntRelease", 4, true, buffer, index, value, 0);
    }

    /**
     * Writes a {@code long} with release semantics (earlier writes become visible first):
     * {@code VarHandle.setRelease} (JDK 9+), {@code Unsafe.putOrderedLong} (JDK 8); C11
     * {@code atomic_store_explicit(memory_order_release)}. Cheaper than a volatile write.
     *
     * @param buffer a writable direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 8.
     * @param value  the new value.
     */
    public static void setLongRelease(ByteBuffer buffer, int index, long value) {
        AtomicAccess.access(RELEASE_LONG, "setLongRelease", 8, true, buffer, index, value, 0);
    }

    /**
     * Sets an {@code int} atomically and returns the value before: {@code VarHandle.getAndSet}
     * (JDK 9+), {@code Unsafe.getAndSetInt} (JDK 8); C11 {@code atomic_exchange}.
     *
     * @param buffer a writable direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 4.
     * @param value  the new value.
     * @return the value before.
     */
    public static int getAndSetInt(ByteBuffer buffer, int index, int value) {
        return (int) AtomicAccess.access(SWAP_INT, "getAndSetInt", 4, true, buffer, index, value, 0);
    }


    /**
     * Sets a {@code long} atomically and returns the value before: {@code VarHandle.getAndSet}
     * (JDK 9+), {@code Unsafe.getAndSetLong} (JDK 8); C11 {@code atomic_exchange}.
     *
     * @param buffer a writable direct buffer.
     * @param index  byte index of the word; its address must be a multiple of 8.
     * @param value  the new value.
     * @return the value before.
     */
    public static long getAndSetLong(ByteBuffer buffer, int index, long value) {
        return AtomicAccess.access(SWAP_LONG, "getAndSetLong", 8, true, buffer, index, value, 0);
    }
}
