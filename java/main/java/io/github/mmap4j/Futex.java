/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Blocking wait and wake on an {@code int} in a direct buffer, across processes: a thread sleeps
 * while the word still holds a value, and a thread of any process that maps the same memory
 * wakes it after changing the word. Linux: {@code futex(2)} {@code FUTEX_WAIT} /
 * {@code FUTEX_WAKE}, shared (not {@code FUTEX_PRIVATE_FLAG}), so a C program calling
 * {@code futex} on the same word takes part too. macOS 14.4 and later:
 * {@code os_sync_wait_on_address_with_timeout} / {@code os_sync_wake_by_address_any/all} with the
 * {@code OS_SYNC_*_SHARED} flags. Older macOS (11 to 14.3), which has no public cross-process
 * wait: a waiter spins briefly, then sleeps in growing naps of at most 1 ms and returns when the
 * word changes; {@code wake} then wakes nobody (it returns 0) and a waiter notices the change
 * within a nap. The results are the same; only the latency differs.
 *
 * <p>The word is an {@code int} at a byte index whose absolute address is a multiple of 4, in
 * native byte order, read and written with {@link Atomics}:
 * <pre>{@code
 * // waiter                                          // waker, in another process
 * while (Atomics.getIntVolatile(shm, 0) == 0) {        Atomics.setIntVolatile(shm, 0, 1);
 *     Futex.await(shm, 0, 0, 1, TimeUnit.SECONDS);     Futex.wake(shm, 0, Integer.MAX_VALUE);
 * }
 * }</pre>
 * Change the word before waking, and re-check it after every return of {@code await}: a wake
 * says "look again", not what happened (spurious wake-ups are possible, and a wake that comes
 * before the waiter sleeps is not kept; the change is).
 *
 * <p><b>Interrupts.</b> {@code Thread.interrupt} ends a wait with {@code InterruptedException}
 * within 5 ms (plus the scheduler's delay): the wait sleeps in slices of at most 5 ms and tests
 * the interrupt status between them. No wake is lost to the slicing when the waker changes the
 * word first, and a wait that was woken returns {@link Result#WOKEN} even if an interrupt came
 * too (the interrupt status then stays set).
 *
 * <p><b>JDK notes.</b> These calls use the native library (JNI), so JDK 24+ wants
 * {@code --enable-native-access=ALL-UNNAMED} (or the jar's {@code Enable-Native-Access} manifest
 * entry with {@code java -jar}) to stay quiet, as every other mmap4j call that maps memory does.
 * On JDK 21+ a virtual thread waiting here keeps its carrier thread (a native call pins it).
 *
 * <p><b>Errors</b>, all raised before any system call: the checks of {@link Atomics} (a null or
 * heap buffer, a misaligned address, a word beyond the limit, a closed mmap4j mapping; a
 * read-only buffer is fine, neither call writes), and {@code IllegalArgumentException} for a
 * {@code count} below 1. A system call that fails otherwise throws {@link MmapException}.
 *
 * <p>All methods are thread-safe.
 */
public final class Futex {

    /** How {@link #await} ended. */
    public enum Result {
        /**
         * A wake ended the wait (or the platform woke it spuriously): read the word again.
         * With the polling fallback of older macOS: the word changed while the waiter slept.
         */
        WOKEN,
        /** The timeout passed and the word still held the expected value when last checked. */
        TIMED_OUT,
        /** The word did not hold the expected value when checked, so the wait did not sleep (longer). */
        VALUE_CHANGED
    }

    private Futex() {
    }

    /**
     * Waits while the {@code int} at {@code index} holds {@code expected}, until another thread or
     * process wakes the word or the timeout passes: {@code futex(FUTEX_WAIT)} on Linux,
     * {@code os_sync_wait_on_address_with_timeout} on macOS 14.4+.
     *
     * @param buffer   a direct buffer; read-only ones are fine.
     * @param index    byte index of the word; its address must be a multiple of 4.
     * @param expected the value to sleep on.
     * @param timeout  the longest wait; 0 or less only compares the word.
     * @param unit     the unit of {@code timeout}.
     * @return {@link Result#WOKEN}, {@link Result#TIMED_OUT} or {@link Result#VALUE_CHANGED}.
     * @throws InterruptedException when the thread is interrupted before or while waiting
     *                              (noticed within 5 ms); its interrupt status is cleared.
     * @throws MmapException        when the system call fails for a reason other than these.
     */
    public static Result await(ByteBuffer buffer, int index, int expected, long timeout, TimeUnit unit)
            throws InterruptedException, MmapException {
        return WaitWake.await(buffer, index, expected, timeout, unit);
    }

    /**
     * Wakes at most {@code count} threads waiting on the {@code int} at {@code index}, in any
     * process: {@code futex(FUTEX_WAKE, count)} on Linux; on macOS 14.4+
     * {@code os_sync_wake_by_address_any} up to {@code count} times, or
     * {@code os_sync_wake_by_address_all} for {@link Integer#MAX_VALUE}, which means "all".
     * Harmless when nobody waits.
     *
     * @param buffer a direct buffer; read-only ones are fine.
     * @param index  byte index of the word; its address must be a multiple of 4.
     * @param count  how many to wake at the most, at least 1; {@link Integer#MAX_VALUE} for all.
     * @return how many were woken: exact on Linux and, for a finite {@code count}, on macOS
     *         14.4+ (waking all there answers 1 when any was woken); 0 on older macOS, whose
     *         waiters poll the word.
     * @throws MmapException when the system call fails.
     */
    public static int wake(ByteBuffer buffer, int index, int count) throws MmapException {
        return WaitWake.wake(buffer, index, count);
    }
}
