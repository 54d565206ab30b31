/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

/**
 * The running JDK's feature release, for the few places that choose a path by it
 * (the SIGSEGV forwarder's default, atomic access through {@code VarHandle}s from JDK 9).
 */
public final class Jdk {

    private static final int MAJOR = parse(System.getProperty("java.specification.version", "8"));

    private Jdk() {
    }

    /**
     * The feature release.
     *
     * @return 8 for {@code "1.8"}, else the first number of {@code java.specification.version}.
     */
    public static int major() {
        return MAJOR;
    }

    static int parse(String version) {
        try {
            return version.startsWith("1.") ? Integer.parseInt(version.substring(2))
                    : Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 8;
        }
    }
}
