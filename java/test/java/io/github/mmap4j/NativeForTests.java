/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * The raw calls tests need as baselines and fixtures, for tests of this package ({@link Native}'s
 * methods are package-private: no code outside mmap4j can map or unmap an address through it).
 */
final class NativeForTests {

    private NativeForTests() {
    }

    /** {@code mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0)}: an address or {@code -errno}. */
    static long mapShared(long length, int fd) {
        Platform.ensureLoaded();
        return Native.map(length, Native.PROT_READ | Native.PROT_WRITE, Native.SHARE_SHARED, 0, fd, 0);
    }

    /** {@code munmap}. */
    static long unmap(long address, long length) {
        return Native.unmap(address, length);
    }

    /** The descriptor number of a {@code FileDescriptor}. */
    static int descriptor(Object fileDescriptor) {
        Platform.ensureLoaded();
        return Native.descriptor(fileDescriptor);
    }

    /** {@code shm_open(name, O_RDWR|O_CREAT, mode)} without sizing it: a descriptor or {@code -errno}. */
    static long createSharedUnsized(String name, int mode) {
        Platform.ensureLoaded();
        return Native.shmOpen(FileSource.cString("name", name), Native.OPEN_READ_WRITE | Native.OPEN_CREATE, mode);
    }

    /** {@code close}. */
    static void close(int fd) {
        Native.close(fd);
    }
}
