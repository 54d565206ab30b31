/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/** Whether writes are shared ({@code MAP_SHARED}) or copy-on-write ({@code MAP_PRIVATE}). */
public enum Sharing {
    /** {@code MAP_SHARED}: writes reach the file and every other mapping of it. */
    SHARED,
    /** {@code MAP_PRIVATE}: writes stay in this process; the file never changes. */
    PRIVATE
}
