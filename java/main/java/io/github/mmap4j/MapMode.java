/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * The three common ways to map a file, in the words of
 * {@link java.nio.channels.FileChannel.MapMode}. Each is a shorthand for a
 * {@link Protection} set and a {@link Sharing}; {@link MapOptions} gives full
 * control.
 */
public enum MapMode {
    /** {@code PROT_READ}, {@code MAP_SHARED}: a read-only view of the file. */
    READ_ONLY,
    /** {@code PROT_READ|PROT_WRITE}, {@code MAP_SHARED}: writes reach the file. */
    READ_WRITE,
    /** {@code PROT_READ|PROT_WRITE}, {@code MAP_PRIVATE}: copy-on-write, the file never changes. */
    PRIVATE
}
