/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Jdk;
import java.lang.reflect.Field;
import java.nio.Buffer;

/**
 * Where a direct buffer's bytes start: its {@code java.nio.Buffer.address}. The one place that
 * reads it.
 *
 * <p>On JDK 8 the field is read in Java, through {@link Field#getLong} (JDK 8 has no modules:
 * making a JDK field accessible needs nothing but a security manager's consent, where one is
 * installed; the field accessor is {@code Unsafe.getLong}, which the JIT inlines): a range call
 * then makes one JNI transition, the system call, instead of two (issue 27). From JDK 9
 * {@code java.nio} is not open to mmap4j, and the native library reads the field
 * ({@link Native#address}, {@code GetLongField}); so it does on JDK 8 when reflection is refused
 * (a security manager without {@code suppressAccessChecks}).
 */
final class BufferAddress {

    /** {@code Buffer.address}, accessible; {@code null} where the native library reads it. */
    private static final Field FIELD = Jdk.major() == 8 ? field() : null;

    private BufferAddress() {
    }

    /**
     * A direct buffer's address; the caller checked {@code isDirect()} (a heap buffer's field holds
     * no address on JDK 9+).
     *
     * @param buffer a direct buffer.
     * @return the address of its index 0.
     */
    static long of(Buffer buffer) {
        return FIELD != null ? inJava(buffer) : Native.address(buffer);
    }

    /**
     * A direct buffer's address where it can be read without the native library.
     *
     * @param buffer a direct buffer.
     * @return the address on JDK 8; {@code 0} (unknown) elsewhere.
     */
    static long inJava(Buffer buffer) {
        Field field = FIELD;
        if (field == null) {
            return 0;
        }
        try {
            return field.getLong(buffer);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e); // setAccessible succeeded: cannot happen
        }
    }

    private static Field field() {
        try {
            Field field = Buffer.class.getDeclaredField("address");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a security manager refused, or a JDK 8 without the field: the native library reads it
        }
    }
}
