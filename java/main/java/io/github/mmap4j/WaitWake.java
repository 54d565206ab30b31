/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Blocking wait and wake on an {@code int} of a direct buffer, behind {@link Futex}.
 *
 * <p><b>Interrupts.</b> {@code Thread.interrupt} cannot reach a thread inside a native call, so a
 * wait sleeps in slices of at most {@value #SLICE_MILLIS} ms: before each slice the thread's
 * interrupt status is tested (and cleared, with an {@code InterruptedException}), after each the
 * mapping's closed state. The worst-case interrupt latency is one slice plus the scheduler's
 * delay; an idle waiter costs {@code 1000 / SLICE_MILLIS} short system calls a second. Slicing
 * loses no wake-up that comes with a change of the word: the kernel compares the word with
 * {@code expected} atomically with going to sleep, so a change made between two slices ends the
 * next one at once ({@code VALUE_CHANGED}). A wake that leaves the word as it was and comes
 * between two slices is not seen, just as one that comes before a wait starts is not: wakes
 * mean something only together with a change of the word, for every futex.
 *
 * <p>On a loaded machine a waiter whose slice just ended can wait for a CPU for a while before
 * it sleeps again; a wake in that time finds nobody (it returns 0) and the waiter, once it runs,
 * returns {@code VALUE_CHANGED} at once: no later than a woken waiter would have run.
 *
 * <p>A wake that ends a slice is never dropped for an interrupt: the wait returns
 * {@code WOKEN} and the interrupt status stays set for the caller's next blocking call.
 */
final class WaitWake {

    /** The longest sleep between two checks of the interrupt status. */
    static final long SLICE_MILLIS = 5;
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS);
    private static final long EAGAIN = result("EAGAIN");
    private static final long ETIMEDOUT = result("ETIMEDOUT");
    private static final long EINTR = result("EINTR");

    private WaitWake() {
    }

    /**
     * Waits while the {@code int} at {@code index} holds {@code expected}.
     *
     * @param buffer   a direct buffer.
     * @param index    byte index of the word (address a multiple of 4).
     * @param expected the value to sleep on.
     * @param timeout  the longest wait; 0 or less only compares.
     * @param unit     its unit.
     * @return how the wait ended.
     * @throws InterruptedException when the thread is or becomes interrupted before a wake.
     * @throws MmapException        when the system call fails for another reason.
     */
    static Futex.Result await(ByteBuffer buffer, int index, int expected, long timeout, TimeUnit unit)
            throws InterruptedException, MmapException {
        Objects.requireNonNull(unit, "unit");
        Words.Entry word = Words.check("await", buffer, index, 4, false);
        long address = word.nativeAddress(buffer, index);
        long total = Math.max(0, unit.toNanos(timeout));
        long start = System.nanoTime();
        for (;;) {
            if (Thread.interrupted()) {
                throw new InterruptedException("await: interrupted while waiting on index " + index);
            }
            long remaining = total - (System.nanoTime() - start);
            long rc = Native.futexWait(buffer, address, expected, Math.max(0, Math.min(remaining, SLICE_NANOS)));
            if (rc == 0) {
                return Futex.Result.WOKEN;
            }
            if (rc == EAGAIN) {
                return Futex.Result.VALUE_CHANGED;
            }
            if (rc == ETIMEDOUT) {
                if (remaining <= SLICE_NANOS) {
                    return Futex.Result.TIMED_OUT;
                }
            } else if (rc != EINTR) {
                checkOpen(word, "await");
                Errors.check(rc, "futex wait", describe(address, index));
            }
            checkOpen(word, "await");
        }
    }

    /**
     * Throws the closed mapping's error when the word's mapping was closed: after a wait's slice,
     * and before a failed call's errno, which a close racing the call causes (a read-only range's
     * cover is private memory that can only be read: the kernel answers {@code EFAULT} there).
     */
    private static void checkOpen(Words.Entry word, String call) {
        Mapping mapping = word.mapping();
        if (mapping != null && mapping.isClosed()) {
            throw mapping.closedError(call);
        }
    }

    /**
     * Wakes waiters on the {@code int} at {@code index}, in any process.
     *
     * @param buffer a direct buffer.
     * @param index  byte index of the word (address a multiple of 4).
     * @param count  the most to wake; positive ({@code Integer.MAX_VALUE}: all).
     * @return how many were woken, as far as the platform tells.
     * @throws MmapException when the system call fails.
     */
    static int wake(ByteBuffer buffer, int index, int count) throws MmapException {
        if (count <= 0) {
            throw new IllegalArgumentException("wake: count=" + count + ": wake at least one waiter ("
                    + "Integer.MAX_VALUE wakes every one)");
        }
        Words.Entry word = Words.check("wake", buffer, index, 4, false);
        long address = word.nativeAddress(buffer, index);
        long rc = Native.futexWake(buffer, address, count);
        if (rc < 0) {
            checkOpen(word, "wake");
        }
        return (int) Errors.check(rc, "futex wake", describe(address, index));
    }

    /** What the natives return for an errno: its negated value here (they differ by platform). */
    private static long result(String errno) {
        int value = Errors.value(errno);
        if (value <= 0) {
            throw new ExceptionInInitializerError("mmap4j: the native library does not know " + errno);
        }
        return -value;
    }

    private static String describe(long address, int index) {
        return "address=0x" + Long.toHexString(address) + ", index=" + index;
    }
}
