/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import io.github.mmap4j.MmapException;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every live mmap4j mapping, by address, and the machinery that returns ranges
 * to the OS.
 *
 * <p>Each buffer (or region) mmap4j hands out is watched by a
 * {@link PhantomReference}. Views made from it ({@code duplicate}, {@code slice},
 * {@code asReadOnlyBuffer}, {@code asLongBuffer}) keep it reachable, so when its
 * reference is enqueued nothing can reach the range any more and it is safe to
 * {@code munmap}. A daemon thread ({@code mmap4j-reclaimer}) does that; every
 * {@code map} also drains the queue. A closed range waits for this while
 * covered by quarantine memory (readable, writable, never faulting; see
 * {@code mm4j_quarantine}); when many wait (or {@code mmap} fails with
 * {@code ENOMEM}), {@link #relievePressure} asks the JVM to collect, as the JDK
 * does for direct memory.
 *
 * <p>Ownership: mmap4j covers ({@code MAP_FIXED}) or unmaps a range only while it
 * owns it. Close covers and reclaim unmaps under the mapping's lock, each after
 * checking {@link Mapping#phase}: reclaim marks the mapping reclaimed before its
 * {@code munmap}, and close never covers a reclaimed range. The closing object is
 * passed to the native call, so it stays reachable until the call returns.
 */
public final class Mappings {

    /** System property: report mappings reclaimed by GC without being closed. */
    public static final String LEAK_DETECTION_PROPERTY = "mmap4j.leakDetection";
    /** System property: closed ranges allowed to wait for GC before mmap4j asks for one. */
    public static final String MAX_RETIRED_PROPERTY = "mmap4j.maxRetired";

    private static final boolean LEAK_DETECTION = Boolean.getBoolean(LEAK_DETECTION_PROPERTY);
    /** System property: mappings not closed before mmap4j asks for a collection. */
    public static final String MAX_MAPPINGS_PROPERTY = "mmap4j.maxMappings";
    /**
     * mmap4j's share of {@code vm.max_map_count} (65530 by default, shared with the JVM's heap,
     * thread stacks and every other library): a quarter.
     */
    private static final long BUDGET = Math.max(1024, Platform.maxMapCount() / 4);
    /**
     * Closed ranges waiting for GC. Neighbouring covers merge into one kernel mapping (see
     * mm4j_quarantine), but ranges reclaimed in between leave holes, so in the worst case each
     * waiting range is a kernel mapping of its own: the bound is the budget.
     */
    private static final long MAX_RETIRED = Long.getLong(MAX_RETIRED_PROPERTY, BUDGET);
    /**
     * Mappings nobody closed count against {@code vm.max_map_count} until GC finds them: above
     * this many, {@code map} asks for a collection first, and then not again until their number
     * grew by a quarter more (so many live mappings stay cheap).
     */
    private static final long MAX_MAPPINGS = Long.getLong(MAX_MAPPINGS_PROPERTY, BUDGET);

    private static final ConcurrentSkipListMap<Long, Mapping> BY_ADDRESS = new ConcurrentSkipListMap<>();
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    /** Keeps the phantom references themselves reachable until they are processed. */
    private static final Set<Tracker> TRACKERS = ConcurrentHashMap.newKeySet();
    private static final AtomicLong RETIRED = new AtomicLong();
    private static final AtomicLong RECLAIMED = new AtomicLong();
    private static final AtomicLong LEAKED = new AtomicLong();
    private static final AtomicLong TOUCHED_AFTER_CLOSE = new AtomicLong();
    private static final Object PRESSURE_LOCK = new Object();
    /** How long the reclaimer lets enqueued references collect before it unmaps them as a batch. */
    private static final long RECLAIM_BATCH_MILLIS = 20;
    /**
     * Ranges mmap4j holds: in BY_ADDRESS, or out of it and being unmapped (decremented once
     * munmap returned). ConcurrentSkipListMap.size() would walk the whole map.
     */
    private static final AtomicLong TABLE = new AtomicLong();
    /** Mappings not closed at which beforeMap next asks for a collection; guarded by PRESSURE_LOCK. */
    private static volatile long pressureMark = MAX_MAPPINGS;
    /** Waiting closed ranges at which beforeMap next asks for a collection; guarded by PRESSURE_LOCK. */
    private static volatile long retiredMark = MAX_RETIRED;
    /** Test hook: runs in close, after the lookup and before the range is covered. */
    static volatile Runnable beforeCover;

    static {
        // An inner class, not a method reference: the first lambda of a JVM costs milliseconds
        // of bootstrap, paid by the first map.
        Thread reclaimer = new Thread(new Runnable() {
            @Override
            public void run() {
                reclaimLoop();
            }
        }, "mmap4j-reclaimer");
        reclaimer.setDaemon(true);
        reclaimer.start();
    }

    private Mappings() {
    }

    /** Watches an object (a buffer or a region) that can reach a mapping's range. */
    private static final class Tracker extends PhantomReference<Object> {
        final Mapping mapping;

        Tracker(Object referent, Mapping mapping) {
            super(referent, QUEUE);
            this.mapping = mapping;
        }
    }

    /**
     * Whether leak detection is on ({@value #LEAK_DETECTION_PROPERTY}).
     *
     * @return {@code true} when mappings should record where they were made.
     */
    public static boolean leakDetection() {
        return LEAK_DETECTION;
    }

    /**
     * Adds a mapping to the table.
     *
     * @param mapping the new mapping.
     */
    public static void register(Mapping mapping) {
        BY_ADDRESS.put(mapping.address(), mapping);
        TABLE.incrementAndGet();
    }

    /**
     * Watches an object that can reach the mapping's range; the range is
     * reclaimed once every watched object is unreachable.
     *
     * @param mapping  the mapping.
     * @param referent a buffer or region that reaches the range.
     */
    public static void track(Mapping mapping, Object referent) {
        mapping.track();
        TRACKERS.add(new Tracker(referent, mapping));
    }

    /**
     * Records a buffer handed to the user: watched for reclaim, and given
     * {@code limit(0)} on close.
     *
     * @param mapping the mapping.
     * @param root    the buffer {@code NewDirectByteBuffer} made (views keep it reachable).
     * @param view    the buffer the user got ({@code root} or a read-only view of it).
     */
    public static void handOut(Mapping mapping, ByteBuffer root, ByteBuffer view) {
        mapping.addView(view);
        track(mapping, root);
    }

    /**
     * The mapping whose range holds {@code address}, open or closed but not yet reclaimed.
     *
     * @param address any address.
     * @return the mapping, or {@code null} when mmap4j did not map that address.
     */
    public static Mapping find(long address) {
        Map.Entry<Long, Mapping> entry = BY_ADDRESS.floorEntry(address);
        if (entry == null) {
            return null;
        }
        Mapping mapping = entry.getValue();
        return mapping.contains(address) ? mapping : null;
    }

    /**
     * Closes a mapping: waits for running operations, covers the range with
     * quarantine memory (releasing the file at once), and limits handed-out
     * buffers to 0. The range itself is unmapped when no buffer can reach it.
     *
     * @param mapping   the mapping.
     * @param keepAlive the buffer or region being closed: reachable until the range is covered.
     * @return {@code false} if it was closed already (closing twice is a no-op).
     * @throws MmapException when the kernel refuses to cover the range (then the
     *                       range stays mapped until it is reclaimed).
     */
    public static boolean close(Mapping mapping, Object keepAlive) throws MmapException {
        if (!mapping.markClosed()) {
            return false;
        }
        mapping.limitViews();
        Runnable hook = beforeCover;
        if (hook != null) {
            hook.run();
        }
        long rc;
        synchronized (mapping) {
            if (mapping.phase == Mapping.RECLAIMED) {
                // Nothing reached the range any more and it went back to the OS: nothing to cover.
                return true;
            }
            rc = Native.quarantine(keepAlive, mapping.address(), mapping.length(), Quarantine.FD);
            mapping.phase = Mapping.QUARANTINED;
            mapping.quarantined = true;
            if (LEAK_DETECTION) {
                mapping.closedAt = new Throwable("closed here");
            }
            RETIRED.incrementAndGet();
        }
        // On failure the range keeps the file mapped (stale views still read it, nothing can crash),
        // it stays in the table, closed, and is unmapped when no buffer reaches it, like any other.
        if (rc < 0) {
            Errors.check(rc, "mmap(MAP_FIXED) while closing", mapping.description());
        }
        return true;
    }

    /**
     * Forgets a mapping that was never handed out (making its buffer failed)
     * and returns its range at once.
     *
     * @param mapping a mapping with nothing tracked.
     */
    public static void discard(Mapping mapping) {
        synchronized (mapping) {
            mapping.phase = Mapping.RECLAIMED;
        }
        BY_ADDRESS.remove(mapping.address(), mapping);
        Guard.uncover(mapping);
        release(mapping.address(), mapping.length(), mapping.description(), 1);
        TABLE.decrementAndGet();
    }

    /**
     * Returns a range that was never registered (mapping it half failed) to the OS.
     *
     * @param address     the address {@code mmap} returned.
     * @param length      its length.
     * @param description what it was, for the report if {@code munmap} fails.
     */
    static void unmapUnregistered(long address, long length, Object description) {
        release(address, length, description, 1);
    }

    /**
     * How many closed ranges wait to be unmapped.
     *
     * @return the count.
     */
    public static long retiredWaiting() {
        return RETIRED.get();
    }

    /**
     * How many mappings are in the table (open, or closed and waiting).
     *
     * @return the count.
     */
    public static long size() {
        return TABLE.get();
    }

    /**
     * How many ranges were unmapped since start.
     *
     * @return the count.
     */
    public static long reclaimed() {
        return RECLAIMED.get();
    }

    /**
     * How many mappings were reclaimed without being closed since start.
     *
     * @return the count.
     */
    public static long leaked() {
        return LEAKED.get();
    }

    /**
     * How many closed ranges were found read or written after close when they
     * were reclaimed (counted with leak detection on only).
     *
     * @return the count.
     */
    public static long touchedAfterClose() {
        return TOUCHED_AFTER_CLOSE.get();
    }

    /**
     * The most closed ranges that may wait for GC before {@code map} asks for a collection.
     *
     * @return {@value #MAX_RETIRED_PROPERTY}, by default a quarter of {@code vm.max_map_count}.
     */
    public static long maxRetired() {
        return MAX_RETIRED;
    }

    /**
     * Called before each {@code map}: processes what the reclaimer has not yet,
     * and asks for a collection when too many closed ranges wait or too many
     * mappings were never closed. When a collection could not bring the numbers
     * down (the buffers are still reachable), it is not asked for again until
     * they grew by another quarter of the bound, so holding many costs no GC per map.
     */
    public static void beforeMap() {
        drain();
        long retired = RETIRED.get();
        if (retired <= MAX_RETIRED / 2 && retiredMark != MAX_RETIRED) {
            retiredMark = MAX_RETIRED; // what was held is gone: back to the budget
        }
        if (retired > retiredMark || notClosed() > pressureMark) {
            synchronized (PRESSURE_LOCK) {
                // Another thread may have relieved it while this one waited for the lock.
                if (RETIRED.get() > retiredMark || notClosed() > pressureMark) {
                    relievePressure();
                    pressureMark = Math.max(MAX_MAPPINGS, notClosed() + MAX_MAPPINGS / 4);
                    retiredMark = Math.max(MAX_RETIRED, RETIRED.get() + MAX_RETIRED / 4);
                }
            }
        }
    }

    /**
     * Asks the JVM to collect unreachable buffers and waits, bounded, for their
     * ranges to be unmapped: {@code System.gc()} and a short exponential back-off,
     * as {@code java.nio.Bits.reserveMemory} does for direct memory.
     */
    public static void relievePressure() {
        synchronized (PRESSURE_LOCK) {
            long before = RECLAIMED.get();
            System.gc();
            long sleep = 1;
            for (int attempt = 0; attempt < 9; attempt++) {
                drain();
                if (RECLAIMED.get() > before && RETIRED.get() <= MAX_RETIRED / 2) {
                    return;
                }
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sleep <<= 1;
            }
        }
    }

    /** Mappings in the table that were never closed: each is a kernel mapping of its own. */
    private static long notClosed() {
        return TABLE.get() - RETIRED.get();
    }

    private static void drain() {
        drain(null);
    }

    /**
     * Processes every enqueued reference (plus {@code first}, if any), then unmaps the ranges no
     * object reaches any more, sorted and with neighbours joined: retired neighbours are one
     * kernel mapping (see mm4j_retire), so one {@code munmap} per run replaces one per range and
     * the mapping lock is taken far less often by this thread and the ones mapping.
     */
    private static void drain(Tracker first) {
        List<Mapping> ready = null;
        Reference<?> ref = first;
        if (ref == null) {
            ref = QUEUE.poll();
        }
        for (; ref != null; ref = QUEUE.poll()) {
            Mapping mapping = process((Tracker) ref);
            if (mapping != null) {
                if (ready == null) {
                    ready = new ArrayList<>();
                }
                ready.add(mapping);
            }
        }
        if (ready != null) {
            unmapAll(ready);
        }
    }

    private static void reclaimLoop() {
        for (;;) {
            try {
                // Wait for the first reference, then leave the rest a moment to pile up: threads that
                // map drain the queue themselves (beforeMap), and one wake-up per reference would put
                // this thread's munmap (a TLB shoot-down on the mapping thread's CPU) and a context
                // switch into every map/close cycle.
                Tracker first = (Tracker) QUEUE.remove();
                Thread.sleep(RECLAIM_BATCH_MILLIS);
                drain(first);
            } catch (InterruptedException e) {
                // A daemon thread: nothing else to stop for.
            } catch (Throwable t) {
                Log.LOGGER.log(Level.SEVERE, "mmap4j: reclaiming a mapping failed", t);
            }
        }
    }

    /** Accounts for one unreachable object; returns its mapping when nothing reaches the range any more. */
    private static Mapping process(Tracker tracker) {
        if (!TRACKERS.remove(tracker)) {
            return null;
        }
        Mapping mapping = tracker.mapping;
        if (!mapping.untrack()) {
            return null;
        }
        int phase;
        synchronized (mapping) {
            // From here on nothing covers the range again: a close still running sees RECLAIMED.
            phase = mapping.phase;
            mapping.phase = Mapping.RECLAIMED;
        }
        if (!mapping.isClosed()) {
            LEAKED.incrementAndGet();
            if (LEAK_DETECTION) {
                Log.LOGGER.log(Level.WARNING, "mmap4j: a mapping was garbage collected without being closed ("
                        + mapping.description() + "); close it (Mmap.unmap or close()) when done. Mapped at:",
                        mapping.origin());
            }
        }
        BY_ADDRESS.remove(mapping.address(), mapping);
        // Out of the forwarder's table before the address can be reused by another mapping.
        Guard.uncover(mapping);
        if (phase == Mapping.QUARANTINED && LEAK_DETECTION) {
            reportTouched(mapping);
        }
        return mapping;
    }

    /** Leak detection: pages of the quarantine that stale views read or wrote after close. */
    private static void reportTouched(Mapping mapping) {
        long touched = Native.residency(null, mapping.address(), Platform.alignUp(mapping.length()), null);
        if (touched > 0) {
            TOUCHED_AFTER_CLOSE.incrementAndGet();
            Log.LOGGER.log(Level.WARNING, "mmap4j: " + touched + " page(s) of a closed mapping were read or "
                    + "written after it was closed (" + mapping.description() + "): stale views read zeros "
                    + "and their writes were discarded; stop using views of a mapping once it is closed. "
                    + "Closed at:", mapping.closedAt);
        }
    }

    /** munmap of every range, one call per run of neighbouring ranges; counters drop once it returned. */
    private static void unmapAll(List<Mapping> ready) {
        if (ready.size() > 1) {
            Collections.sort(ready, BY_START);
        }
        int i = 0;
        while (i < ready.size()) {
            long start = ready.get(i).address();
            long end = start + Platform.alignUp(ready.get(i).length());
            int j = i + 1;
            while (j < ready.size() && ready.get(j).address() == end) {
                end += Platform.alignUp(ready.get(j).length());
                j++;
            }
            int retired = 0;
            for (int k = i; k < j; k++) {
                // Set under the mapping's lock by close, read after process took that lock: counted
                // as waiting until its munmap returned, so RETIRED stays honest for the pressure checks.
                if (ready.get(k).quarantined) {
                    retired++;
                }
            }
            release(start, end - start, ready.get(i).description() + (j - i > 1 ? " and " + (j - i - 1)
                    + " neighbours" : ""), j - i);
            RETIRED.addAndGet(-retired);
            TABLE.addAndGet(-(j - i));
            i = j;
        }
    }

    /** Punches the quarantine and unmaps; a failure is reported, never dropped. */
    private static void release(long address, long length, Object description, int ranges) {
        long rc = Native.release(address, length, Quarantine.FD);
        if (rc < 0) {
            Log.LOGGER.log(Level.SEVERE, "mmap4j: munmap failed: " + Errors.name((int) -rc) + " (" + description
                    + ", address 0x" + Long.toHexString(address) + ", length " + length + ")");
        }
        RECLAIMED.addAndGet(ranges);
    }

    private static final Comparator<Mapping> BY_START = new Comparator<Mapping>() {
        @Override
        public int compare(Mapping a, Mapping b) {
            return Long.compare(a.address(), b.address());
        }
    };

    /** java.util.logging, started only when there is something to report (it costs milliseconds). */
    private static final class Log {
        static final Logger LOGGER = Logger.getLogger("io.github.mmap4j");
    }

    /** The quarantine file ranges are covered with at close; opened once, kept open for the JVM's life. */
    private static final class Quarantine {
        /** The memfd, or -1 where there is none (covers are then anonymous memory). */
        static final int FD = open();

        private static int open() {
            long fd = Native.quarantineFd();
            if (fd >= 0) {
                return (int) fd;
            }
            if (fd != -Errors.value("ENOSYS")) {
                throw new IllegalStateException("mmap4j: cannot create the quarantine file closed mappings are "
                        + "covered with: memfd_create/ftruncate failed with " + Errors.name((int) -fd));
            }
            return -1;
        }
    }
}
