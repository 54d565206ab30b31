/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.shaded.slf4j;

/**
 * The part of SLF4J's {@code Logger} the shaded native-lib-loader calls, as a no-op.
 *
 * <p>The shade plugin relocates {@code org.slf4j} to this package. Binding the real
 * SLF4J (api + nop) cost about 18 ms of every JVM's first map, for messages nobody
 * sees; this stand-in costs nothing. JarIT and LoaderIT run the shaded jar, so a
 * method the loader needs and this lacks fails the build.
 */
public interface Logger {

    /**
     * Ignored.
     *
     * @param message the message.
     */
    void debug(String message);

    /**
     * Ignored.
     *
     * @param message the message.
     * @param cause   the cause.
     */
    void debug(String message, Throwable cause);

    /**
     * Ignored.
     *
     * @param message the message.
     */
    void warn(String message);

    /**
     * Ignored.
     *
     * @param message the message.
     * @param cause   the cause.
     */
    void error(String message, Throwable cause);
}
