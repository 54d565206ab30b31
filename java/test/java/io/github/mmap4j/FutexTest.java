/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wait and wake between threads of one JVM, on a shared mapping (the kernel treats it as it
 * treats another process's mapping of the same memory); between processes in {@link IpcTest}.
 * Bounds are generous: the machine running this may be loaded.
 */
class FutexTest {

    /** Longest a woken or interrupted waiter may take to return, on a loaded machine. */
    private static final long BOUND_MS = 2000;
    /** Exact wake counts: Linux futex (macOS 14.4+ too for a finite count, but not for Integer.MAX_VALUE). */
    private static final boolean LINUX = new File("/proc/self").exists();

    private ByteBuffer b;

    @BeforeEach
    void map() throws Exception {
        b = Mmap.anonymous(4096, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
    }

    @AfterEach
    void unmap() throws Exception {
        Mmap.unmap(b);
    }

    /** A thread that waits on the word at 0 while it holds 0, at most {@code seconds}. */
    private final class Waiter extends Thread {
        final long seconds;
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final AtomicLong returnedAt = new AtomicLong();
        volatile boolean interruptedAfter;

        Waiter(long seconds) {
            this.seconds = seconds;
            start();
        }

        @Override
        public void run() {
            try {
                outcome.set(Futex.await(b, 0, 0, seconds, TimeUnit.SECONDS));
            } catch (Throwable t) {
                outcome.set(t);
            }
            returnedAt.set(System.nanoTime());
            interruptedAfter = Thread.currentThread().isInterrupted();
        }

        Object result() throws InterruptedException {
            join(TimeUnit.SECONDS.toMillis(seconds) + 30_000);
            assertFalse(isAlive(), "the waiter never returned");
            return outcome.get();
        }
    }

    @Test
    void aTimeoutIsHonoured() throws Exception {
        long start = System.nanoTime();
        assertEquals(Futex.Result.TIMED_OUT, Futex.await(b, 0, 0, 120, TimeUnit.MILLISECONDS));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= 120, "returned after " + tookMs + " ms, before the timeout");
        assertTrue(tookMs < 120 + BOUND_MS, "returned after " + tookMs + " ms");
    }

    @Test
    void aChangedValueReturnsAtOnce() throws Exception {
        Atomics.setIntVolatile(b, 0, 3);
        long start = System.nanoTime();
        assertEquals(Futex.Result.VALUE_CHANGED, Futex.await(b, 0, 0, 30, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(BOUND_MS));
        assertEquals(Futex.Result.TIMED_OUT, Futex.await(b, 0, 3, 0, TimeUnit.SECONDS), "0 only compares");
        assertEquals(Futex.Result.TIMED_OUT, Futex.await(b, 0, 3, -5, TimeUnit.SECONDS), "negative: as 0");
        assertEquals(Futex.Result.VALUE_CHANGED, Futex.await(b, 0, 4, 0, TimeUnit.SECONDS));
    }

    @Test
    void aWakeWithNobodyWaitingIsHarmlessAndNotKept() throws Exception {
        assertEquals(0, Futex.wake(b, 0, 1));
        assertEquals(0, Futex.wake(b, 0, Integer.MAX_VALUE));
        assertEquals(0, Futex.wake(b.asReadOnlyBuffer(), 4, Integer.MAX_VALUE), "read-only buffers may wake");
        assertEquals(0, Atomics.getIntVolatile(b, 0), "wake writes nothing");
        assertEquals(Futex.Result.TIMED_OUT, Futex.await(b, 0, 0, 30, TimeUnit.MILLISECONDS),
                "an earlier wake does not end a later wait");
    }

    @Test
    void aWakeEndsAWaitInAnotherThreadWithinTheBound() throws Exception {
        Waiter w = new Waiter(60);
        Thread.sleep(100);
        Atomics.setIntVolatile(b, 0, 1);
        long wokenAt = System.nanoTime();
        int woken = Futex.wake(b, 0, Integer.MAX_VALUE);
        Object result = w.result();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(w.returnedAt.get() - wokenAt);
        // In the kernel (WOKEN), or between two slices of its wait (it then saw the change).
        assertTrue(result == Futex.Result.WOKEN || result == Futex.Result.VALUE_CHANGED, String.valueOf(result));
        assertTrue(woken <= 1, "woken=" + woken);
        assertTrue(tookMs < BOUND_MS, "returned " + tookMs + " ms after the wake");
    }

    @Test
    void wakeOneWakesOneAndWakeAllTheRest() throws Exception {
        List<Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(new Waiter(60));
        }
        // The word stays 0, so only a wake ends a wait: wake one as soon as one sleeps.
        int woken = 0;
        for (int i = 0; i < 400 && woken == 0; i++) {
            Thread.sleep(5);
            woken = Futex.wake(b, 0, 1);
        }
        if (!LINUX && woken == 0) {
            // Older macOS polls and cannot wake without a change: end the waits the portable way.
            Atomics.setIntVolatile(b, 0, 1);
        } else {
            assertEquals(1, woken);
            Thread.sleep(200);
            assertEquals(1, count(waiters, Futex.Result.WOKEN), "wake(1) ended exactly one wait");
            for (int i = 0; i < 400 && woken < waiters.size(); i++) {
                Thread.sleep(5);
                int n = Futex.wake(b, 0, Integer.MAX_VALUE);
                woken += LINUX ? n : count(waiters, Futex.Result.WOKEN) - woken;
            }
            assertEquals(waiters.size(), woken);
        }
        for (Waiter w : waiters) {
            Object r = w.result();
            assertTrue(r == Futex.Result.WOKEN || r == Futex.Result.VALUE_CHANGED, String.valueOf(r));
        }
    }

    private static int count(List<Waiter> waiters, Futex.Result result) {
        int n = 0;
        for (Waiter w : waiters) {
            if (w.outcome.get() == result) {
                n++;
            }
        }
        return n;
    }

    @Test
    void anInterruptEndsTheWaitWithinTheBound() throws Exception {
        Waiter w = new Waiter(60);
        Thread.sleep(100);
        long interruptedAt = System.nanoTime();
        w.interrupt();
        Object result = w.result();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(w.returnedAt.get() - interruptedAt);
        assertTrue(result instanceof InterruptedException, String.valueOf(result));
        assertFalse(w.interruptedAfter, "the interrupt status is cleared, as Object.wait does");
        System.out.println("[futex] the interrupted waiter returned after " + tookMs + " ms");
        assertTrue(tookMs < BOUND_MS, "returned " + tookMs + " ms after the interrupt");
    }

    @Test
    void anInterruptedThreadDoesNotWait() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        assertThrows(InterruptedException.class, () -> Futex.await(b, 0, 0, 30, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(BOUND_MS));
    }

    @Test
    void unmappingEndsAWaitOnTheClosedMapping() throws Exception {
        ByteBuffer other = Mmap.anonymous(4096, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicInteger returned = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                Futex.await(other, 0, 0, 60, TimeUnit.SECONDS);
            } catch (Throwable e) {
                thrown.set(e);
            }
            returned.incrementAndGet();
        });
        t.start();
        Thread.sleep(100);
        long closedAt = System.nanoTime();
        Mmap.unmap(other);
        t.join(60_000);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
        assertEquals(1, returned.get());
        assertNotNull(thrown.get());
        assertTrue(thrown.get() instanceof IllegalStateException, thrown.get().toString());
        assertTrue(tookMs < BOUND_MS, "returned " + tookMs + " ms after unmap");
    }
}
