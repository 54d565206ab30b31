/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * Memory protection bits ({@code PROT_*} of {@code mmap(2)} and
 * {@code mprotect(2)}). An empty set is {@code PROT_NONE}.
 */
public enum Protection {
    /** {@code PROT_READ}: pages may be read. */
    READ,
    /** {@code PROT_WRITE}: pages may be written. */
    WRITE,
    /** {@code PROT_EXEC}: pages may be executed. */
    EXEC
}
