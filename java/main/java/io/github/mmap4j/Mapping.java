/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.Closeable;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * One range mmap4j mapped, and its lifetime.
 *
 * <p>States: open, then closed (the range is covered by quarantine memory: the
 * file is released, and stale views read zeros and write nowhere, see
 * {@link Mappings}), then reclaimed (really unmapped, once no buffer that
 * could reach the range is left). Covering and unmapping both happen under
 * this object's lock and check {@link #phase}, so a close that races with
 * reclaim never covers a range mmap4j no longer owns.
 *
 * <p>Operations on the range ({@code msync}, {@code madvise}, ...) run between
 * {@link #acquire} and {@link #release}; {@link #close} first marks the mapping
 * closed, so no new operation starts, then waits for the running ones to
 * finish before it retires the range. No native call ever runs on a range
 * after it was retired.
 */
final class Mapping {

    private static final int CLOSED = 1 << 30;
    private static final int IN_FLIGHT = CLOSED - 1;
    /** {@link #state} in place: no AtomicInteger per mapping (each one is copied by every collection it lives through). */
    private static final AtomicIntegerFieldUpdater<Mapping> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Mapping.class, "state");

    private final long address;
    private final long length;
    private final long base;
    private final int protection;
    /** Built into a string only when a message needs it: most mappings never fail. */
    private final Object description;
    private final Throwable origin;
    /** Bit 30: closed; bits 0-29: operations running now. */
    private volatile int state;
    /** A growable region's reservation ({@link Mapper#reserve}): the only kind {@code Mappings.mapInto} fills. */
    private volatile boolean reservation;
    /** Set once a buffer or region over it reached a caller: from then on only close gives it back. */
    private volatile boolean handedOut;
    /** The buffers handed out, for limit(0) on close. Guarded by this. */
    /** The first handed-out buffer: most mappings hand out only it, and need no {@link Views}. */
    private WeakReference<ByteBuffer> first;
    /** The others (a region's views), from the second on; {@code null} until then. */
    private Views views;
    /**
     * The watch on the first object tracked (the buffer, or the region), kept reachable by this
     * mapping, which the table keeps reachable until reclaim: most mappings need no other. Guarded by this.
     */
    private Object firstTracker;
    /** Slot in the native fault handlers' table from registration until reclaim, else -1 ({@link Guard}). */
    private volatile int slot = -1;
    /** What {@code protect} set, by address; {@code null} while the whole range has {@link #protection}. */
    private volatile Protections protections;
    /** Tracked objects still reachable; the range is reclaimed when it reaches 0. Guarded by this. */
    private int trackers;
    /** {@link #OPEN}, {@link #QUARANTINED} or {@link #RECLAIMED}. Guarded by this. */
    int phase;
    /** Whether close covered it (or tried to) and counted it as waiting. Guarded by this. */
    boolean quarantined;
    /**
     * What the close {@link #markClosed} let through got from its cover, {@code 0} or
     * {@code -errno}, once it ended; {@code 1} until then. Guarded by this.
     */
    private long coverResult = 1;
    /** Where it was closed, for reports of accesses after close; only with leak detection. Guarded by this. */
    Throwable closedAt;
    /** What the mapping keeps open (a growable region's descriptor), closed at close or reclaim. Guarded by this. */
    private Closeable resource;

    /** The range maps what the user mapped. */
    static final int OPEN = 0;
    /** Closed: the range is covered by quarantine memory (or kept as it was if covering failed). */
    static final int QUARANTINED = 1;
    /** Reclaimed: mmap4j gave the range back, or is about to; nothing may cover or unmap it again. */
    static final int RECLAIMED = 2;

    /**
     * Records a new mapping.
     *
     * @param address     the page-aligned start {@code mmap} returned.
     * @param length      the length given to {@code mmap}.
     * @param base        the address of the caller's first byte (the offset asked for).
     * @param protection  the {@code Native.PROT_*} bits it was mapped with.
     * @param description what was mapped, for messages (path, offset, length, mode); its
     *                    {@code toString()} is called only when a message needs it.
     * @param origin      where it was mapped, for leak reports; {@code null} when leak detection is off.
     */
    Mapping(long address, long length, long base, int protection, Object description, Throwable origin) {
        this.address = address;
        this.length = length;
        this.base = base;
        this.protection = protection;
        this.description = description;
        this.origin = origin;
    }

    /**
     * The page-aligned start address.
     *
     * @return the address {@code mmap} returned.
     */
    long address() {
        return address;
    }

    /**
     * The mapped length.
     *
     * @return bytes, as given to {@code mmap}.
     */
    long length() {
        return length;
    }

    /**
     * Where the caller's bytes start: the byte at the offset that was asked for.
     *
     * @return an address in the range.
     */
    long base() {
        return base;
    }

    /**
     * The protection the range was mapped with.
     *
     * @return {@code Native.PROT_*} bits.
     */
    int protection() {
        return protection;
    }

    /**
     * What was mapped, for messages.
     *
     * @return e.g. {@code path=/data/x, offset=0, length=4096, READ_WRITE}.
     */
    String description() {
        return description.toString();
    }

    Throwable origin() {
        return origin;
    }

    /**
     * Whether {@code address} lies inside the mapped range.
     *
     * @param at an address.
     * @return {@code true} when {@code address() <= at < address() + length()}.
     */
    boolean contains(long at) {
        return at >= address && at - address < length;
    }

    /**
     * Whether the mapping was closed.
     *
     * @return {@code true} after {@link #close()} began.
     */
    boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /**
     * Marks an operation on the range as running.
     *
     * @param call the operation, for the message.
     * @throws IllegalStateException when the mapping is closed.
     */
    void acquire(String call) {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                throw closedError(call);
            }
            if ((s & IN_FLIGHT) == IN_FLIGHT) {
                throw new IllegalStateException("mmap4j: too many concurrent operations on one mapping");
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                return;
            }
        }
    }

    /** Marks an operation begun by {@link #acquire} as finished. */
    void release() {
        STATE.decrementAndGet(this);
    }

    /**
     * The error for an operation on a closed mapping.
     *
     * @param call the operation.
     * @return the exception, not thrown.
     */
    IllegalStateException closedError(String call) {
        return new IllegalStateException("mmap4j: " + call + " on a closed mapping (" + description
                + "); map it again to use it");
    }

    /**
     * First half of closing (the rest is in {@link Mappings#close}): no new
     * operation can start, and this waits for running ones to finish.
     *
     * @return {@code true} if this call closed it, {@code false} if it was closed already.
     */
    boolean markClosed() {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | CLOSED)) {
                break;
            }
        }
        // Wait for operations that began before the close: they are short system calls.
        for (int spins = 0; (state & IN_FLIGHT) != 0; spins++) {
            if (spins < 100) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(10_000L);
            }
        }
        return true;
    }

    /**
     * How many handed-out buffers this mapping remembers for {@link #limitViews}, reachable or not.
     *
     * @return the count.
     */
    synchronized int viewSlots() {
        return (first == null ? 0 : 1) + (views == null ? 0 : views.slots());
    }

    /**
     * Ends the close that {@link #markClosed} let through: wakes the closes that wait for it.
     *
     * @param coverResult what covering the range returned: {@code 0} or {@code -errno}.
     */
    synchronized void closed(long coverResult) {
        this.coverResult = coverResult;
        notifyAll();
    }

    /**
     * Waits until the close that {@link #markClosed} let through has ended (it may itself wait
     * for operations in flight), so that no close returns while the range still maps the file.
     * Not interruptible: the close it waits for is bounded by the operations in flight.
     *
     * @return what covering the range returned: {@code 0} or {@code -errno}.
     */
    synchronized long awaitClosed() {
        boolean interrupted = false;
        while (coverResult > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return coverResult;
    }

    /** Sets limit(0) on every handed-out buffer still reachable, so reuse fails early. */
    synchronized void limitViews() {
        ByteBuffer view = first == null ? null : first.get();
        if (view != null) {
            ((Buffer) view).limit(0);
        }
        first = null;
        if (views != null) {
            views.limitAll();
            views = null;
        }
    }

    /** Forgets the handed-out buffers without touching them: at reclaim, when none is reachable. */
    synchronized void dropViews() {
        first = null;
        if (views != null) {
            views.clear();
            views = null;
        }
    }

    /**
     * Remembers a handed-out buffer for {@link #limitViews} ({@link Views}: O(1) amortised, and
     * keeps nothing reachable).
     *
     * @param view the buffer.
     */
    synchronized void addView(ByteBuffer view) {
        if (isClosed()) {
            // Closed while the view was being made: it must not be usable either.
            ((Buffer) view).limit(0);
            return;
        }
        if (first == null) {
            first = new WeakReference<>(view);
            return;
        }
        if (views == null) {
            views = new Views();
        }
        views.add(view);
    }

    /**
     * The slot of this range in the native fault handlers' table, or -1.
     *
     * @return the slot.
     */
    int slot() {
        return slot;
    }

    void slot(int slot) {
        this.slot = slot;
    }

    /**
     * Records a successful {@code mprotect} of {@code [from, to)}, for {@link #allows}.
     *
     * @param from first address, page-aligned.
     * @param to   end address, page-aligned, inside the range.
     * @param prot the new {@code Native.PROT_*} bits.
     */
    synchronized void protectedAs(long from, long to, int prot) {
        if (protections == null) {
            protections = new Protections(address, address + length, protection);
        }
        protections.set(from, to, prot);
    }

    /**
     * Whether the bytes {@code [at, at + size)} (inside one page) may be accessed as asked,
     * given what the mapping was made with and what {@code protect} changed since.
     *
     * @param at    an address in the range.
     * @param write whether the access writes (and reads: every atomic update does both).
     * @return {@code false} when the page lacks READ, or WRITE for a write.
     */
    boolean allows(long at, boolean write) {
        int need = write ? Native.PROT_READ | Native.PROT_WRITE : Native.PROT_READ;
        Protections p = protections;
        return ((p == null ? protection : p.at(at)) & need) == need;
    }

    /**
     * Keeps {@code resource} open with the mapping: closed by {@link #closeResource()}, which
     * close and reclaim (a mapping nobody closed) both call.
     *
     * @param resource e.g. the descriptor a growable region extends its file through.
     */
    synchronized void attach(Closeable resource) {
        this.resource = resource;
    }

    /** Closes the attached resource, once; later calls do nothing. */
    void closeResource() {
        Closeable r;
        synchronized (this) {
            r = resource;
            resource = null;
        }
        if (r != null) {
            try {
                r.close();
            } catch (IOException e) {
                // A descriptor's close(2) releases it even when it reports an error: nothing to retry.
            }
        }
    }

    /**
     * Counts one more tracked object.
     *
     * @param tracker its watch.
     * @return {@code true} when this mapping keeps the watch reachable (the first one); otherwise the
     *         caller must.
     */
    synchronized boolean track(Object tracker) {
        trackers++;
        if (firstTracker == null) {
            firstTracker = tracker;
            return true;
        }
        return false;
    }

    /**
     * Forgets the watch kept by {@link #track}.
     *
     * @param tracker a watch that was enqueued.
     * @return {@code true} when it was the one this mapping kept.
     */
    synchronized boolean forget(Object tracker) {
        if (firstTracker == tracker) {
            firstTracker = null;
            return true;
        }
        return false;
    }

    /** @return how many tracked objects are still reachable (for tests). */
    synchronized int tracked() {
        return trackers;
    }

    /** @return {@code true} when the last tracked object is gone. */
    synchronized boolean untrack() {
        return --trackers == 0;
    }

    void markHandedOut() {
        handedOut = true;
    }

    boolean handedOut() {
        return handedOut;
    }

    void markReservation() {
        reservation = true;
    }

    boolean isReservation() {
        return reservation;
    }
}
