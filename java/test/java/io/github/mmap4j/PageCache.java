/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Errors;
import io.github.mmap4j.internal.FileSource;
import io.github.mmap4j.internal.Native;
import io.github.mmap4j.internal.Platform;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The tests' one way to drop a file from the page cache: {@code fsync}, then
 * {@code posix_fadvise(POSIX_FADV_DONTNEED)} through the shim. Clean pages that no
 * process maps are then gone, so a fresh mapping of the file starts non-resident.
 */
final class PageCache {

    private PageCache() {
    }

    static boolean canEvict() {
        return Platform.hasFadvise();
    }

    static void evict(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true); // dirty pages cannot be dropped
        }
        try (FileSource source = FileSource.open(file, false, false, 0, -1)) {
            Errors.check(Native.fadvise(source.fd(), 0, 0, Native.FADV_DONTNEED), "posix_fadvise",
                    source.description());
        }
    }
}
