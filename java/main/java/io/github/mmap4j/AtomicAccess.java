/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The memory accesses behind {@code Atomics}: one {@link MethodHandle} per access mode and word
 * size, all of one shape, {@code (ByteBuffer buffer, int index, long address, long a, long b) -> long},
 * so that the {@code int} and {@code long} families and all six modes run through one checked
 * path, {@link #access}.
 *
 * <p><b>JDK 9 and later</b>: the access mode of the {@code VarHandle} that
 * {@code MethodHandles.byteBufferViewVarHandle(int[].class or long[].class, ByteOrder.nativeOrder())}
 * returns, as {@code VarHandle.toMethodHandle(mode)} (it ignores {@code address}). <b>JDK 8</b>:
 * the {@code sun.misc.Unsafe} method at the absolute address (it ignores {@code buffer} and
 * {@code index}); Unsafe is silent on JDK 8 and never touched from JDK 9 on, so JDK 23+ prints no
 * "terminally deprecated method in sun.misc.Unsafe" warning, and no access needs the native library.
 *
 * <p>Both are looked up reflectively once, so this class is Java 8 bytecode that picks its path
 * at run time, whatever the class path is (a directory, the jar, a fat jar re-packed without a
 * {@code Multi-Release} attribute). Kept in {@code static final} fields, the handles are constants
 * to the JIT, which inlines {@code invokeExact} down to the VarHandle's or Unsafe's own
 * intrinsic: the same {@code lock cmpxchg} / {@code lock xadd} / {@code xchg} a direct call
 * compiles to (measured in {@code java/bench}, {@code AtomicsBench}).
 */
final class AtomicAccess {

    /** Whether the VarHandle path is used (JDK 9+); otherwise Unsafe (JDK 8). */
    static final boolean VAR_HANDLES = Jdk.major() >= 9;

    private static final Object UNSAFE = VAR_HANDLES ? null : unsafe();
    /** JDK 9+: {@code ByteBuffer.alignmentOffset(int, int)}. JDK 8: null. */
    private static final MethodHandle ALIGNMENT = VAR_HANDLES ? alignmentOffset() : null;
    private static final Object INT_VIEW = VAR_HANDLES ? view(int[].class) : null;
    private static final Object LONG_VIEW = VAR_HANDLES ? view(long[].class) : null;
    /** {@code () -> void}: {@code VarHandle.acquireFence()} (JDK 9+) or {@code Unsafe.loadFence()} (JDK 8). */
    private static final MethodHandle LOAD_FENCE = loadFenceHandle();
    /** The shape of every handle {@link #handle} returns. */
    private static final MethodType SHAPE = MethodType.methodType(long.class, ByteBuffer.class, int.class,
            long.class, long.class, long.class);

    private AtomicAccess() {
    }

    /**
     * The handle for one access mode and word size, in the one shape every access shares:
     * {@code (ByteBuffer buffer, int index, long address, long a, long b) -> long}. An {@code int}
     * word's values are narrowed on the way in and widened on the way out, a {@code boolean}
     * result is {@code 1} or {@code 0}, a {@code void} one {@code 0}, and the value parameters an
     * access does not take are dropped; so {@link #access} serves all twelve operations.
     *
     * @param mode the {@code VarHandle.AccessMode} name, e.g. {@code "COMPARE_AND_SET"}.
     * @param word {@code int.class} or {@code long.class}.
     * @return a handle of the shared shape.
     */
    static MethodHandle handle(String mode, Class<?> word) {
        try {
            Mode m = Mode.valueOf(mode);
            Class<?>[] values = new Class<?>[m.values];
            Arrays.fill(values, word);
            Class<?> returns = m.returns == null ? word : m.returns;
            MethodHandle h;
            if (VAR_HANDLES) {
                Class<?> varHandle = Class.forName("java.lang.invoke.VarHandle");
                Class<?> modes = Class.forName("java.lang.invoke.VarHandle$AccessMode");
                Object accessMode = modes.getMethod("valueOf", String.class).invoke(null, mode);
                Object view = word == int.class ? INT_VIEW : LONG_VIEW;
                h = (MethodHandle) varHandle.getMethod("toMethodHandle", modes).invoke(view, accessMode);
                h = MethodHandles.dropArguments(h, 2, long.class);
            } else {
                Class<?>[] parameters = new Class<?>[values.length + 2];
                parameters[0] = Object.class;
                parameters[1] = long.class;
                System.arraycopy(values, 0, parameters, 2, values.length);
                String unsafeMethod = String.format(m.unsafeMethod, word == int.class ? "Int" : "Long");
                h = MethodHandles.lookup().findVirtual(UNSAFE.getClass(), unsafeMethod,
                        MethodType.methodType(returns, parameters)).bindTo(UNSAFE);
                // A null base makes the offset an absolute address.
                h = MethodHandles.insertArguments(h, 0, (Object) null);
                h = MethodHandles.dropArguments(h, 0, ByteBuffer.class, int.class);
            }
            MethodType expected = MethodType.methodType(returns, ByteBuffer.class, int.class, long.class)
                    .appendParameterTypes(values);
            if (!h.type().equals(expected)) {
                throw new IllegalStateException(mode + ": " + h.type() + " is not " + expected);
            }
            for (int unused = values.length; unused < 2; unused++) {
                h = MethodHandles.dropArguments(h, h.type().parameterCount(), long.class);
            }
            return MethodHandles.explicitCastArguments(h, SHAPE);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(initFailure(mode + " for " + word, e));
        }
    }

    /**
     * One checked access, the body of every {@code Atomics} method: the word checked by
     * {@link Words#check}, then {@code handle} run at its address. Called with a
     * {@code static final} handle, so once inlined the handle is a constant and
     * {@code invokeExact} compiles to the access's own instruction.
     *
     * @param handle a handle of {@link #handle}.
     * @param call   the public method, for messages.
     * @param size   4 or 8.
     * @param write  whether the access writes.
     * @param buffer the buffer.
     * @param index  the byte index of the word.
     * @param a      the first value (the new value, the delta, or the expected value), if any.
     * @param b      the second value (the new value of a compare-and-set), if any.
     * @return what the access returns, as {@link #handle} widens it.
     */
    static long access(MethodHandle handle, String call, int size, boolean write, ByteBuffer buffer,
                              int index, long a, long b) {
        Words.Entry word = Words.check(call, buffer, index, size, write);
        try {
            return (long) handle.invokeExact(buffer, index, word.at(index), a, b);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** The access modes {@code Atomics} offers: how many values each takes, and what returns. */
    private enum Mode {
        GET_VOLATILE("get%sVolatile", 0, null),
        SET_VOLATILE("put%sVolatile", 1, void.class),
        SET_RELEASE("putOrdered%s", 1, void.class),
        COMPARE_AND_SET("compareAndSwap%s", 2, boolean.class),
        GET_AND_ADD("getAndAdd%s", 1, null),
        GET_AND_SET("getAndSet%s", 1, null);

        /** The {@code sun.misc.Unsafe} method, {@code %s} standing for {@code Int} or {@code Long}. */
        final String unsafeMethod;
        final int values;
        /** What it returns; {@code null} for the word itself. */
        final Class<?> returns;

        Mode(String unsafeMethod, int values, Class<?> returns) {
            this.unsafeMethod = unsafeMethod;
            this.values = values;
            this.returns = returns;
        }
    }

    /**
     * The address of a direct buffer's index 0 modulo 8.
     *
     * @param buffer  a direct buffer.
     * @param address its address if known, else {@code 0}.
     * @return {@code address & 7}, or on JDK 9+ {@code buffer.alignmentOffset(0, 8)}.
     */
    static int alignment(ByteBuffer buffer, long address) {
        if (address != 0 || !VAR_HANDLES) {
            return (int) address & 7;
        }
        try {
            return (int) ALIGNMENT.invokeExact(buffer, 0, 8);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /**
     * What a handle threw, as an unchecked throwable: the accesses throw only runtime
     * exceptions (the checks before them make even those unlikely).
     *
     * @param t what {@code invokeExact} threw.
     * @return the throwable to throw.
     */
    static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    private static Object view(Class<?> arrayClass) {
        try {
            Method view = MethodHandles.class.getMethod("byteBufferViewVarHandle", Class.class, ByteOrder.class);
            return view.invoke(null, arrayClass, ByteOrder.nativeOrder());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(initFailure("byteBufferViewVarHandle", e));
        }
    }

    private static MethodHandle alignmentOffset() {
        try {
            return MethodHandles.publicLookup().findVirtual(ByteBuffer.class, "alignmentOffset",
                    MethodType.methodType(int.class, int.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(initFailure("ByteBuffer.alignmentOffset", e));
        }
    }

    /**
     * Keeps every load before the call before every load and store after it (a LoadLoad and
     * LoadStore barrier): a reader that then sees its mapping still open knows that every byte it
     * read before came from the file, not from the cover a close puts there.
     */
    static void loadFence() {
        try {
            LOAD_FENCE.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle loadFenceHandle() {
        try {
            if (VAR_HANDLES) {
                return MethodHandles.publicLookup().findStatic(Class.forName("java.lang.invoke.VarHandle"),
                        "acquireFence", MethodType.methodType(void.class));
            }
            return MethodHandles.lookup().findVirtual(UNSAFE.getClass(), "loadFence",
                    MethodType.methodType(void.class)).bindTo(UNSAFE);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(initFailure("a load fence", e));
        }
    }

    private static Object unsafe() {
        try {
            Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(initFailure("sun.misc.Unsafe", e));
        }
    }

    private static String initFailure(String what, Exception e) {
        return "mmap4j: atomic access needs " + what + " (Java " + System.getProperty("java.version") + ", "
                + System.getProperty("java.vm.name") + "): " + e;
    }
}
