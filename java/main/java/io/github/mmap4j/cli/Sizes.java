/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.util.Locale;

/** Byte counts for people: {@code 512B}, {@code 4.0K}, {@code 1.5G} (powers of 1024). */
final class Sizes {

    private static final String UNITS = "KMGTPE";

    private Sizes() {
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length() - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%c", value, UNITS.charAt(unit));
    }

    static String of(long bytes, boolean exact) {
        return exact ? Long.toString(bytes) : human(bytes);
    }

    static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.1f%%", whole == 0 ? 100.0 : 100.0 * part / whole);
    }
}
