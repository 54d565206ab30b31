/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

/**
 * The Java side of the native SIGSEGV forwarder ({@code mmap4j_guard.c}).
 *
 * <p>A page whose protection lacks READ or WRITE faults with SIGSEGV, which
 * kills the JVM even inside a direct-buffer access. While a mapping is
 * registered here, such a fault in its range reaches HotSpot as SIGBUS and the
 * access throws {@link InternalError} instead. The handler is installed the
 * first time a mapping needs it (a {@code protect} that takes READ or WRITE
 * away, or a mapping made without READ); {@value #PROPERTY}{@code =false}
 * turns it off. A mapping is removed from the table once its range is
 * retired (readable and writable again) or before it is unmapped.
 *
 * <p>Linux only: on other platforms the native side reports {@code ENOSYS} and
 * nothing is registered.
 */
public final class Guard {

    /** System property: {@code false} keeps mmap4j from installing a SIGSEGV handler. */
    public static final String PROPERTY = "mmap4j.segvForwarder";

    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    private static final Object LOCK = new Object();
    /** Native.guardInstall's result once asked (0 or -errno); 1 before. Guarded by LOCK. */
    private static long installed = 1;

    private Guard() {
    }

    /**
     * Whether protection {@code prot} can fault with SIGSEGV on an access a
     * direct buffer makes, so the range needs the forwarder.
     *
     * @param prot {@code Native.PROT_*} bits.
     * @return {@code true} when READ or WRITE is missing.
     */
    public static boolean needed(int prot) {
        int rw = Native.PROT_READ | Native.PROT_WRITE;
        return (prot & rw) != rw;
    }

    /**
     * Registers a mapping's range with the forwarder, installing it first if
     * needed. Does nothing when disabled, unsupported, or already registered.
     *
     * @param mapping an open mapping.
     * @throws IllegalStateException when the forwarder's table is full.
     */
    public static void cover(Mapping mapping) {
        if (!ENABLED || mapping.guardSlot() >= 0) {
            return;
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
    public static void uncover(Mapping mapping) {
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
    public static boolean installed() {
        synchronized (LOCK) {
            return installed == 0;
        }
    }

    /**
     * Whether the forwarder may be installed ({@value #PROPERTY} is not {@code false}).
     *
     * @return {@code true} unless disabled.
     */
    public static boolean enabled() {
        return ENABLED;
    }
}
