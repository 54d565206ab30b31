/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * When to ask the JVM for a collection so that unreachable mappings go back to
 * the OS: mmap4j keeps what it controls within a quarter of
 * {@code vm.max_map_count} (65530 by default, shared with the JVM's heap,
 * thread stacks and every other library), and collects when {@code mmap} fails
 * with {@code ENOMEM}, as the JDK does for direct memory. Closed ranges are
 * counted by the kernel mappings they really take (their covers merge):
 * {@link #beforeMap}.
 *
 * <p>Headroom: the JVM maps memory of its own until it exits (heap regions a
 * collection commits, thread stacks, code cache), and HotSpot aborts when such an
 * {@code mmap} fails. So mmap4j refuses a map, with {@code ENOMEM}, that would leave
 * fewer than {@value #HEADROOM_PROPERTY} kernel mappings (by default a sixteenth of
 * the limit, at least 1024) free below {@code vm.max_map_count}. The process's
 * count comes from {@code /proc/self/maps}, read rarely: first when mmap4j holds a
 * quarter of the limit, then each time it holds half the distance to the headroom
 * more than at the last read (and by {@link #beforeMap} at the closed ranges' bound).
 */
final class Pressure {

    /** System property: kernel mappings mmap4j leaves free below {@code vm.max_map_count}. */
    static final String HEADROOM_PROPERTY = "mmap4j.mapCountHeadroom";
    /** System property: the limit mmap4j works with instead of {@code vm.max_map_count} (lower only). */
    static final String MAX_MAP_COUNT_PROPERTY = "mmap4j.maxMapCount";
    /** {@value #MAX_MAP_COUNT_PROPERTY}, or none. */
    private static final long LIMIT_SETTING = Math.max(1, Long.getLong(MAX_MAP_COUNT_PROPERTY, Long.MAX_VALUE));
    /** {@value #HEADROOM_PROPERTY}, or -1 for the default. */
    private static final long HEADROOM_SETTING = Long.getLong(HEADROOM_PROPERTY, -1L);

    /** mmap4j's share of {@code vm.max_map_count} (or {@value #MAX_MAP_COUNT_PROPERTY}): a quarter. */
    private static final long BUDGET = Math.max(1024, limit() / 4);
    /**
     * Closed ranges waiting for GC. Neighbouring covers merge into one kernel mapping, but ranges
     * reclaimed in between leave holes, so in the worst case each waiting range is a kernel
     * mapping of its own: the bound is the budget.
     */
    static final long MAX_RETIRED = Long.getLong(Mappings.MAX_RETIRED_PROPERTY, BUDGET);
    /**
     * Closed ranges waiting at which a collection is asked for even while their covers merged:
     * four times {@link #MAX_RETIRED}, at most 65,536 (about 15 MB of the heap: each waiting range
     * keeps its mapping's objects until the collection that reclaims it). A quarter of the bound
     * more may close while that collection's reclaims are still on their way.
     */
    static final long MAX_RETIRED_MERGED = Math.max(MAX_RETIRED, Math.min(4 * MAX_RETIRED, 1 << 16));
    /**
     * A forced collection that took at most this long is cheap: 3 us per range of the bound (49 ms
     * at the default bound), about what reclaiming a range costs the map that waits for it. Making
     * cheap collections rarer gains nothing and makes each reclaim longer: 16,384 ranges waiting
     * took a map 27 ms at most to reclaim on an empty heap, 65,528 up to 207 ms.
     */
    static final long CHEAP_COLLECTION_NANOS = 3_000 * MAX_RETIRED;
    /**
     * Closed ranges waiting (their covers merged) at which a collection is forced: {@link #MAX_RETIRED}
     * at first and after a cheap forced collection that happened and gave ranges back,
     * {@link #MAX_RETIRED_MERGED} after a dear one (a large live heap: each forced collection costs in
     * proportion to it, so fewer of them), one that gave nothing back (views kept) or one that did not
     * happen ({@code -XX:+DisableExplicitGC}). Written under LOCK.
     */
    private static volatile long mergedBound = MAX_RETIRED;
    /** Mappings nobody closed: each is a kernel mapping until GC finds it. */
    static final long MAX_MAPPINGS = Long.getLong(Mappings.MAX_MAPPINGS_PROPERTY, BUDGET);

    private static final Object LOCK = new Object();
    private static final Object COUNT_LOCK = new Object();
    /** Mappings held at which the process's kernel mappings are counted next; written under COUNT_LOCK. */
    private static volatile long countAt = Math.min(limit() / 4, Math.max(0, limit() - headroom()) / 2);

    /**
     * The process's limit of kernel mappings: {@code vm.max_map_count} (asked again while it could
     * not be read), or the lower {@value #MAX_MAP_COUNT_PROPERTY}.
     *
     * @return the limit.
     */
    static long limit() {
        return Math.min(Platform.maxMapCount(), LIMIT_SETTING);
    }

    /**
     * Kernel mappings left to the JVM and everything else in the process.
     *
     * @return {@value #HEADROOM_PROPERTY}, by default a sixteenth of the limit and at least 1024.
     */
    static long headroom() {
        return HEADROOM_SETTING >= 0 ? HEADROOM_SETTING : Math.max(1024, limit() / 16);
    }
    /** Mappings not closed at which the next collection is asked for; written under LOCK. */
    private static volatile long pressureMark = MAX_MAPPINGS;
    /** Waiting closed ranges at which the next collection is asked for; written under LOCK. */
    private static volatile long retiredMark = MAX_RETIRED;

    private Pressure() {
    }

    /**
     * Called before each {@code mmap}: processes what the reclaimer has not yet,
     * and asks for a collection when too many closed ranges wait or too many
     * mappings were never closed. When a collection could not bring the numbers
     * down (the buffers are still reachable), it is not asked for again until
     * they grew by another quarter of the bound, so holding many costs no GC per map.
     *
     * <p>Closed ranges alone: the bound assumes each waiting range is a kernel mapping of its
     * own, but neighbouring covers merge (a loop of map and close leaves one or two kernel
     * mappings for thousands of waiting ranges). So at the bound the process's kernel mappings
     * are counted first ({@code /proc/self/maps}); while they stay within the budget until the
     * next count, the ranges wait for the JVM's own collections, counted again each quarter of
     * the bound more, up to {@link #mergedBound}: no full collection forced for kernel
     * mappings that are not there.
     */
    static void beforeMap() {
        Reclaimer.drain();
        long retired = Mappings.retiredWaiting();
        if (retired <= MAX_RETIRED / 2 && retiredMark != MAX_RETIRED) {
            retiredMark = MAX_RETIRED; // what was held is gone: back to the budget
        }
        if (retired > retiredMark || notClosed() > pressureMark) {
            synchronized (LOCK) {
                // Another thread may have relieved it while this one waited for the lock.
                boolean unclosed = notClosed() > pressureMark;
                if (unclosed || Mappings.retiredWaiting() > retiredMark) {
                    if (unclosed) {
                        relieve(); // only a collection gives mappings nobody closed back
                    } else if (coversMerged()) {
                        retiredMark = Mappings.retiredWaiting() + MAX_RETIRED / 4;
                        return;
                    } else {
                        relieveSoon();
                    }
                    pressureMark = Math.max(MAX_MAPPINGS, notClosed() + MAX_MAPPINGS / 4);
                    retiredMark = Math.max(MAX_RETIRED, Mappings.retiredWaiting() + MAX_RETIRED / 4);
                }
            }
        }
    }

    /**
     * Whether the closed ranges waiting may wait for the JVM's own collections: fewer than
     * {@link #mergedBound} of them, and the process holds so few kernel mappings (their
     * covers merged) that the quarter of the bound more that may close before the next count,
     * each a kernel mapping at worst, leaves it within the budget. Called under {@link #LOCK}.
     */
    private static boolean coversMerged() {
        if (Mappings.retiredWaiting() >= mergedBound) {
            return false;
        }
        long count = kernelMappings();
        return count >= 0 && count + MAX_RETIRED / 4 < BUDGET;
    }

    /**
     * Refuses a map that would leave fewer than {@link #headroom()} of the process's kernel
     * mappings free; see the class comment. One comparison per map until mmap4j holds many.
     *
     * @return {@code null}, or the hint of the {@code ENOMEM} the map must fail with: the headroom
     *         would be gone, even after a collection.
     */
    static String checkHeadroom() {
        if (Mappings.size() < countAt) {
            return null;
        }
        synchronized (COUNT_LOCK) {
            long held = Mappings.size();
            if (held < countAt) {
                return null;
            }
            long count = kernelMappings();
            if (count < 0) {
                countAt = held + 1024; // unreadable now (no descriptor free?): ask again later
                return null;
            }
            long limit = limit();
            long headroom = headroom();
            if (limit - count <= headroom + 1) {
                // Unreachable mappings may be waiting for GC: the headroom keeps a collection safe.
                relieve();
                held = Mappings.size();
                count = kernelMappings();
            }
            long spare = limit - count - headroom - 1;
            if (count >= 0 && spare < 0) {
                countAt = held; // count again at the next map: closing or collecting may have helped
                return "the process has " + count
                        + " kernel mappings of at most " + limit + " (vm.max_map_count), and mmap4j leaves "
                        + headroom + " free for the JVM's own (heap, thread stacks), whose failure would end the "
                        + "JVM: close mappings and GrowableRegions you no longer need (mmap4j holds " + held
                        + "), raise `sysctl vm.max_map_count`, or lower -D" + HEADROOM_PROPERTY;
            }
            countAt = held + Math.max(1, spare / 2);
            return null;
        }
    }

    /**
     * The process's kernel mappings: the lines of {@code /proc/self/maps}, counted as bytes
     * (about 100 bytes a line: a few milliseconds at 60,000).
     *
     * @return the count, or -1 where it cannot be read (not Linux, no descriptor free).
     */
    static long kernelMappings() {
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/self/maps")) {
            byte[] buffer = new byte[4 * 1024];
            long lines = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
            return lines;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Asks the JVM to collect unreachable buffers and waits, bounded, for their
     * ranges to be unmapped: {@code System.gc()} and a short exponential back-off
     * (nine waits, 511 ms at most), as {@code java.nio.Bits.reserveMemory} does for
     * direct memory. For a map that cannot go on without kernel mappings back
     * ({@code ENOMEM}, the headroom).
     */
    static void relieve() {
        relieve(9);
    }

    /**
     * What a map asks for when closed ranges pass their bound ({@link #beforeMap}): the same
     * collection, and three waits (7 ms at most) for its reclaims. Where the views are kept
     * nothing comes back however long one waits, and the reclaimer unmaps what does come later.
     */
    private static void relieveSoon() {
        relieve(3);
    }

    private static void relieve(int waits) {
        synchronized (LOCK) {
            long before = Mappings.reclaimed();
            // Whether System.gc() collected at all: -XX:+DisableExplicitGC makes it return at once
            // (the probe stays; every collector of JDK 8, 17 and 25 clears it, G1 with
            // -XX:+ExplicitGCInvokesConcurrent too). A static field, so that no compiler takes it apart.
            probe = new java.lang.ref.WeakReference<Object>(new Object());
            long start = System.nanoTime();
            forced++;
            System.gc();
            long took = System.nanoTime() - start;
            boolean collected = probe.get() == null;
            probe = null;
            awaitReclaims(before, waits);
            mergedBound = mergedBoundAfter(took, collected, Mappings.reclaimed() > before);
        }
    }

    /** What {@link #relieve} asks the collector to clear; under LOCK. */
    private static java.lang.ref.WeakReference<Object> probe;

    /**
     * The next {@link #mergedBound}.
     *
     * @param collectionNanos how long the forced collection took.
     * @param collected       whether it collected at all (a referent only it could clear was cleared).
     * @param gaveBack        whether ranges were reclaimed after it.
     * @return {@link #MAX_RETIRED} after a cheap collection that happened and gave ranges back, else
     *         {@link #MAX_RETIRED_MERGED} (a collection that did not happen is not cheap: ranges a collection
     *         of the JVM's own gave back while the map waited say nothing about the next forced one).
     */
    static long mergedBoundAfter(long collectionNanos, boolean collected, boolean gaveBack) {
        return collected && gaveBack && collectionNanos <= CHEAP_COLLECTION_NANOS ? MAX_RETIRED : MAX_RETIRED_MERGED;
    }

    /** Drains the reclaimer's queue until ranges came back (more than {@code before}), waiting up to {@code waits} times. */
    private static void awaitReclaims(long before, int waits) {
        long sleep = 1;
        for (int attempt = 0; attempt < waits; attempt++) {
            Reclaimer.drain();
            if (Mappings.reclaimed() > before && Mappings.retiredWaiting() <= MAX_RETIRED / 2) {
                return;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleptMillis += sleep;
            sleep <<= 1;
        }
        Reclaimer.drain();
    }

    /** {@link #mergedBound}, for tests. */
    static long mergedBound() {
        return mergedBound;
    }

    /** Milliseconds {@link #relieve} slept waiting for reclaims, for tests; written under LOCK. */
    static volatile long sleptMillis;
    /**
     * Collections {@link #relieve} asked for, for tests (a JVM's own counters may count one
     * {@code System.gc()} twice: the parallel collector's young and full); written under LOCK.
     */
    static volatile long forced;

    /** Mappings in the table that were never closed: each is a kernel mapping of its own. */
    private static long notClosed() {
        return Mappings.size() - Mappings.retiredWaiting();
    }
}
