/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The memory accesses behind {@code Atomics}: one {@link MethodHandle} per access mode and word
 * size, all of one shape, {@code (ByteBuffer buffer, int index, long address, values...)}.
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
public final class AtomicAccess {

    /** Whether the VarHandle path is used (JDK 9+); otherwise Unsafe (JDK 8). */
    static final boolean VAR_HANDLES = Jdk.major() >= 9;

    private static final Object UNSAFE = VAR_HANDLES ? null : unsafe();
    /** JDK 8: {@code (ByteBuffer) -> long}, the buffer's {@code address} field. JDK 9+: null. */
    private static final MethodHandle ADDRESS = VAR_HANDLES ? null : addressReader();
    /** JDK 9+: {@code ByteBuffer.alignmentOffset(int, int)}. JDK 8: null. */
    private static final MethodHandle ALIGNMENT = VAR_HANDLES ? alignmentOffset() : null;
    private static final Object INT_VIEW = VAR_HANDLES ? view(int[].class) : null;
    private static final Object LONG_VIEW = VAR_HANDLES ? view(long[].class) : null;

    private AtomicAccess() {
    }

    /**
     * The handle for one access mode.
     *
     * @param mode         the {@code VarHandle.AccessMode} name, e.g. {@code "COMPARE_AND_SET"}.
     * @param word         {@code int.class} or {@code long.class}.
     * @param unsafeMethod the {@code sun.misc.Unsafe} method taking {@code (Object, long, values...)},
     *                     e.g. {@code "compareAndSwapInt"}.
     * @param returns      what the access returns ({@code void.class} for sets).
     * @param values       the value parameters after the coordinates.
     * @return a handle of type {@code (ByteBuffer, int, long, values...) -> returns}.
     */
    private static MethodHandle handle(String mode, Class<?> word, String unsafeMethod, Class<?> returns,
                                      Class<?>... values) {
        try {
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
            return h;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(initFailure(mode + " for " + word, e));
        }
    }

    /**
     * The address of a direct buffer's index 0, where it is known without the native library.
     *
     * @param buffer a direct buffer.
     * @return the address on JDK 8 (read through Unsafe); {@code 0} (unknown) on JDK 9+.
     */
    public static long address(ByteBuffer buffer) {
        if (VAR_HANDLES) {
            return 0;
        }
        try {
            return (long) ADDRESS.invokeExact(buffer);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /**
     * The address of a direct buffer's index 0 modulo 8.
     *
     * @param buffer  a direct buffer.
     * @param address its address if known, else {@code 0}.
     * @return {@code address & 7}, or on JDK 9+ {@code buffer.alignmentOffset(0, 8)}.
     */
    public static int alignment(ByteBuffer buffer, long address) {
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
    public static RuntimeException unchecked(Throwable t) {
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

    private static Object unsafe() {
        try {
            Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(initFailure("sun.misc.Unsafe", e));
        }
    }

    private static MethodHandle addressReader() {
        try {
            Class<?> unsafeClass = UNSAFE.getClass();
            Field address = Buffer.class.getDeclaredField("address");
            long offset = (long) unsafeClass.getMethod("objectFieldOffset", Field.class).invoke(UNSAFE, address);
            MethodHandle getLong = MethodHandles.lookup().findVirtual(unsafeClass, "getLong",
                    MethodType.methodType(long.class, Object.class, long.class)).bindTo(UNSAFE);
            return MethodHandles.insertArguments(getLong, 1, offset)
                    .asType(MethodType.methodType(long.class, ByteBuffer.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(initFailure("Buffer.address", e));
        }
    }

    private static String initFailure(String what, Exception e) {
        return "mmap4j: atomic access needs " + what + " (Java " + System.getProperty("java.version") + ", "
                + System.getProperty("java.vm.name") + "): " + e;
    }

    // ---------------------------------------------------------------- the accesses Atomics offers

    private static final MethodHandle GET_INT = handle("GET_VOLATILE", int.class,
            "getIntVolatile", int.class);
    private static final MethodHandle SET_INT = handle("SET_VOLATILE", int.class,
            "putIntVolatile", void.class, int.class);
    private static final MethodHandle RELEASE_INT = handle("SET_RELEASE", int.class,
            "putOrderedInt", void.class, int.class);
    private static final MethodHandle CAS_INT = handle("COMPARE_AND_SET", int.class,
            "compareAndSwapInt", boolean.class, int.class, int.class);
    private static final MethodHandle ADD_INT = handle("GET_AND_ADD", int.class,
            "getAndAddInt", int.class, int.class);
    private static final MethodHandle SWAP_INT = handle("GET_AND_SET", int.class,
            "getAndSetInt", int.class, int.class);
    private static final MethodHandle GET_LONG = handle("GET_VOLATILE", long.class,
            "getLongVolatile", long.class);
    private static final MethodHandle SET_LONG = handle("SET_VOLATILE", long.class,
            "putLongVolatile", void.class, long.class);
    private static final MethodHandle RELEASE_LONG = handle("SET_RELEASE", long.class,
            "putOrderedLong", void.class, long.class);
    private static final MethodHandle CAS_LONG = handle("COMPARE_AND_SET", long.class,
            "compareAndSwapLong", boolean.class, long.class, long.class);
    private static final MethodHandle ADD_LONG = handle("GET_AND_ADD", long.class,
            "getAndAddLong", long.class, long.class);
    private static final MethodHandle SWAP_LONG = handle("GET_AND_SET", long.class,
            "getAndSetLong", long.class, long.class);

    /** {@code Atomics.getIntVolatile}: the word checked by {@link Words#check}, then accessed. */
    public static int getIntVolatile(ByteBuffer buffer, int index) {
        Words.Entry word = Words.check("getIntVolatile", buffer, index, 4, false);
        try {
            return (int) GET_INT.invokeExact(buffer, index, word.at(index));
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.setIntVolatile}: the word checked by {@link Words#check}, then accessed. */
    public static void setIntVolatile(ByteBuffer buffer, int index, int value) {
        Words.Entry word = Words.check("setIntVolatile", buffer, index, 4, true);
        try {
            SET_INT.invokeExact(buffer, index, word.at(index), value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.setIntRelease}: the word checked by {@link Words#check}, then accessed. */
    public static void setIntRelease(ByteBuffer buffer, int index, int value) {
        Words.Entry word = Words.check("setIntRelease", buffer, index, 4, true);
        try {
            RELEASE_INT.invokeExact(buffer, index, word.at(index), value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.compareAndSetInt}: the word checked by {@link Words#check}, then accessed. */
    public static boolean compareAndSetInt(ByteBuffer buffer, int index, int expected, int value) {
        Words.Entry word = Words.check("compareAndSetInt", buffer, index, 4, true);
        try {
            return (boolean) CAS_INT.invokeExact(buffer, index, word.at(index), expected, value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.getAndAddInt}: the word checked by {@link Words#check}, then accessed. */
    public static int getAndAddInt(ByteBuffer buffer, int index, int delta) {
        Words.Entry word = Words.check("getAndAddInt", buffer, index, 4, true);
        try {
            return (int) ADD_INT.invokeExact(buffer, index, word.at(index), delta);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.getAndSetInt}: the word checked by {@link Words#check}, then accessed. */
    public static int getAndSetInt(ByteBuffer buffer, int index, int value) {
        Words.Entry word = Words.check("getAndSetInt", buffer, index, 4, true);
        try {
            return (int) SWAP_INT.invokeExact(buffer, index, word.at(index), value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.getLongVolatile}: the word checked by {@link Words#check}, then accessed. */
    public static long getLongVolatile(ByteBuffer buffer, int index) {
        Words.Entry word = Words.check("getLongVolatile", buffer, index, 8, false);
        try {
            return (long) GET_LONG.invokeExact(buffer, index, word.at(index));
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.setLongVolatile}: the word checked by {@link Words#check}, then accessed. */
    public static void setLongVolatile(ByteBuffer buffer, int index, long value) {
        Words.Entry word = Words.check("setLongVolatile", buffer, index, 8, true);
        try {
            SET_LONG.invokeExact(buffer, index, word.at(index), value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.setLongRelease}: the word checked by {@link Words#check}, then accessed. */
    public static void setLongRelease(ByteBuffer buffer, int index, long value) {
        Words.Entry word = Words.check("setLongRelease", buffer, index, 8, true);
        try {
            RELEASE_LONG.invokeExact(buffer, index, word.at(index), value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.compareAndSetLong}: the word checked by {@link Words#check}, then accessed. */
    public static boolean compareAndSetLong(ByteBuffer buffer, int index, long expected, long value) {
        Words.Entry word = Words.check("compareAndSetLong", buffer, index, 8, true);
        try {
            return (boolean) CAS_LONG.invokeExact(buffer, index, word.at(index), expected, value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.getAndAddLong}: the word checked by {@link Words#check}, then accessed. */
    public static long getAndAddLong(ByteBuffer buffer, int index, long delta) {
        Words.Entry word = Words.check("getAndAddLong", buffer, index, 8, true);
        try {
            return (long) ADD_LONG.invokeExact(buffer, index, word.at(index), delta);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** {@code Atomics.getAndSetLong}: the word checked by {@link Words#check}, then accessed. */
    public static long getAndSetLong(ByteBuffer buffer, int index, long value) {
        Words.Entry word = Words.check("getAndSetLong", buffer, index, 8, true);
        try {
            return (long) SWAP_LONG.invokeExact(buffer, index, word.at(index), value);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }
}
