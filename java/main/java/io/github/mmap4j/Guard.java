/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Jdk;

/**
 * The Java side of the native SIGSEGV forwarder ({@code mmap4j_guard.c}).
 *
 * <p>A page whose protection lacks READ or WRITE faults with SIGSEGV, which
 * kills the JVM even inside a direct-buffer access. While a mapping is
 * registered here, such a fault in its range reaches HotSpot as SIGBUS and the
 * access throws {@link InternalError} instead. The handler is installed the
 * first time a mapping needs it (a {@code protect} that takes READ or WRITE
 * away from pages its buffers can write, or a mapping made without READ);
 * {@value #PROPERTY}{@code =false} turns it off. Read-only mappings need no
 * entry: their buffers are read-only {@code ByteBuffer}s, which never write.
 * A mapping stays in the table until it is reclaimed, i.e. after its close
 * made the range readable and writable again, and before the address can be
 * unmapped and reused: a fault raised just before the close but handled just
 * after it still finds its entry.
 *
 * <p>Linux only: on other platforms the native side reports {@code ENOSYS} and
 * nothing is registered.
 */
final class Guard {

    /**
     * System property: {@code true} installs the forwarder on any JDK, {@code false} never (a
     * fault on a protected page then kills the JVM, as in C); unset, it is used from JDK 11 on,
     * and on JDK 8-10 a {@code protect} that would need it is refused.
     */
    static final String PROPERTY = "mmap4j.segvForwarder";

    private static final String SETTING = System.getProperty(PROPERTY, "");
    /**
     * Off by default before JDK 11: the forwarder hands faults to HotSpot's own path for a
     * SIGBUS in an unsafe access, and HotSpot 8 itself crashes in that path (its asynchronous
     * InternalError, delivered at an arbitrary later point of compiled code, left monitors
     * inconsistent and a GC thread dead within seconds, with the JDK's own FileChannel.map and a
     * truncated file, no mmap4j involved). JDK 11 to 25 survive the same loops.
     */
    private static final boolean ENABLED = "true".equalsIgnoreCase(SETTING)
            || (!"false".equalsIgnoreCase(SETTING) && Jdk.major() >= 11);
    /** Unset on a JDK where the forwarder is off: protect refuses instead of risking a crash. */
    private static final boolean REFUSE = !ENABLED && !"false".equalsIgnoreCase(SETTING);
    private static final Object LOCK = new Object();
    /** Native.guardInstall's result once asked (0 or -errno); 1 before. Guarded by LOCK. */
    private static long installed = 1;

    private Guard() {
    }

    /**
     * Whether protection {@code prot} can fault with SIGSEGV on an access the
     * mapping's buffers can make, so the range needs the forwarder.
     *
     * @param prot       the new {@code Native.PROT_*} bits.
     * @param mappedWith the bits the mapping was made with (its buffers are
     *                   writable only when they include WRITE).
     * @return {@code true} when READ is missing, or WRITE is missing from pages
     *         that writable buffers reach.
     */
    static boolean needed(int prot, int mappedWith) {
        return (prot & Native.PROT_READ) == 0
                || ((prot & Native.PROT_WRITE) == 0 && (mappedWith & Native.PROT_WRITE) != 0);
    }

    /**
     * Registers a mapping's range with the forwarder, installing it first if
     * needed. Does nothing when turned off ({@value #PROPERTY}{@code =false}),
     * unsupported, or already registered.
     *
     * @param mapping an open mapping.
     * @throws IllegalStateException when the forwarder's table is full.
     * @throws UnsupportedOperationException on a JDK where the forwarder is off by default.
     */
    static void cover(Mapping mapping) {
        if (mapping.guardSlot() >= 0 || (!ENABLED && !REFUSE)) {
            return;
        }
        if (!canTrapFaults()) {
            throw new UnsupportedOperationException("mmap4j: mprotect: on this JVM (Java " + System.getProperty(
                    "java.specification.version") + ", " + System.getProperty("java.vm.name") + ") an access to a "
                    + "page without READ, or a write to a read-only page, cannot be turned into an exception "
                    + "safely, so mmap4j does not take that access away from " + mapping.description()
                    + " (see Mmap.canTrapProtectionFaults()); run on a HotSpot JVM of Java 11 or later, or set -D"
                    + PROPERTY + "=true to accept HotSpot 8's asynchronous InternalError, or =false to let "
                    + "such an access kill the JVM as it would in C");
        }
        long rc = tryCover(mapping);
        if (rc < 0) {
            // Full: protected mappings nobody closed may be waiting for GC; collect them, as
            // map does when mmap fails with ENOMEM (outside LOCK: reclaiming takes it).
            Mappings.relievePressure();
            rc = tryCover(mapping);
        }
        if (rc < 0) {
            throw new IllegalStateException("mmap4j: mprotect: too many mappings have reduced protection at "
                    + "once; the SIGSEGV forwarder's table is full (" + Errors.name((int) -rc) + ") and cannot "
                    + "watch " + mapping.description() + "; close some protected mappings first");
        }
    }

    /** @return 0 when covered (or nothing to do), {@code -ENOSPC} when the table is full. */
    private static long tryCover(Mapping mapping) {
        synchronized (LOCK) {
            if (mapping.guardSlot() >= 0 || mapping.isClosed()) {
                return 0;
            }
            if (installed == 1) {
                installed = Native.guardInstall();
            }
            if (installed != 0) {
                return 0;
            }
            long slot = Native.guardAdd(mapping.address(), mapping.address() + mapping.length());
            if (slot >= 0) {
                mapping.guardSlot((int) slot);
                return 0;
            }
            return slot;
        }
    }

    /**
     * Unregisters a mapping, if registered.
     *
     * @param mapping the mapping.
     */
    static void uncover(Mapping mapping) {
        if (mapping.guardSlot() < 0) {
            return;
        }
        synchronized (LOCK) {
            int slot = mapping.guardSlot();
            if (slot >= 0) {
                Native.guardRemove(slot);
                mapping.guardSlot(-1);
            }
        }
    }

    /**
     * Whether the forwarder is installed in this JVM.
     *
     * @return {@code true} once installed.
     */
    static boolean installed() {
        synchronized (LOCK) {
            return installed == 0;
        }
    }

    /**
     * Whether a fault on a page mmap4j protected becomes an {@code InternalError}
     * here: the forwarder is on and installs (Linux), or the platform is expected
     * to raise SIGBUS, which HotSpot handles itself (macOS, to be confirmed on a Mac).
     *
     * @return {@code true} when protect can take access away without risking the JVM.
     */
    static boolean canTrapFaults() {
        if (!ENABLED) {
            return false;
        }
        synchronized (LOCK) {
            if (installed == 1) {
                installed = Native.guardInstall();
            }
            return installed == 0 || installed == -Errors.value("ENOSYS") && !Platform.name().startsWith("linux");
        }
    }
}
