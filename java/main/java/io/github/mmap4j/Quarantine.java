/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * The memory that covers a closed range until it is unmapped: one sparse
 * {@code memfd} on Linux, mapped at file offset = address (neighbouring covers
 * merge into one kernel mapping), or private anonymous memory elsewhere. It is
 * ordinary readable, writable memory, so no access of any kind faults there; see
 * {@code mm4j_quarantine}. Opened once, kept open for the JVM's life.
 */
final class Quarantine {

    /** The memfd, or -1 where there is none (covers are then anonymous memory). */
    private static final int FD = open();

    private Quarantine() {
    }

    private static int open() {
        long fd = Native.quarantineFd();
        if (fd >= 0) {
            return (int) fd;
        }
        // No memfd (ENOSYS), or one that cannot be sized: under a file-size limit (ulimit -f)
        // ftruncate to 2^62 fails with EFBIG. Covers are then private anonymous memory, as on macOS
        // (stale views behave the same; neighbouring covers merge less well, and under strict
        // overcommit they count against the commit limit).
        if (fd != -Errors.value("ENOSYS")) {
            java.util.logging.Logger.getLogger("io.github.mmap4j").fine("mmap4j: quarantine memfd unavailable ("
                    + Errors.name((int) -fd) + "): closed ranges are covered with anonymous memory");
        }
        return -1;
    }

    /**
     * The quarantine memfd, for the SIGBUS handler's covers.
     *
     * @return the descriptor, or -1 where covers are anonymous memory.
     */
    static int fd() {
        return FD;
    }

    /**
     * Covers a mapping's whole range ({@code mmap(MAP_FIXED)}); only for a range mmap4j owns.
     *
     * @param keepAlive the object being closed, reachable until the call returns.
     * @param mapping   the mapping.
     * @return 0 or {@code -errno}.
     */
    static long cover(Object keepAlive, Mapping mapping) {
        return Native.quarantine(keepAlive, mapping.address(), mapping.length(), FD);
    }

    /**
     * Punches what stale accesses put into the quarantine at these addresses, then unmaps them.
     *
     * @param address page-aligned start.
     * @param length  bytes, whole pages.
     * @return 0 or {@code -errno} of the last failure.
     */
    static long release(long address, long length) {
        return Native.release(address, length, FD);
    }

    /**
     * Pages of a covered range that were read or written since the cover.
     *
     * @param mapping a quarantined mapping not yet released.
     * @return the number of pages, or {@code -errno}.
     */
    static long touchedPages(Mapping mapping) {
        return Native.residency(null, mapping.address(), Platform.alignUp(mapping.length()), null);
    }
}
