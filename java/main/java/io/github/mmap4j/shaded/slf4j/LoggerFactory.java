/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.shaded.slf4j;

/**
 * Hands the shaded native-lib-loader a logger that drops everything (see {@link Logger}). The
 * factory is that logger itself: one class fewer for a fresh JVM's first map to load (issue 27).
 */
public final class LoggerFactory implements Logger {

    private static final Logger SILENT = new LoggerFactory();

    private LoggerFactory() {
    }

    /**
     * The silent logger.
     *
     * @param name ignored.
     * @return a logger that drops every message.
     */
    public static Logger getLogger(String name) {
        return SILENT;
    }

    @Override
    public void debug(String message) {
    }

    @Override
    public void debug(String message, Throwable cause) {
    }

    @Override
    public void warn(String message) {
    }

    @Override
    public void error(String message, Throwable cause) {
    }
}
