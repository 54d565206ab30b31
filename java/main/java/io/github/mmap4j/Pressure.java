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
 * with {@code ENOMEM}, as the JDK does for direct memory.
 */
final class Pressure {

    /** mmap4j's share of {@code vm.max_map_count}: a quarter. */
    private static final long BUDGET = Math.max(1024, Platform.maxMapCount() / 4);
    /**
     * Closed ranges waiting for GC. Neighbouring covers merge into one kernel mapping, but ranges
     * reclaimed in between leave holes, so in the worst case each waiting range is a kernel
     * mapping of its own: the bound is the budget.
     */
    static final long MAX_RETIRED = Long.getLong(Mappings.MAX_RETIRED_PROPERTY, BUDGET);
    /** Mappings nobody closed: each is a kernel mapping until GC finds it. */
    static final long MAX_MAPPINGS = Long.getLong(Mappings.MAX_MAPPINGS_PROPERTY, BUDGET);

    private static final Object LOCK = new Object();
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
                if (Mappings.retiredWaiting() > retiredMark || notClosed() > pressureMark) {
                    relieve();
                    pressureMark = Math.max(MAX_MAPPINGS, notClosed() + MAX_MAPPINGS / 4);
                    retiredMark = Math.max(MAX_RETIRED, Mappings.retiredWaiting() + MAX_RETIRED / 4);
                }
            }
        }
    }

    /**
     * Asks the JVM to collect unreachable buffers and waits, bounded, for their
     * ranges to be unmapped: {@code System.gc()} and a short exponential back-off,
     * as {@code java.nio.Bits.reserveMemory} does for direct memory.
     */
    static void relieve() {
        synchronized (LOCK) {
            long before = Mappings.reclaimed();
            System.gc();
            long sleep = 1;
            for (int attempt = 0; attempt < 9; attempt++) {
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
                sleep <<= 1;
            }
        }
    }

    /** Mappings in the table that were never closed: each is a kernel mapping of its own. */
    private static long notClosed() {
        return Mappings.size() - Mappings.retiredWaiting();
    }
}
