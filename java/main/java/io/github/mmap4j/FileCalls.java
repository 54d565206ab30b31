/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * The system calls the public classes make on an open file or a shared memory name, none of which
 * touches memory: the page cache ({@code cachestat}, a {@code mincore} the shim maps for itself,
 * {@code fdatasync} + {@code posix_fadvise}), growing a file ({@code lseek}, {@code flock},
 * {@code fallocate}, {@code ftruncate}) and shared memory names ({@code shm_unlink}, a probe).
 * Each returns {@code -errno} or throws through {@link Errors}, as its caller wants.
 */
final class FileCalls {

    private FileCalls() {
    }

    /**
     * Drops the file's pages from the page cache: {@code fdatasync(2)} (the kernel keeps dirty
     * pages), then {@code posix_fadvise(POSIX_FADV_DONTNEED)} over the whole file.
     *
     * @param file the file.
     * @throws MmapException when either fails.
     */
    static void dropFromCache(FileSource file) throws MmapException {
        String what = file.description();
        Errors.check(Native.datasync(file.fd()), "fdatasync", what);
        Errors.check(Native.fadvise(file.fd(), 0, 0, Native.FADV_DONTNEED), "posix_fadvise",
                what + ", offset=0, length=0 (whole file), POSIX_FADV_DONTNEED");
    }

    /**
     * {@code shm_unlink(3)}.
     *
     * @param cName the name, NUL-terminated ({@link FileSource#cString}).
     * @return 0 or {@code -errno}.
     */
    static long unlinkShared(byte[] cName) {
        Platform.ensureLoaded();
        return Native.shmUnlink(cName);
    }

    /**
     * Whether a shared memory object of this name can be opened read-only: {@code shm_open(O_RDONLY)},
     * then {@code close}.
     *
     * @param cName the name, NUL-terminated ({@link FileSource#cString}).
     * @return 0 when it opened, or {@code -errno} ({@code ENOENT}: no such object).
     */
    static long probeShared(byte[] cName) {
        Platform.ensureLoaded();
        long fd = Native.shmOpen(cName, Native.OPEN_READ_ONLY, 0);
        if (fd >= 0) {
            Native.close((int) fd);
            return 0;
        }
        return fd;
    }

    /**
     * Whether the kernel has {@code cachestat(2)} (Linux 6.5+), asked once with descriptor -1.
     *
     * @return {@code true} when it answered other than {@code ENOSYS}.
     */
    static boolean hasCachestat() {
        Platform.ensureLoaded();
        return Native.hasCachestat();
    }

    /**
     * {@code cachestat(2)} of a byte range of a file.
     *
     * @param file   the file.
     *
     * @param offset first byte.
     * @param length bytes, positive.
     * @param counts {@code Native.CS_COUNT} longs, filled at {@code Native.CS_*}.
     * @return 0 or {@code -errno}.
     */
    static long cachestat(FileSource file, long offset, long length, long[] counts) {
        return Native.cachestat(file.fd(), offset, length, counts);
    }

    /**
     * Pages of a byte range of a file in the page cache, by {@code mincore(2)} over a read-only
     * mapping the shim makes and removes (in windows), never handed to Java.
     *
     * @param file   the file.
     * @param offset first byte.
     * @param length bytes, positive.
     * @return the count, or {@code -errno}.
     */
    static long residentPages(FileSource file, long offset, long length) {
        return Native.mincoreFile(file.fd(), offset, length);
    }

    // ---------------------------------------------------------------- growing a file (GrowableRegion)

    /**
     * A descriptor's file size ({@code lseek(SEEK_END)}; {@code fstat} on macOS).
     *
     * @param fd an open descriptor.
     * @return bytes, or {@code -errno}.
     */
    static long sizeOf(int fd) {
        return Native.fileSize(fd);
    }

    /**
     * {@code flock(LOCK_EX)} or {@code flock(LOCK_UN)}.
     *
     * @param fd   an open descriptor.
     * @param lock lock, or unlock.
     * @return 0 or {@code -errno}.
     */
    static long lockFile(int fd, boolean lock) {
        return Native.lockFile(fd, lock);
    }

    /**
     * Allocates a file's blocks ({@code fallocate(2)}; {@code F_PREALLOCATE} then {@code ftruncate} on
     * macOS), extending it, so that a full disk fails here rather than at a later page fault.
     *
     * @param fd     an open descriptor, writable.
     * @param offset first byte.
     * @param length bytes.
     * @return 0 or {@code -errno}.
     */
    static long allocate(int fd, long offset, long length) {
        return Native.allocate(fd, offset, length);
    }

    /**
     * Whether {@link #allocate} is available here.
     *
     * @return {@code true} on Linux and macOS.
     */
    static boolean canAllocate() {
        Platform.ensureLoaded();
        return Native.canAllocate();
    }

    /**
     * {@code ftruncate(2)}.
     *
     * @param fd   an open descriptor, writable.
     * @param size the new size.
     * @return 0 or {@code -errno}.
     */
    static long truncate(int fd, long size) {
        return Native.truncate(fd, size);
    }
}
