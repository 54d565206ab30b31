/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Returns ranges to the OS once nothing can reach them. Each buffer (or region)
 * mmap4j hands out is watched by a {@link PhantomReference}; views made from it
 * ({@code duplicate}, {@code slice}, {@code asReadOnlyBuffer}) keep it reachable,
 * so when the last watched object of a mapping is enqueued, {@code munmap} is
 * safe. A daemon thread ({@code mmap4j-reclaimer}) does it in batches, and every
 * {@code map} drains the queue too ({@link Pressure#beforeMap}).
 */
final class Reclaimer {

    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    /**
     * Keeps reachable, until processed, the phantom references their mapping does not keep (a
     * region's second and later views).
     */
    private static final Set<Tracker> TRACKERS = ConcurrentHashMap.newKeySet();
    /** How long the reclaimer lets enqueued references collect before it unmaps them as a batch. */
    private static final long BATCH_MILLIS = 20;

    static {
        // An inner class, not a method reference: the first lambda of a JVM costs milliseconds
        // of bootstrap, paid by the first map.
        Thread reclaimer = new Thread(new Runnable() {
            @Override
            public void run() {
                loop();
            }
        }, "mmap4j-reclaimer");
        reclaimer.setDaemon(true);
        reclaimer.start();
    }

    private Reclaimer() {
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
     * Watches an object that can reach the mapping's range.
     *
     * @param mapping  the mapping.
     * @param referent a buffer or region that reaches the range.
     */
    static void track(Mapping mapping, Object referent) {
        Tracker tracker = new Tracker(referent, mapping);
        if (!mapping.track(tracker)) {
            TRACKERS.add(tracker);
        }
    }

    /** Processes every enqueued reference and unmaps what nothing reaches any more. */
    static void drain() {
        drain(null);
    }

    /**
     * Processes every enqueued reference (plus {@code first}, if any), then unmaps the ranges no
     * object reaches any more, sorted and with neighbours joined: quarantined neighbours are one
     * kernel mapping, so one {@code munmap} per run replaces one per range and the mapping lock
     * is taken far less often by this thread and the ones mapping.
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

    private static void loop() {
        for (;;) {
            try {
                // Wait for the first reference, then leave the rest a moment to pile up: threads that
                // map drain the queue themselves, and one wake-up per reference would put this
                // thread's munmap (a TLB shoot-down on the mapping thread's CPU) and a context switch
                // into every map/close cycle.
                Tracker first = (Tracker) QUEUE.remove();
                Thread.sleep(BATCH_MILLIS);
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
        Mapping mapping = tracker.mapping;
        if (!mapping.forget(tracker) && !TRACKERS.remove(tracker)) {
            return null;
        }
        if (!mapping.untrack()) {
            return null;
        }
        boolean quarantined = Mappings.reclaim(mapping);
        if (!mapping.isClosed() && Mappings.leakDetection()) {
            Log.LOGGER.log(Level.WARNING, "mmap4j: a mapping was garbage collected without being closed ("
                    + mapping.description() + "); close it (Mmap.unmap or close()) when done. Mapped at:",
                    mapping.origin());
        }
        if (quarantined && Mappings.leakDetection()) {
            long touched = Quarantine.touchedPages(mapping);
            if (touched > 0) {
                Mappings.countTouched();
                Log.LOGGER.log(Level.WARNING, "mmap4j: " + touched + " page(s) of a closed mapping were read or "
                        + "written after it was closed (" + mapping.description() + "): stale views read zeros "
                        + "and their writes were discarded; stop using views of a mapping once it is closed. "
                        + "Closed at:", mapping.closedAt);
            }
        }
        return mapping;
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
            int quarantined = 0;
            for (int k = i; k < j; k++) {
                // Set under the mapping's lock by close, read after reclaim took that lock: counted
                // as waiting until its munmap returned, so the pressure checks see honest numbers.
                if (ready.get(k).quarantined) {
                    quarantined++;
                }
            }
            release(start, end - start, new Run(ready.get(i), j - i - 1));
            Mappings.released(j - i, quarantined);
            i = j;
        }
    }

    /**
     * Punches the quarantine and unmaps a range mmap4j owns and nothing reaches; a failure is
     * reported, never dropped.
     *
     * @param address     page-aligned start.
     * @param length      bytes, whole pages.
     * @param description what it was, for the report.
     */
    static void release(long address, long length, Object description) {
        long rc = Quarantine.release(address, length);
        if (rc < 0) {
            Log.LOGGER.log(Level.SEVERE, "mmap4j: munmap failed: " + Errors.name((int) -rc) + " (" + description
                    + ", address 0x" + Long.toHexString(address) + ", length " + length + ")");
        }
    }

    /** What a run of neighbours unmapped together was, built only for a failure's report. */
    private static final class Run {
        private final Mapping first;
        private final int neighbours;

        Run(Mapping first, int neighbours) {
            this.first = first;
            this.neighbours = neighbours;
        }

        @Override
        public String toString() {
            return first.description() + (neighbours > 0 ? " and " + neighbours + " neighbours" : "");
        }
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
}
