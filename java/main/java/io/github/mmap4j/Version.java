/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library's version, from the properties Maven writes at build time. */
public final class Version {

    /** The version, e.g. {@code 0.1.0}; {@code unknown} outside a Maven build. */
    public static final String VERSION = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("mmap4j.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
