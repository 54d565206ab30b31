/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * How {@link Mmap#force(java.nio.ByteBuffer, SyncMode)} writes changed pages back: the
 * flags of {@code msync(2)}, one value per meaningful combination.
 */
public enum SyncMode {
    /** {@code MS_SYNC}: wait until the data is written, as {@code MappedByteBuffer.force()} does. */
    SYNC,
    /** {@code MS_ASYNC}: schedule the write and return at once. */
    ASYNC,
    /** {@code MS_SYNC | MS_INVALIDATE}: wait, and drop other mappings' cached copies of the range. */
    SYNC_INVALIDATE,
    /** {@code MS_ASYNC | MS_INVALIDATE}: schedule, and drop other mappings' cached copies of the range. */
    ASYNC_INVALIDATE
}
