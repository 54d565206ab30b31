/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.shaded.slf4j;

/** Hands the shaded native-lib-loader a logger that drops everything (see {@link Logger}). */
public final class LoggerFactory {

    private static final Logger SILENT = new Logger() {
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
    };

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
}
