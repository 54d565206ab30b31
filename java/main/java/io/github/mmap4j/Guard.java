/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Jdk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Java side of the native fault handlers ({@code mmap4j_ranges.c}, {@code mmap4j_guard.c}).
 *
 * <p>Every range mmap4j holds is in the handlers' table from its {@code mmap} until just before
 * its {@code munmap} ({@link #register}, {@link #unregister}).
 *
 * <p><b>SIGBUS</b> (installed at the first map, Linux): a page of the range past the end of its
 * file (another process truncated it, or the file system had no room for a page written) is
 * covered with zero memory and the access completes, whatever made it (Java code, an intrinsic
 * such as {@code CRC32}, JDK 8's VM copy, a VM native such as the interpreter's compare-and-set);
 * the mapping is marked truncated, and its next range call throws ({@link #checkIntact}).
 * {@value #SIGBUS_PROPERTY}{@code =false} leaves SIGBUS to HotSpot.
 *
 * <p><b>SIGSEGV</b> (installed the first time a mapping needs it: a {@code protect} that takes
 * READ or WRITE away from pages its buffers can write, or a mapping made without READ): a
 * protection fault in such a range reaches HotSpot as SIGBUS, which it turns into
 * {@link InternalError} for direct-buffer access; where HotSpot cannot throw (an intrinsic, zlib,
 * a VM native), the page gets back the protection the range was mapped with and the access
 * completes (the mapping is marked unprotected). {@value #PROPERTY}{@code =false} turns it off.
 * Read-only mappings need no forwarding for writes: their buffers are read-only.
 *
 * <p>Linux only: on other platforms the installs report {@code ENOSYS} and the table is unused.
 */
final class Guard {

    /**
     * System property: {@code true} installs the forwarder on any JDK, {@code false} never (a
     * fault on a protected page then kills the JVM, as in C); unset, it is used from JDK 11 on,
     * and on JDK 8-10 a {@code protect} that would need it is refused.
     */
    static final String PROPERTY = "mmap4j.segvForwarder";

    /** The forwarder's setting: in a holder of its own, asked at the first protect, not at the first map. */
    private static final class Forwarder {
        private static final String SETTING = System.getProperty(PROPERTY, "");
        /**
         * Off by default before JDK 11: the forwarder hands faults to HotSpot's own path for a
         * SIGBUS in an unsafe access, and HotSpot 8 itself crashes in that path (its asynchronous
         * InternalError, delivered at an arbitrary later point of compiled code, left monitors
         * inconsistent and a GC thread dead within seconds, with the JDK's own FileChannel.map and a
         * truncated file, no mmap4j involved). JDK 11 to 25 survive the same loops.
         */
        static final boolean ENABLED = "true".equalsIgnoreCase(SETTING)
                || (!"false".equalsIgnoreCase(SETTING) && Jdk.major() >= 11);
        /** Unset on a JDK where the forwarder is off: protect refuses instead of risking a crash. */
        static final boolean REFUSE = !ENABLED && !"false".equalsIgnoreCase(SETTING);
    }
    /** System property: {@code false} leaves a SIGBUS in mmap4j's ranges to HotSpot (see the class comment). */
    static final String SIGBUS_PROPERTY = "mmap4j.sigbusHandler";
    private static final boolean SIGBUS_ENABLED = !"false".equalsIgnoreCase(System.getProperty(SIGBUS_PROPERTY));
    private static final Object LOCK = new Object();
    /** Native.guardInstall's result once asked (0 or -errno); 1 before. Guarded by LOCK. */
    private static long installed = 1;
    /** Native.busInstall's result once asked (0 or -errno); 1 before. Written under LOCK. */
    private static volatile long busInstalled = 1;
    /** The handlers' fault counter as a buffer, made at first use ({@link #faultCounter}). */
    private static volatile ByteBuffer faultCounter;
    /**
     * Set when a {@code protect} first takes access away on a JDK that throws a fault's error late
     * (before 19): from then on mmap4j's calls take such an error first ({@link #takeLateFault}).
     */
    private static volatile boolean lateFaults;

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
     * Registers a new mapping's range with the handlers, installing the SIGBUS handler at the first.
     *
     * @param mapping   a mapping just made, not yet handed out.
     * @param coverable whether a SIGBUS there may be covered with small pages (not a huge-page mapping).
     * @throws MmapException when the table cannot grow ({@code ENOMEM}).
     */
    static void register(Mapping mapping, boolean coverable) throws MmapException {
        if (!SIGBUS_ENABLED || coverable && !busReady()) {
            coverable = false;
        }
        long slot = Native.rangeAdd(mapping.address(), mapping.address() + mapping.length(),
                coverable ? Native.RANGE_COVER_SIGBUS : 0, mapping.protection());
        if (slot < 0) {
            throw Errors.exception("ENOMEM", "mmap", mapping.description(), "mmap4j's table of mappings (read "
                    + "by its fault handlers) cannot grow: unmap mappings you no longer need");
        }
        mapping.slot((int) slot);
    }

    /** Installs the SIGBUS handler once; whether it is installed. */
    private static boolean busReady() {
        long rc = busInstalled;
        if (rc == 1) {
            synchronized (LOCK) {
                rc = busInstalled;
                if (rc == 1) {
                    rc = Native.busInstall(Quarantine.fd());
                    busInstalled = rc;
                }
            }
        }
        return rc == 0;
    }

    /**
     * Makes protection faults in a mapping's range reach the JVM as exceptions (the SIGSEGV
     * forwarder), installing it first if needed. Does nothing when turned off
     * ({@value #PROPERTY}{@code =false}), unsupported, or already done.
     *
     * @param mapping an open mapping.
     * @throws UnsupportedOperationException on a JDK where the forwarder is off by default.
     */
    static void cover(Mapping mapping) {
        if (!Forwarder.ENABLED && !Forwarder.REFUSE) {
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
        if (Jdk.major() < 19) {
            lateFaults = true; // before the mprotect: no fault can come before the flag
        }
        synchronized (LOCK) {
            if (installed == 0 && mapping.slot() >= 0 && !mapping.isClosed()) {
                Native.rangeUpdate(mapping.slot(), Native.RANGE_GUARDED, 0);
            }
        }
    }

    /**
     * The {@code InternalError} of an earlier fault on a protected page that HotSpot still holds
     * for this thread, taken so that it is no longer pending; else {@code null}. Before JDK 19
     * HotSpot throws that error not at the access but at the thread's next call into Java from the
     * VM or native code (such as close's {@code limit(0)}, or the making of a buffer), or at its
     * next safepoint poll while one is armed: wherever that is, halfway through mmap4j's own
     * bookkeeping included. So every mmap4j call that changes mmap4j's state takes it before it
     * changes anything ({@link Platform#ensureLoaded}, {@link Mapping#acquire}, {@link
     * Mappings#close}): no thread that faulted can then reach such a point with the error pending.
     * A volatile read until this JVM's first {@code protect} took access away (JDK 19 and later:
     * always); a native call and a call into Java after.
     *
     * @return the error, or {@code null}.
     */
    static Error takeLateFault() {
        if (!lateFaults) {
            return null;
        }
        Throwable pending;
        try {
            pending = Native.lateFault();
        } catch (Error e) {
            pending = e; // arrived in the probe's lookup instead
        }
        return pending == null || pending instanceof Error ? (Error) pending
                : new InternalError("a fault occurred in an earlier access", pending);
    }

    /**
     * Throws {@link #takeLateFault}'s error, if any: at the start of a call, before it changes anything.
     *
     * @throws Error the {@code InternalError} of an earlier fault on a protected page (JDK 11 to 18).
     */
    static void throwLateFault() {
        Error late = takeLateFault();
        if (late != null) {
            throw late;
        }
    }

    /**
     * Takes a mapping out of the handlers' table; once this returned no handler acts on its range,
     * so it may be unmapped.
     *
     * @param mapping a mapping being reclaimed.
     */
    static void unregister(Mapping mapping) {
        int slot = mapping.slot();
        if (slot >= 0) {
            mapping.slot(-1);
            Native.rangeRemove(slot);
        }
    }

    /**
     * The handlers' marks on a mapping: one read of a native counter while no fault was ever
     * recovered from, a native call after.
     *
     * @param mapping a registered mapping.
     * @return {@code Native.RANGE_TRUNCATED} and/or {@code Native.RANGE_UNPROTECTED} bits, or 0.
     */
    static int marks(Mapping mapping) {
        ByteBuffer counter = faultCounter();
        if (counter == null || counter.getLong(0) == 0) {
            return 0;
        }
        int slot = mapping.slot();
        return slot < 0 ? 0 : Native.rangeFlags(slot) & (Native.RANGE_TRUNCATED | Native.RANGE_UNPROTECTED);
    }

    /**
     * Throws when the SIGBUS handler covered a page of the mapping: the range calls and grows
     * refuse a mapping whose bytes no longer all come from its file.
     *
     * @param mapping a registered mapping, acquired.
     * @param call    the operation, for the message.
     * @throws MmapException {@code ENXIO} naming the truncation.
     */
    static void checkIntact(Mapping mapping, String call) throws MmapException {
        if ((marks(mapping) & Native.RANGE_TRUNCATED) != 0) {
            throw truncated(mapping, call);
        }
    }

    static MmapException truncated(Mapping mapping, String call) {
        long at = Native.rangeFaultAddress(mapping.slot());
        return Errors.exception("ENXIO", call, mapping.description() + (at == 0 ? "" : ", first fault at byte "
                + (at - mapping.base()) + " of the mapping"), "a page of this mapping lay past the end of its "
                + "file when it was accessed (SIGBUS: another process truncated the file, or the file system had "
                + "no room for a page written), so mmap4j covered it with zeros: reads there saw zeros and "
                + "writes there did not reach the file. Unmap it, check the file's size, and map it again");
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
        if (!Forwarder.ENABLED) {
            return false;
        }
        synchronized (LOCK) {
            if (installed == 1) {
                installed = Native.guardInstall();
            }
            return installed == 0 || installed == -Errors.value("ENOSYS") && !Platform.name().startsWith("linux");
        }
    }

    /**
     * The native fault counter as a buffer, made at first use (the library is loaded by then). A
     * field of this class, not a holder class: one class fewer for the first map to load.
     */
    private static ByteBuffer faultCounter() {
        ByteBuffer b = faultCounter;
        if (b == null) {
            b = Native.faultCounter();
            if (b != null) {
                b = b.order(ByteOrder.nativeOrder());
                faultCounter = b;
            }
        }
        return b;
    }
}
