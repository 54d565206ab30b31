/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every mmap4j mapping whose range mmap4j still holds, by address, and the
 * steps of its life: register, hand out, close, reclaim.
 *
 * <p>A closed range is covered by {@link Quarantine} memory until the
 * {@link Reclaimer} finds nothing can reach it; {@link Pressure} asks the JVM
 * to collect when too many wait.
 *
 * <p>Ownership: mmap4j covers ({@code MAP_FIXED}) or unmaps a range only while it
 * owns it. Close covers and reclaim gives the range up under the mapping's lock,
 * each after checking {@link Mapping#phase}: reclaim marks the mapping reclaimed
 * before its {@code munmap}, and close never covers a reclaimed range. The
 * closing object is passed to the native call, so it stays reachable until the
 * call returns.
 */
final class Mappings implements Comparator<Object> {

    /** System property: report mappings reclaimed by GC without being closed, and ranges touched after close. */
    static final String LEAK_DETECTION_PROPERTY = "mmap4j.leakDetection";
    /** System property: closed ranges allowed to wait for GC before mmap4j asks for one. */
    static final String MAX_RETIRED_PROPERTY = "mmap4j.maxRetired";
    /** System property: mappings not closed before mmap4j asks for a collection. */
    static final String MAX_MAPPINGS_PROPERTY = "mmap4j.maxMappings";

    private static final boolean LEAK_DETECTION = Boolean.getBoolean(LEAK_DETECTION_PROPERTY);
    /**
     * The mappings, ordered by start address; a lookup probes with {@link #PROBE}. A set of the
     * mappings themselves, not a map from a boxed address: one object fewer per mapping, which every
     * collection during the mapping's life copies. A {@code TreeSet} under its own lock, held for
     * the tree operation alone (nothing else is locked or called inside it): a
     * {@code ConcurrentSkipListSet} cost 2 to 3 ms of a fresh JVM's first map (its {@code VarHandle}s
     * on JDK 9+, its classes on JDK 8) and about 16 bytes more per mapping (issue 27).
     */
    private static final TreeSet<Object> BY_ADDRESS = new TreeSet<>(new Mappings());
    /**
     * Ranges mmap4j holds: in BY_ADDRESS, or out of it and being unmapped (decremented once
     * munmap returned): {@link #size} without the table's lock.
     */
    private static final AtomicLong HELD = new AtomicLong();
    /**
     * The lookup key for {@link #BY_ADDRESS}, set under its lock before each lookup: a boxed
     * {@code Long} per lookup was 24 bytes of garbage per unmap (issue 27). A {@code long[]}, not a
     * class of its own: one class fewer to load at the first map.
     */
    private static final long[] PROBE = new long[1];
    /**
     * The mapping {@link #find} took from the table last, tried before the table: calls on the
     * buffers of one mapping, again and again, take neither the table's lock nor its tree walk.
     * Written only under the table's lock: by a lookup that found a mapping, and to null by
     * {@link #reclaim} before the mapping leaves the table. So whatever a lookup reads here is
     * in the table (open or closed, as the table would give it) for as long as a buffer over its
     * range can be reached, and never holds a mapping past its reclaim, when its address may go
     * to another mapping. Volatile: a buffer of a mapping mapped at a reused address is made
     * after that reclaim's write, and whoever has the buffer reads after it too.
     */
    private static volatile Mapping lastFound;
    /** Closed ranges covered and waiting to be unmapped (decremented once munmap returned). */
    private static final AtomicLong RETIRED = new AtomicLong();
    private static final AtomicLong RECLAIMED = new AtomicLong();
    private static final AtomicLong LEAKED = new AtomicLong();
    private static final AtomicLong TOUCHED_AFTER_CLOSE = new AtomicLong();
    /** Test hook: runs in close, after the lookup and before the range is covered. */
    static volatile Runnable beforeCover;

    /** The one instance is {@link #BY_ADDRESS}'s order: not a class of its own, one fewer for the first map to load. */
    private Mappings() {
    }

    /** {@link #BY_ADDRESS}'s order: by start address. */
    @Override
    public int compare(Object a, Object b) {
        return Long.compare(start(a), start(b));
    }

    /** A table entry's start address: a mapping's, or a lookup's {@link #PROBE}. */
    private static long start(Object entry) {
        return entry instanceof Mapping ? ((Mapping) entry).address() : ((long[]) entry)[0];
    }

    /**
     * Whether leak detection is on ({@value #LEAK_DETECTION_PROPERTY}).
     *
     * @return {@code true} when mappings should record where they were made and closed.
     */
    static boolean leakDetection() {
        return LEAK_DETECTION;
    }

    /**
     * Called before each {@code mmap}: see {@link Pressure#beforeMap} and {@link Pressure#checkHeadroom}.
     *
     * @return {@code null}, or the hint of the {@code ENOMEM} the map must fail with: it would take
     *         the JVM's last kernel mappings.
     */
    static String beforeMap() {
        Pressure.beforeMap();
        return Pressure.checkHeadroom();
    }

    /**
     * Asks the JVM to collect unreachable mappings and waits, bounded, for them
     * to be unmapped (after {@code ENOMEM}, or when the forwarder's table is full).
     */
    static void relievePressure() {
        Pressure.relieve();
    }

    /**
     * Adds a mapping to the table.
     *
     * @param mapping the new mapping.
     */
    static void register(Mapping mapping) {
        boolean added;
        synchronized (BY_ADDRESS) {
            added = BY_ADDRESS.add(mapping);
        }
        if (!added) {
            // The kernel returned a range mmap4j still holds: impossible while the table is right.
            throw new IllegalStateException("mmap4j: " + mapping.description() + " starts where a mapping mmap4j "
                    + "still holds starts");
        }
        HELD.incrementAndGet();
    }

    /**
     * Watches an object that can reach the mapping's range; the range is
     * reclaimed once every watched object is unreachable.
     *
     * @param mapping  the mapping.
     * @param referent a buffer or region that reaches the range.
     */
    static void track(Mapping mapping, Object referent) {
        mapping.markHandedOut();
        if (mapping.length() > 0) { // an empty mapping maps nothing: nothing to reclaim
            Reclaimer.track(mapping, referent);
        }
    }

    /**
     * Records a buffer handed to the user: watched for reclaim, and given
     * {@code limit(0)} on close.
     *
     * @param mapping the mapping.
     * @param root    the buffer {@code NewDirectByteBuffer} made (views keep it reachable).
     * @param view    the buffer the user got ({@code root} or a read-only view of it).
     * @param watched whether the mapping itself watches {@code root} ({@link Mapping#takeRoot}).
     */
    static void handOut(Mapping mapping, ByteBuffer root, ByteBuffer view, boolean watched) {
        mapping.markHandedOut();
        if (mapping.length() > 0) { // an empty mapping's buffers have no bytes to limit nor range to reclaim
            if (watched && view == root) {
                mapping.addRoot(root);
            } else {
                mapping.addView(view);
            }
            if (watched) {
                Reclaimer.watching();
            } else {
                Reclaimer.track(mapping, root);
            }
        }
    }

    /**
     * The mapping whose range holds {@code address}, open or closed but not yet reclaimed.
     *
     * @param address any address.
     * @return the mapping, or {@code null} when mmap4j did not map that address.
     */
    static Mapping find(long address) {
        Mapping mapping = lastFound;
        if (mapping != null && mapping.contains(address)) {
            return mapping;
        }
        synchronized (BY_ADDRESS) {
            PROBE[0] = address;
            mapping = (Mapping) BY_ADDRESS.floor(PROBE);
            if (mapping == null || !mapping.contains(address)) {
                return null;
            }
            lastFound = mapping;
        }
        return mapping;
    }

    /**
     * Closes a mapping: waits for running operations, covers the range with
     * quarantine memory (releasing the file at once), and limits handed-out
     * buffers to 0. The range itself is unmapped when no buffer can reach it. Closing twice is a
     * no-op (that close waits until the first has covered the range).
     *
     * <p>Before JDK 19 an earlier fault's {@code InternalError} may be pending on the thread
     * ({@link Guard#takeLateFault}): it is taken before anything changes and returned, for the
     * caller to throw once closed, so that a close in a finally block still releases the file and
     * the thread still learns of its fault. A public close calls this inside a {@code try}: when
     * that error struck on the way here (a call site the JVM resolved, a poll), it calls this
     * again with it as {@code struck}, and the mapping is closed all the same.
     *
     * @param mapping   the mapping.
     * @param keepAlive the buffer or region being closed: reachable until the range is covered.
     * @param struck    the error that stopped a first attempt on the way here, or {@code null}.
     * @return the error to throw once closed ({@code struck}, or the one taken), or {@code null}.
     * @throws MmapException when the kernel refuses to cover the range (then the
     *                       range stays mapped until it is reclaimed), with that error suppressed.
     */
    static Error close(Mapping mapping, Object keepAlive, Error struck) throws MmapException {
        Error late = struck != null ? struck : Guard.takeLateFault();
        boolean first = mapping.markClosed();
        // Another close got there first and may still wait for operations in flight: no close
        // returns before the range is released (or the kernel refused, which this reports too).
        long rc = first ? 0 : mapping.awaitClosed();
        if (first) {
            try {
                rc = retire(mapping, keepAlive);
            } finally {
                mapping.closed(rc);
            }
        }
        // On failure the range keeps the file mapped (stale views still read it, nothing can crash),
        // it stays in the table, closed, and is unmapped when no buffer reaches it, like any other.
        if (rc < 0) {
            MmapException e = Errors.exception((int) -rc, "mmap(MAP_FIXED) while closing", mapping.description());
            if (late != null) {
                e.addSuppressed(late);
            }
            throw e;
        }
        return late;
    }

    /** The rest of a close once no operation runs: limit(0), then the cover; {@code 0} or {@code -errno}. */
    private static long retire(Mapping mapping, Object keepAlive) {
        mapping.limitViews(keepAlive);
        Runnable hook = beforeCover;
        if (hook != null) {
            hook.run();
        }
        if (mapping.length() == 0) {
            return 0; // an empty map or region: nothing was mapped, nothing to cover
        }
        synchronized (mapping) {
            if (mapping.phase == Mapping.RECLAIMED) {
                // Nothing reached the range any more and it went back to the OS: nothing to cover.
                return 0;
            }
            long rc = Quarantine.cover(keepAlive, mapping);
            mapping.phase = Mapping.QUARANTINED;
            mapping.quarantined = true;
            if (LEAK_DETECTION) {
                mapping.closedAt(new Throwable("closed here"));
            }
            RETIRED.incrementAndGet();
            return rc;
        }
    }

    /**
     * Maps a file ({@code mmap(MAP_FIXED)}) over part of an open mapping's own range: how a
     * growable region maps the part of its file it grew into its reservation. Runs under the
     * mapping's lock with its phase checked, so it never replaces a range mmap4j no longer owns;
     * the caller holds the mapping {@linkplain Mapping#acquire acquired}, so close waits for it.
     * After {@code ENOMEM} it collects unreachable mappings and tries once more.
     *
     * @param mapping    the mapping whose range is replaced.
     * @param keepAlive  the object growing it, reachable through the call.
     * @param from       first byte to replace, page-aligned, from the mapping's start.
     * @param length     bytes, whole pages, ending inside the mapping.
     * @param prot       {@code Native.PROT_*} bits.
     * @param sharing    {@code Native.SHARE_*} code.
     * @param flagBits   {@code 1 << Native.FLAG_*} bits.
     * @param fd         the file.
     * @param fileOffset the file offset mapped at {@code from}, page-aligned.
     * @return {@code 0} or {@code -errno} (the range is then reserved again, see {@code mm4j_map_fixed}).
     * @throws IllegalStateException when the mapping is closed or the range is not inside it.
     */
    static long mapInto(Mapping mapping, Object keepAlive, long from, long length, int prot, int sharing,
                               int flagBits, int fd, long fileOffset) {
        if (!mapping.isReservation() || from < 0 || length <= 0 || from > mapping.length() - length) {
            throw new IllegalStateException("mmap4j: bytes " + from + ".." + (from + length) + " are not inside "
                    + mapping.description());
        }
        long rc = mapFixed(mapping, keepAlive, from, length, prot, sharing, flagBits, fd, fileOffset);
        if (rc < 0 && rc == -Errors.value("ENOMEM")) {
            relievePressure();
            rc = mapFixed(mapping, keepAlive, from, length, prot, sharing, flagBits, fd, fileOffset);
        }
        return rc;
    }

    private static long mapFixed(Mapping mapping, Object keepAlive, long from, long length, int prot,
                                 int sharing, int flagBits, int fd, long fileOffset) {
        synchronized (mapping) {
            if (mapping.phase != Mapping.OPEN || mapping.isClosed()) {
                throw mapping.closedError("grow");
            }
            return Native.mapFixed(keepAlive, mapping.address() + from, length, prot, sharing, flagBits, fd,
                    fileOffset);
        }
    }

    /**
     * Gives a mapping up once nothing reaches its range: from here on nothing
     * covers it again, it leaves the table and the SIGSEGV forwarder's, and the
     * caller unmaps it.
     *
     * @param mapping a mapping whose tracked objects are all gone.
     * @return whether close had covered it (it counts as waiting until its munmap returned).
     */
    static boolean reclaim(Mapping mapping) {
        boolean quarantined;
        synchronized (mapping) {
            quarantined = mapping.phase == Mapping.QUARANTINED;
            mapping.phase = Mapping.RECLAIMED;
        }
        if (!mapping.isClosed()) {
            LEAKED.incrementAndGet();
        }
        // The only entry at its address: a range is out of the table before its munmap can free the address.
        synchronized (BY_ADDRESS) {
            if (lastFound == mapping) {
                lastFound = null;
            }
            BY_ADDRESS.remove(mapping);
        }
        // Out of the fault handlers' table (waiting for any handler acting on it) before the
        // address can be reused by another mapping.
        Guard.unregister(mapping);
        mapping.dropViews();
        mapping.closeResource();
        return quarantined;
    }

    /**
     * Accounts for ranges whose {@code munmap} returned.
     *
     * @param ranges      how many mappings the unmapped run held.
     * @param quarantined how many of them had been closed and covered.
     */
    static void released(int ranges, int quarantined) {
        RETIRED.addAndGet(-quarantined);
        RECLAIMED.addAndGet(ranges);
        HELD.addAndGet(-ranges);
    }

    /** Counts a closed range found touched after close (leak detection). */
    static void countTouched() {
        TOUCHED_AFTER_CLOSE.incrementAndGet();
    }

    /**
     * Forgets a mapping that was never handed out (making its buffer failed)
     * and returns its range at once.
     *
     * @param mapping a mapping with nothing tracked.
     */
    static void discard(Mapping mapping) {
        if (mapping.length() == 0) {
            return; // an empty mapping was never mapped nor registered
        }
        if (mapping.handedOut()) {
            throw new IllegalStateException("discard: " + mapping.description() + " was handed out; close it");
        }
        mapping.clear(); // its own watch (a buffer never handed out) is never enqueued
        reclaim(mapping);
        Reclaimer.release(mapping.address(), mapping.length(), mapping.description());
        released(1, 0);
    }

    /**
     * How many closed ranges wait to be unmapped.
     *
     * @return the count.
     */
    static long retiredWaiting() {
        return RETIRED.get();
    }

    /**
     * How many ranges mmap4j holds (open, closed and waiting, or being unmapped).
     *
     * @return the count.
     */
    static long size() {
        return HELD.get();
    }

    /**
     * How many ranges were unmapped since start.
     *
     * @return the count.
     */
    static long reclaimed() {
        return RECLAIMED.get();
    }

    /**
     * How many mappings were reclaimed without being closed since start.
     *
     * @return the count.
     */
    static long leaked() {
        return LEAKED.get();
    }

    /**
     * How many closed ranges were found read or written after close when they
     * were reclaimed (counted with leak detection on only).
     *
     * @return the count.
     */
    static long touchedAfterClose() {
        return TOUCHED_AFTER_CLOSE.get();
    }

    /**
     * The most closed ranges that may wait for GC before {@code map} asks for a collection.
     *
     * @return {@value #MAX_RETIRED_PROPERTY}, by default a quarter of {@code vm.max_map_count}.
     */
    static long maxRetired() {
        return Pressure.MAX_RETIRED;
    }
}
