/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * The memory that covers a closed range until it is unmapped. A range that could
 * be written: one sparse {@code memfd} on Linux, mapped at file offset = address
 * (neighbouring covers merge into one kernel mapping), or private anonymous memory
 * elsewhere; ordinary readable, writable memory. A range nothing could ever write
 * (mapped without WRITE, never {@code protect}ed): private anonymous memory that can
 * only be read, cheaper to set up. Either way no access the range allowed faults
 * there; see {@code mm4j_quarantine}. The memfd is opened by the SIGBUS handler's
 * install or the first close of a writable range, kept open for the JVM's life; a
 * close that finds no descriptor free covers with anonymous memory and the next
 * close tries again (no static initialiser: one that failed would make every later
 * close throw {@code NoClassDefFoundError}).
 */
final class Quarantine {

    /** Not opened yet. */
    private static final int UNOPENED = -2;
    /** The memfd, -1 where there is none (covers are then anonymous memory), or {@link #UNOPENED}. */
    private static volatile int fd = UNOPENED;

    private Quarantine() {
    }

    /** The memfd, opened at the first call that can (a close, or the SIGBUS handler's install); -1 for anonymous covers. */
    static int fd() {
        int f = fd;
        return f != UNOPENED ? f : open();
    }

    private static synchronized int open() {
        if (fd != UNOPENED) {
            return fd;
        }
        long rc = Native.quarantineFd();
        if (rc >= 0) {
            fd = (int) rc;
            return fd;
        }
        if (rc == -Errors.value("EMFILE") || rc == -Errors.value("ENFILE")) {
            // No descriptor free right now: this cover is anonymous memory, the next close tries again.
            // Nothing is logged: java.util.logging cannot read its configuration now, and its
            // LogManager would stay broken for the JVM's life.
            return -1;
        }
        // No memfd (ENOSYS), or one that cannot be sized: under a file-size limit (ulimit -f)
        // ftruncate to 2^62 fails with EFBIG. Covers are then private anonymous memory, as on macOS
        // (stale views behave the same; neighbouring covers merge less well, and under strict
        // overcommit they count against the commit limit).
        fd = -1;
        if (rc != -Errors.value("ENOSYS")) {
            try {
                java.util.logging.Logger.getLogger("io.github.mmap4j").fine("mmap4j: quarantine memfd unavailable ("
                        + Errors.name((int) -rc) + "): closed ranges are covered with anonymous memory");
            } catch (Throwable t) {
                // Logging unavailable: only a FINE message lost.
            }
        }
        return -1;
    }

    /**
     * Covers a mapping's whole range ({@code mmap(MAP_FIXED)}); only for a range mmap4j owns.
     *
     * @param keepAlive the object being closed, reachable until the call returns.
     * @param mapping   the mapping.
     * @return 0 or {@code -errno}.
     */
    static long cover(Object keepAlive, Mapping mapping) {
        boolean writable = mapping.mayHaveBeenWritable();
        return Native.quarantine(keepAlive, mapping.address(), mapping.length(), writable ? fd() : -1, writable);
    }

    /**
     * Punches what stale accesses put into the quarantine at these addresses, then unmaps them.
     *
     * @param address page-aligned start.
     * @param length  bytes, whole pages.
     * @return 0 or {@code -errno} of the last failure.
     */
    static long release(long address, long length) {
        // A range covered anonymously (no memfd then) is punched in the memfd too: a hole there is harmless.
        int f = fd;
        return Native.release(address, length, f == UNOPENED ? -1 : f);
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
