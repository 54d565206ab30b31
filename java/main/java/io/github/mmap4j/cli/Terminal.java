/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.internal.NativeLibrary;

/**
 * Whether standard error is a terminal: {@code isatty(2)} through the shim.
 * ({@code System.console()} answers for standard input and output together,
 * which says nothing about standard error.)
 */
final class Terminal {

    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        return NativeLibrary.isTerminal(2);
    }
}
