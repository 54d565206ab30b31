/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Jdk;
import io.github.mmap4j.internal.Threads;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Arrays;
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
 * {@code map} drains the queue too ({@link Pressure#beforeMap}). The thread belongs to
 * no application (root thread group, no context class loader, nothing inherited), is
 * started at the beginning of the first map that finds none running ({@link FirstMapClasses};
 * at its end on JDK 10 to 14, {@link #STARTS_AT_MAP}), and exits once mmap4j has held no
 * mapping for {@value #IDLE_PROPERTY} milliseconds, or when interrupted.
 */
final class Reclaimer implements Runnable {

    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    /**
     * Keeps reachable, until processed, the phantom references their mapping does not keep (a
     * region's second and later views).
     */
    private static final Set<Tracker> TRACKERS = ConcurrentHashMap.newKeySet();
    /** How long the reclaimer lets enqueued references collect before it unmaps them as a batch. */
    private static final long BATCH_MILLIS = 20;

    /** System property: milliseconds the reclaimer thread waits with no mapping held before it exits. */
    static final String IDLE_PROPERTY = "mmap4j.reclaimerIdleMillis";
    /** How long the thread lingers once mmap4j holds no mapping: a second by default. */
    private static final long IDLE_MILLIS = Math.max(1, Long.getLong(IDLE_PROPERTY, 1000));
    /** The thread's name. */
    static final String THREAD_NAME = "mmap4j-reclaimer";
    /**
     * Whether a reclaimer thread runs (or is being started); set only through {@link #claim} (only
     * its winner starts or stays) and {@link #unclaim}, under {@link #LOCK}. A volatile field and a
     * lock, not {@code AtomicBoolean}/{@code AtomicReference}: JDK classes outside its default
     * class-data archive, each parsed at the first map (issue 27); neither is on a hot path.
     */
    private static volatile boolean running;
    /** Guards {@link #running}'s changes and {@link #spare}. */
    private static final Object LOCK = new Object();
    /**
     * The array the last batch was collected in, lent to the next one (whoever drains: the thread
     * or a map): a batch of thousands, one per collection, allocates nothing once it has grown.
     */
    private static Mapping[] spare;
    /** The largest array kept in {@link #spare}. */
    private static final int SPARE_MAX = 1 << 16;

    private Reclaimer() {
    }

    /**
     * The thread's loop: the reclaimer itself is its {@code Runnable}, not an inner class (one class
     * fewer for the first map to load, issue 27); only {@link #newThread} makes an instance.
     */
    @Override
    public void run() {
        if (STARTS_AT_MAP) {
            FirstMapClasses.load();
        }
        loop();
    }

    /**
     * The queue every watch is enqueued on: the trackers', and that of each mapping that watches
     * its own buffer ({@link Mapping#takeRoot}).
     *
     * @return the queue.
     */
    static ReferenceQueue<Object> queue() {
        return QUEUE;
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
        watching();
    }

    /**
     * Whether a map starts the thread at its beginning, so that the first map's later classes load
     * on it meanwhile ({@link FirstMapClasses}). Not on JDK 10 to 14: their HotSpot biases locks
     * from the JVM's start, and this thread's first use of each lock the mapping thread took (the
     * class loader's, the jar's) costs a revocation at a safepoint: a first map 1.2 to 2 ms slower
     * on JDK 11, where JDK 8, 17 and 25 gain 2 to 3 ms (JDK 8 and 9 bias only 4 s after start, 15
     * stopped biasing by default, 18 removed it; JDK 11 with {@code -XX:-UseBiasedLocking} gains 1.9).
     */
    private static final boolean STARTS_AT_MAP = Jdk.major() < 10 || Jdk.major() > 14;

    /**
     * Called at the beginning of every map, before the library is loaded: starts the thread unless
     * one runs (see {@link #STARTS_AT_MAP}). The thread may idle out before the mapping is
     * registered; the call after registering ({@link #watching}) is the one {@link #stopIfIdle}
     * counts on.
     */
    static void mapBegins() {
        if (STARTS_AT_MAP) {
            watching();
        }
    }

    /** Starts the thread unless one runs: something is watched ({@link #track}, or a mapping's own buffer). */
    static void watching() {
        if (!running) {
            start();
        }
    }

    /**
     * Starts the reclaimer thread unless one runs. It belongs to no application: made in the
     * root thread group, with no context class loader, no inherited thread-local values and
     * mmap4j's own access control context, so it pins no caller's class loader, group or
     * thread locals. A failure to start it (no native thread left) leaves reclaiming to the
     * threads that map ({@link Pressure#beforeMap} drains the queue) and the next map tries again.
     */
    private static void start() {
        if (!claim()) {
            return;
        }
        try {
            newThread().start();
        } catch (Throwable t) {
            unclaim();
        }
    }

    /** The thread, not started; see {@link #start()}. */
    private static Thread newThread() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        for (ThreadGroup parent = group.getParent(); parent != null; parent = parent.getParent()) {
            group = parent;
        }
        // Not a method reference: the first lambda of a JVM costs milliseconds of bootstrap, paid by
        // the first map.
        return Threads.detached(group, new Reclaimer(), THREAD_NAME);
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
    private static void drain(Reference<?> first) {
        // One mapping (a map draining what one collection found) needs no array; more are collected
        // in one that doubles: no list, iterator or sort buffer per batch (issue 27).
        Mapping single = null;
        Mapping[] ready = null;
        int count = 0;
        Reference<?> ref = first;
        if (ref == null) {
            ref = QUEUE.poll();
        }
        for (; ref != null; ref = QUEUE.poll()) {
            Mapping mapping = process(ref);
            if (mapping == null) {
                continue;
            }
            if (single == null && ready == null) {
                single = mapping;
                continue;
            }
            if (ready == null) {
                ready = takeSpare();
                if (ready == null) {
                    ready = new Mapping[8];
                }
                ready[count++] = single;
                single = null;
            } else if (count == ready.length) {
                ready = Arrays.copyOf(ready, count * 2);
            }
            ready[count++] = mapping;
        }
        if (single != null) {
            unmapRun(single, single.address(), Platform.alignUp(single.length()), 0, single.quarantined ? 1 : 0);
        } else if (ready != null) {
            try {
                unmapAll(ready, count);
            } finally {
                Arrays.fill(ready, 0, count, null);
                if (ready.length <= SPARE_MAX) {
                    synchronized (LOCK) {
                        spare = ready;
                    }
                }
            }
        }
    }

    /**
     * The thread's work: waits for enqueued references and unmaps them in batches. It exits
     * after {@value #IDLE_PROPERTY} milliseconds (a second by default) in which mmap4j held no
     * mapping at all (every mapping closed and collected), and when interrupted (after finishing
     * the batch in hand); the next map starts it again.
     */
    private static void loop() {
        for (;;) {
            Reference<?> first = null;
            try {
                // Wait for the first reference, then leave the rest a moment to pile up: threads that
                // map drain the queue themselves, and one wake-up per reference would put this
                // thread's munmap (a TLB shoot-down on the mapping thread's CPU) and a context switch
                // into every map/close cycle.
                first = QUEUE.remove(IDLE_MILLIS);
                if (first == null) {
                    if (Mappings.size() == 0 && stopIfIdle()) {
                        return;
                    }
                    continue;
                }
                Thread.sleep(BATCH_MILLIS);
                drain(first);
            } catch (InterruptedException e) {
                // Asked to stop (a test runner or server shutting down what it finds): finish the
                // batch in hand, then exit. The next map starts a new thread.
                unclaim();
                finish(first);
                return;
            } catch (Throwable t) {
                report(t);
            }
        }
    }

    /**
     * Gives the thread up once nothing is held, unless a map registered one meanwhile: a mapping
     * thread registers (counted in {@link Mappings#size()}) before it reads {@link #running}, so
     * either it sees {@code false} and starts a thread, or this one sees its mapping and stays.
     */
    private static boolean stopIfIdle() {
        unclaim();
        return Mappings.size() == 0 || !claim();
    }

    /** Marks a thread running unless one is; whether this call did (its caller starts or stays). */
    private static boolean claim() {
        synchronized (LOCK) {
            if (running) {
                return false;
            }
            running = true;
            return true;
        }
    }

    /** Marks no thread running: the next map starts one. */
    private static void unclaim() {
        synchronized (LOCK) {
            running = false;
        }
    }

    /** The array a batch was last collected in, if any, taken (one batch uses it at a time). */
    private static Mapping[] takeSpare() {
        synchronized (LOCK) {
            Mapping[] taken = spare;
            spare = null;
            return taken;
        }
    }

    /** Processes a reference taken from the queue before an interrupt, and whatever else is queued. */
    private static void finish(Reference<?> first) {
        try {
            drain(first);
        } catch (Throwable t) {
            report(t);
        }
    }

    private static void report(Throwable t) {
        Log.log(Level.SEVERE, "mmap4j: reclaiming a mapping failed", t);
    }

    /** Accounts for one unreachable object; returns its mapping when nothing reaches the range any more. */
    private static Mapping process(Reference<?> ref) {
        Mapping mapping;
        if (ref instanceof Mapping) {
            // The mapping's watch on its own buffer, kept reachable by the table until reclaim.
            mapping = (Mapping) ref;
            mapping.clear(); // JDK 8 does not clear a phantom reference it enqueues
        } else {
            Tracker tracker = (Tracker) ref;
            mapping = tracker.mapping;
            if (!mapping.forget(tracker) && !TRACKERS.remove(tracker)) {
                return null;
            }
        }
        if (!mapping.untrack()) {
            return null;
        }
        // Pages the SIGBUS handler covered (a truncated file) are quarantine pages touched before the
        // close: they would read as stale accesses after it. Asked before reclaim frees the slot.
        boolean truncated = Mappings.leakDetection() && (Guard.marks(mapping) & Native.RANGE_TRUNCATED) != 0;
        boolean quarantined = Mappings.reclaim(mapping);
        if (!mapping.isClosed() && Mappings.leakDetection()) {
            Log.log(Level.WARNING, "mmap4j: a mapping was garbage collected without being closed ("
                    + mapping.description() + "); close it (Mmap.unmap or close()) when done. Mapped at:",
                    mapping.origin());
        }
        if (quarantined && !truncated && Mappings.leakDetection()) {
            long touched = Quarantine.touchedPages(mapping);
            if (touched > 0) {
                Mappings.countTouched();
                Log.log(Level.WARNING, "mmap4j: " + touched + " page(s) of a closed mapping were read or "
                        + "written after it was closed (" + mapping.description() + "): stale views read zeros "
                        + "and their writes were discarded; stop using views of a mapping once it is closed. "
                        + "Closed at:", mapping.closedAt());
            }
        }
        return mapping;
    }

    /** munmap of every range, one call per run of neighbouring ranges; counters drop once it returned. */
    private static void unmapAll(Mapping[] ready, int count) {
        sortByAddress(ready, count);
        int i = 0;
        while (i < count) {
            long start = ready[i].address();
            long end = start + Platform.alignUp(ready[i].length());
            int j = i + 1;
            while (j < count && ready[j].address() == end) {
                end += Platform.alignUp(ready[j].length());
                j++;
            }
            int quarantined = 0;
            for (int k = i; k < j; k++) {
                // Set under the mapping's lock by close, read after reclaim took that lock: counted
                // as waiting until its munmap returned, so the pressure checks see honest numbers.
                if (ready[k].quarantined) {
                    quarantined++;
                }
            }
            unmapRun(ready[i], start, end - start, j - i - 1, quarantined);
            i = j;
        }
    }

    /** One {@code munmap} of a mapping and its {@code neighbours} after it; counters drop once it returned. */
    private static void unmapRun(Mapping first, long start, long length, int neighbours, int quarantined) {
        long rc = Quarantine.release(start, length);
        if (rc < 0) {
            reportRelease(rc, start, length, new Run(first, neighbours));
        }
        Mappings.released(neighbours + 1, quarantined);
    }

    /**
     * Sorts {@code a[0, n)} by address in place (heapsort): no comparator class to load, no merge
     * buffer to allocate, whatever the batch's size.
     */
    private static void sortByAddress(Mapping[] a, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(a, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            Mapping top = a[0];
            a[0] = a[end];
            a[end] = top;
            siftDown(a, 0, end);
        }
    }

    private static void siftDown(Mapping[] a, int at, int n) {
        Mapping moving = a[at];
        for (int child = 2 * at + 1; child < n; child = 2 * at + 1) {
            if (child + 1 < n && a[child + 1].address() > a[child].address()) {
                child++;
            }
            if (a[child].address() <= moving.address()) {
                break;
            }
            a[at] = a[child];
            at = child;
        }
        a[at] = moving;
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
            reportRelease(rc, address, length, description);
        }
    }

    private static void reportRelease(long rc, long address, long length, Object description) {
        Log.log(Level.SEVERE, "mmap4j: munmap failed: " + Errors.name((int) -rc) + " (" + description
                + ", address 0x" + Long.toHexString(address) + ", length " + length + ")");
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


    /** java.util.logging, started only when there is something to report (it costs milliseconds). */
    private static final class Log {
        /**
         * Logs, and never throws: with no descriptor free, {@code java.util.logging} cannot start
         * (its {@code LogManager} fails for the JVM's life), and a report must never stop a range
         * from being unmapped.
         */
        static void log(Level level, String message, Throwable thrown) {
            try {
                Logger.getLogger("io.github.mmap4j").log(level, message, thrown);
            } catch (Throwable t) {
                // Logging is unavailable: the report is lost, the reclaiming goes on.
            }
        }

        static void log(Level level, String message) {
            log(level, message, null);
        }
    }
}
