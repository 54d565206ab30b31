/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/** How {@link Mmap#sync(java.nio.ByteBuffer, SyncMode...)} flushes ({@code MS_*} of {@code msync(2)}). */
public enum SyncMode {
    /** {@code MS_SYNC}: wait until the data is written (the default). */
    SYNC,
    /** {@code MS_ASYNC}: schedule the write and return at once. */
    ASYNC,
    /** {@code MS_INVALIDATE}: also drop other mappings' cached copies of the range. */
    INVALIDATE
}
