/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.Closeable;
import java.io.IOException;
import java.lang.ref.PhantomReference;
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
 *
 * <p>A mapping handed out as a buffer is itself the phantom reference on that buffer's root
 * (made with the mapping, {@link #takeRoot}), kept reachable by the table until reclaim: no
 * separate watch object per map. What few mappings need (leak reports, an attached descriptor,
 * a region's views and watch, {@code protect}'s record, a failed cover) lives in {@link Rare}.
 * Each field counts: a mapping lives until the collection after its close (issue 27).
 */
final class Mapping extends PhantomReference<Object> {

    private static final int CLOSED = 1 << 30;
    /** Set once the close {@link #markClosed} let through has ended ({@link #closed}). */
    private static final int ENDED = 1 << 29;
    private static final int IN_FLIGHT = ENDED - 1;

    /**
     * {@link #state} in place: no AtomicInteger per mapping (each one is copied by every collection
     * it lives through). In a holder of its own so that the first map, which only writes the field in
     * the constructor, does not make the updater (reflection and access checks, about half a
     * millisecond of a fresh JVM's first map); the first range call or close does.
     */
    private static final class State {
        static final AtomicIntegerFieldUpdater<Mapping> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Mapping.class, "state");
    }

    private final long address;
    private final long length;
    private final long base;
    /** The file offset asked for, for messages. */
    private final long offset;
    private final int protection;
    /**
     * What is mapped, for messages: a {@link FileSource}, a name, or, with {@link #options}
     * {@code null}, the whole description (its {@code toString()}, called only when needed).
     */
    private final Object what;
    /** The options it was mapped with, for messages; {@code null} when {@link #what} says it all. */
    private final MapOptions options;
    /**
     * Bit 30: closed; bit 29: that close ended; bits 0-28: operations running now. Not private:
     * {@link State}'s updater reaches it from another class (no nestmates in Java 8 class files).
     */
    volatile int state;
    /** A growable region's reservation ({@link Mapper#reserve}): the only kind {@code Mappings.mapInto} fills. */
    private volatile boolean reservation;
    /** Set once a buffer or region over it reached a caller: from then on only close gives it back. */
    private volatile boolean handedOut;
    /**
     * The first handed-out buffer, for limit(0) on close, as a JNI weak handle ({@code 0}: none):
     * most mappings hand out only it, and need no {@link Views}; no {@code WeakReference} for the
     * collector to process per map. Guarded by this.
     */
    private long first;
    /**
     * {@link #first} when the one buffer handed out is the root this mapping watches ({@link
     * #addRoot}): no handle. Close limits it through the buffer being closed, which is it or a view
     * that reaches it ({@code DirectByteBuffer.att}). Never a JNI handle (they are aligned pointers).
     */
    private static final long ROOT = -1;
    /** The buffer this mapping watches, between the map and its hand-out ({@link #takeRoot}). */
    private ByteBuffer root;
    /** Slot in the native fault handlers' table from registration until reclaim, else -1 ({@link Guard}). */
    private volatile int slot = -1;
    /** Tracked objects still reachable; the range is reclaimed when it reaches 0. Guarded by this. */
    private int trackers;
    /** {@link #OPEN}, {@link #QUARANTINED} or {@link #RECLAIMED}. Guarded by this. */
    byte phase;
    /** Whether close covered it (or tried to) and counted it as waiting. Guarded by this. */
    boolean quarantined;
    /** What few mappings need; {@code null} until one does. Written under this. */
    private volatile Rare rare;

    /** What few mappings need, in one object made for those that do. */
    private static final class Rare {
        /** Where it was mapped, for leak reports; only with leak detection. */
        Throwable origin;
        /** Where it was closed, for reports of accesses after close; only with leak detection. */
        Throwable closedAt;
        /** What the mapping keeps open (a growable region's descriptor), closed at close or reclaim. */
        Closeable resource;
        /** The handed-out buffers after the first (a region's views). */
        Views views;
        /** The watch on a region (its first tracked object), kept reachable by this mapping. */
        Object firstTracker;
        /** What {@code protect} set, by address; {@code null} while the whole range has {@link #protection}. */
        volatile Protections protections;
        /** The cover's {@code -errno} when the close's cover failed. */
        long coverError;
        /** The length asked for, where it is not {@code length - (base - address)} (huge pages). */
        long requested = -1;
    }

    /** The range maps what the user mapped. */
    static final byte OPEN = 0;
    /** Closed: the range is covered by quarantine memory (or kept as it was if covering failed). */
    static final byte QUARANTINED = 1;
    /** Reclaimed: mmap4j gave the range back, or is about to; nothing may cover or unmap it again. */
    static final byte RECLAIMED = 2;

    /**
     * Records a new mapping.
     *
     * @param address    the page-aligned start {@code mmap} returned.
     * @param length     the length given to {@code mmap}.
     * @param base       the address of the caller's first byte (the offset asked for).
     * @param protection the {@code Native.PROT_*} bits it was mapped with.
     * @param what       what is mapped: a {@link FileSource} or a name, described with {@code offset},
     *                   the length asked for and {@code options}; or, with {@code options}
     *                   {@code null}, the whole description ({@code toString()}, called only when needed).
     * @param offset     the file offset asked for.
     * @param requested  the length asked for.
     * @param options    the options, or {@code null}.
     * @param origin     where it was mapped, for leak reports; {@code null} when leak detection is off.
     * @param root       the buffer to hand out, which this mapping watches as its first tracked
     *                   object ({@link #takeRoot}); {@code null} for a region or an empty mapping.
     */
    Mapping(long address, long length, long base, int protection, Object what, long offset, long requested,
            MapOptions options, Throwable origin, ByteBuffer root) {
        super(root, root == null ? null : Reclaimer.queue());
        this.address = address;
        this.length = length;
        this.base = base;
        this.protection = protection;
        this.what = what;
        this.offset = offset;
        this.options = options;
        this.root = root;
        this.trackers = root == null ? 0 : 1;
        if (origin != null || (options != null && requested != length - (base - address))) {
            Rare r = new Rare();
            r.origin = origin;
            r.requested = requested;
            rare = r;
        }
    }

    /** {@link #rare}, made when first needed. */
    private synchronized Rare rare() {
        Rare r = rare;
        if (r == null) {
            r = new Rare();
            rare = r;
        }
        return r;
    }

    /**
     * The buffer made with this mapping, once: the caller hands it out, and this mapping no longer
     * keeps it reachable (its phantom reference watches it from then on).
     *
     * @return the buffer, or {@code null} when none was made or it was taken.
     */
    synchronized ByteBuffer takeRoot() {
        ByteBuffer r = root;
        root = null;
        return r;
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
        if (options == null) {
            return what.toString();
        }
        Rare r = rare; // made for huge pages with the length asked for; made later, it holds -1
        long asked = r == null || r.requested < 0 ? length - (base - address) : r.requested;
        return describe(what, offset, asked, options);
    }

    /**
     * A map's description: what, the offset and length asked for, and the options.
     *
     * @param what    a {@link FileSource} (its name, and a borrowed descriptor's number) or a name.
     * @param offset  the file offset asked for.
     * @param length  the length asked for.
     * @param options the options.
     * @return e.g. {@code /data/x, offset=0, length=4096, READ_WRITE}.
     */
    static String describe(Object what, long offset, long length, MapOptions options) {
        String name = what.toString();
        if (what instanceof FileSource) {
            FileSource file = (FileSource) what;
            name = file.name() + (file.isBorrowed() ? " fd=" + file.fd() : "");
        }
        return name + ", offset=" + offset + ", length=" + length + ", " + options;
    }

    /** @return where it was mapped (leak detection), or {@code null}. */
    Throwable origin() {
        Rare r = rare;
        return r == null ? null : r.origin;
    }

    /** @return where it was closed (leak detection), or {@code null}. */
    Throwable closedAt() {
        Rare r = rare;
        return r == null ? null : r.closedAt;
    }

    /** Records where it was closed, for leak reports. */
    void closedAt(Throwable at) {
        rare().closedAt = at;
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
     * @throws Error                the {@code InternalError} of an earlier fault on a protected page
     *                              (JDK 11 to 18, {@link Guard#takeLateFault}), before anything is marked.
     */
    void acquire(String call) {
        Guard.throwLateFault();
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                throw closedError(call);
            }
            if ((s & IN_FLIGHT) == IN_FLIGHT) {
                throw new IllegalStateException("mmap4j: too many concurrent operations on one mapping");
            }
            if (State.STATE.compareAndSet(this, s, s + 1)) {
                return;
            }
        }
    }

    /** Marks an operation begun by {@link #acquire} as finished. */
    void release() {
        State.STATE.decrementAndGet(this);
    }

    /**
     * The error for an operation on a closed mapping.
     *
     * @param call the operation.
     * @return the exception, not thrown.
     */
    IllegalStateException closedError(String call) {
        return new IllegalStateException("mmap4j: " + call + " on a closed mapping (" + description()
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
            if (State.STATE.compareAndSet(this, s, s | CLOSED)) {
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
        Views views = rare == null ? null : rare.views;
        return (first == 0 ? 0 : 1) + (views == null ? 0 : views.slots());
    }

    /**
     * Ends the close that {@link #markClosed} let through: wakes the closes that wait for it.
     *
     * @param coverResult what covering the range returned: {@code 0} or {@code -errno}.
     */
    synchronized void closed(long coverResult) {
        if (coverResult < 0) {
            rare().coverError = coverResult;
        }
        for (int s = state; !State.STATE.compareAndSet(this, s, s | ENDED); s = state) {
            // operations that failed to start may still leave the count: retry
        }
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
        while ((state & ENDED) == 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Rare r = rare;
        return r == null ? 0 : r.coverError;
    }

    /**
     * Sets limit(0) on every handed-out buffer still reachable, so reuse fails early.
     *
     * @param closing the buffer or region being closed: a root handed out ({@link #addRoot}) is
     *                found through it.
     */
    void limitViews(Object closing) {
        forgetViews(closing, true);
    }

    /** Forgets the handed-out buffers without touching them: at reclaim, when none is reachable. */
    void dropViews() {
        forgetViews(null, false);
    }

    /** Deletes every handle on a handed-out buffer; with {@code limit}, limits each still reachable first. */
    private synchronized void forgetViews(Object closing, boolean limit) {
        if (first == ROOT) {
            if (limit && closing instanceof ByteBuffer) {
                ByteBuffer handedOut = Maps.root((ByteBuffer) closing);
                if (handedOut != null && BufferAddress.of(handedOut) == base) {
                    ((Buffer) handedOut).limit(0);
                }
            }
            first = 0;
        } else if (first != 0) {
            Native.dropView(first, limit);
            first = 0;
        }
        Rare r = rare;
        if (r != null && r.views != null) {
            r.views.drop(limit);
            r.views = null;
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
        Rare r = rare;
        if (first == 0 && (r == null || r.views == null)) {
            first = Native.weakView(view);
            return;
        }
        views().add(view);
    }

    /**
     * Remembers that the root this mapping watches ({@link #takeRoot}) was handed out as it is,
     * the only buffer of the mapping a caller gets: every view of it reaches it, so close finds
     * it through the buffer it is given, and no handle is needed ({@code Mmap.map}: a JNI weak
     * reference made and deleted per map was 2% of a map+unmap cycle, issue 27).
     *
     * @param handedOut the root.
     */
    synchronized void addRoot(ByteBuffer handedOut) {
        if (isClosed()) {
            ((Buffer) handedOut).limit(0);
            return;
        }
        first = ROOT;
    }

    /** Whether the one buffer handed out is the root, remembered without a handle ({@link #addRoot}); for tests. */
    synchronized boolean remembersOnlyItsRoot() {
        return first == ROOT;
    }

    /**
     * Remembers a batch of a region's views for {@link #limitViews}. The caller holds this
     * mapping's lock and found it open.
     *
     * @param batch a batch, just made.
     */
    synchronized void addBatch(Views.Batch batch) {
        views().add(batch);
    }

    /** The handed-out buffers after the first, made at the first; the caller holds this mapping's lock. */
    private Views views() {
        Rare r = rare();
        if (r.views == null) {
            r.views = new Views();
        }
        return r.views;
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
        Rare r = rare();
        if (r.protections == null) {
            r.protections = new Protections(address, address + length, protection);
        }
        r.protections.set(from, to, prot);
    }

    /**
     * Whether anything could ever have written the range: it was mapped with WRITE, or
     * {@code protect} changed it (whatever to: the cover must allow all it ever allowed).
     * Otherwise its close covers it with memory that can only be read ({@link Quarantine}).
     *
     * @return {@code false} only for a range mapped without WRITE and never {@code protect}ed.
     */
    boolean mayHaveBeenWritable() {
        Rare r = rare;
        return (protection & Native.PROT_WRITE) != 0 || (r != null && r.protections != null);
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
        Rare r = rare;
        Protections p = r == null ? null : r.protections;
        return ((p == null ? protection : p.at(at)) & need) == need;
    }

    /**
     * Keeps {@code resource} open with the mapping: closed by {@link #closeResource()}, which
     * close and reclaim (a mapping nobody closed) both call.
     *
     * @param resource e.g. the descriptor a growable region extends its file through.
     */
    synchronized void attach(Closeable resource) {
        rare().resource = resource;
    }

    /** Closes the attached resource, once; later calls do nothing. */
    void closeResource() {
        Closeable r;
        synchronized (this) {
            Rare rare = this.rare;
            r = rare == null ? null : rare.resource;
            if (rare != null) {
                rare.resource = null;
            }
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
        Rare r = rare();
        if (r.firstTracker == null) {
            r.firstTracker = tracker;
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
        Rare r = rare;
        if (r != null && r.firstTracker == tracker) {
            r.firstTracker = null;
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
        // A mapping discarded before its buffer was handed out is reclaimed already: its own watch,
        // enqueued later, must not give the range back twice.
        return phase != RECLAIMED && --trackers == 0;
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
