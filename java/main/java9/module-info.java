/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * mmap4j: mmap, msync, madvise, mincore, mlock, mprotect and POSIX shared memory for Java.
 * Only {@code io.github.mmap4j} is exported: the natives, the loader and the CLI are not reachable
 * from other modules. Compiled for Java 9 into {@code META-INF/versions/9/} of a multi-release jar;
 * every class stays Java 8 bytecode.
 */
module io.github.mmap4j {
    requires java.logging;

    exports io.github.mmap4j;
}
