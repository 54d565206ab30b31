/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.lang.ref.WeakReference;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The buffers a mapping handed out, remembered so that close can set {@code limit(0)} on those
 * still reachable, without keeping any of them reachable. Not thread-safe: its {@link Mapping}
 * guards it.
 *
 * <p>A mapping's first buffer is not here (most mappings have only it: {@link Mapping} holds it
 * by a {@link WeakReference}). The others (a region's views) are held by JNI weak global references ({@link Native#weakView}, one call
 * each) in segments of {@link #SEGMENT} slots: a handle is a slot in the JVM's table, not an object
 * the collector must discover and copy, and a segment is never copied as the list grows. README's
 * growable loop makes a view per record: with a {@code WeakReference} each, the young collections
 * copied millions of them (issue 27).
 *
 * <p>A region's views of a window it already made need no handle each: they are cut in
 * {@link Batch}es (see there), and this list holds one {@code WeakReference} per batch. Making and
 * deleting a handle, and limiting every handled view over JNI at close, had been most of what a
 * view cost in README's loop (about 130 of 210 ns a 64-byte record); a batch of views held strongly
 * and given handles in one native call had cost more, not less.
 *
 * <p>Handles on collected views are deleted when the list holds twice the views found reachable
 * at the last purge (plus 8), in one pass that compacts the segments in place; segments beyond
 * what is needed are dropped. A purge costs what the adds since the last one cost, so a mapping
 * that hands out millions of views pays O(1) amortised per view; a purge with no collection since
 * the last one is skipped (it would find nothing to delete).
 */
final class Views {

    /** Handles per segment. */
    private static final int SEGMENT = 4096;

    /** Slots the purges visited, all mappings together (racy): for tests. */
    static long purgeWork;

    /** Segments of handles; {@code null} until the second view. */
    private long[][] segments;
    /** Handles in use, in order from segment 0. */
    private int count;
    /** Handles found reachable at the last purge. */
    private int live;
    /** Cleared by the first collection after the last purge: until then, a purge would find nothing. */
    private WeakReference<Object> collected;

    /** The batches of views, each by a {@code WeakReference}; {@code null} until the first. */
    private WeakReference<?>[] batches;
    /** Batches in {@link #batches}, in order from 0. */
    private int batchCount;
    /** Cleared by the first collection after the last purge of batches. */
    private WeakReference<Object> batchesCollected;

    /**
     * Views of one window of a region, cut from {@link #carrier}: a buffer over the window's bytes
     * whose {@code DirectByteBuffer.att} is this batch ({@link Native#attach}). A view's
     * {@code att} is then this batch (JDK 9+; on JDK 8 its parent, whose chain leads here), and so
     * is that of every duplicate or slice the user makes of it: while any is reachable, so is the
     * batch, which holds its views and the window (whose root the mapping watches) strongly. Close
     * limits every view of every batch still reachable, one {@code WeakReference} per
     * {@link #SIZE} views instead of one JNI handle each. The cost: a view kept long after its
     * siblings keeps them too (at most {@code SIZE - 1}, ~4 KiB for 64-byte views) until it goes.
     * Guarded by the mapping's lock.
     */
    static final class Batch {
        /** Views per batch. */
        static final int SIZE = 64;

        /** The window the views are of: keeps its watched root reachable from every view. */
        final ByteBuffer window;
        /** What the views are cut from, read-only if the window is; set once, after {@link Native#attach}. */
        ByteBuffer carrier;
        private final ByteBuffer[] views = new ByteBuffer[SIZE];
        private int count;

        Batch(ByteBuffer window) {
            this.window = window;
        }

        boolean full() {
            return count == SIZE;
        }

        void add(ByteBuffer view) {
            views[count++] = view;
        }

        /** Sets {@code limit(0)} on each view, and takes no more. */
        void limitAll() {
            for (int i = 0; i < count; i++) {
                ((Buffer) views[i]).limit(0);
            }
            count = SIZE;
        }
    }

    /**
     * Remembers a batch of views: close limits them all while the batch is reachable. Amortised
     * O(1): when the array is full, collected batches are dropped first (if a collection ran since
     * the last time), and the array doubles only if that left it more than half full.
     *
     * @param batch a batch, just made.
     */
    void add(Batch batch) {
        if (batches == null) {
            batches = new WeakReference<?>[8];
        } else if (batchCount == batches.length) {
            if (collectedSince(batchesCollected)) {
                purgeBatches();
            }
            if (batchCount > batches.length / 2) {
                batches = Arrays.copyOf(batches, 2 * batches.length);
            }
        }
        batches[batchCount++] = new WeakReference<>(batch);
    }

    /** Drops the references to collected batches, keeping the rest in order at the front. */
    private void purgeBatches() {
        int kept = 0;
        for (int i = 0; i < batchCount; i++) {
            if (batches[i].get() != null) {
                batches[kept++] = batches[i];
            }
        }
        Arrays.fill(batches, kept, batchCount, null);
        purgeWork += batchCount;
        batchCount = kept;
        if (batches.length > 64 && kept < batches.length / 4) {
            batches = Arrays.copyOf(batches, batches.length / 2);
        }
        batchesCollected = mark();
    }

    /**
     * Remembers a buffer handed out.
     *
     * @param view the buffer.
     */
    void add(ByteBuffer view) {
        int s = count / SEGMENT;
        int at = count % SEGMENT;
        long[] segment = segments == null || s == segments.length ? null : segments[s];
        if (segment == null || at == segment.length) {
            segment = room();
            at = count % SEGMENT;
        }
        long handle = Native.weakView(view);
        if (handle == 0) {
            throw new OutOfMemoryError("mmap4j: NewWeakGlobalRef failed: no handle for a view");
        }
        segment[at] = handle;
        count++;
    }

    /** Makes room for one more handle (purging first when it is due); returns its segment. */
    private long[] room() {
        if (segments == null) {
            segments = new long[1][];
        } else if (count >= 2 * live + 8 && collectedSince(collected)) {
            // Only once a collection ran since the last purge: before it, no handle was cleared.
            purge();
        }
        int s = count / SEGMENT;
        int at = count % SEGMENT;
        if (s == segments.length) {
            segments = Arrays.copyOf(segments, 2 * s);
        }
        long[] segment = segments[s];
        if (segment == null || segment.length == at) {
            // Segment 0 starts small (a region with a few views) and grows to a whole one.
            int length = s > 0 ? SEGMENT : Math.min(SEGMENT, Math.max(4 * at, 64));
            segment = segments[s] = segment == null ? new long[length] : Arrays.copyOf(segment, length);
        }
        return segment;
    }

    /** A mark the next collection clears: a purge before it would find nothing to drop. */
    private static WeakReference<Object> mark() {
        return new WeakReference<>(new Object());
    }

    /** Whether a collection ran since {@code mark} was made (or there is none yet). */
    private static boolean collectedSince(WeakReference<Object> mark) {
        return mark == null || mark.get() == null;
    }

    /** Handles and batch references held, their views reachable or not. */
    int slots() {
        return count + batchCount;
    }

    /**
     * Forgets every buffer and deletes the handles; with {@code limit}, first sets {@code limit(0)} on
     * each still reachable (at close; without, at reclaim, when none is reachable).
     */
    void drop(boolean limit) {
        for (int s = 0; segments != null && s * SEGMENT < count; s++) {
            Native.dropViews(segments[s], Math.min(SEGMENT, count - s * SEGMENT), limit);
        }
        segments = null;
        count = 0;
        live = 0;
        for (int i = 0; limit && i < batchCount; i++) {
            Batch batch = (Batch) batches[i].get();
            if (batch != null) {
                batch.limitAll();
            }
        }
        batches = null;
        batchCount = 0;
    }

    /** Deletes the handles on collected views and compacts what is left to the front. */
    private void purge() {
        int kept = 0;
        for (int s = 0; s * SEGMENT < count; s++) {
            long[] segment = segments[s];
            int n = Native.purgeViews(segment, Math.min(SEGMENT, count - s * SEGMENT));
            // Move the n kept to the end of what was kept so far (kept <= s * SEGMENT: never ahead).
            int at = 0;
            while (at < n) {
                int to = kept % SEGMENT;
                int chunk = Math.min(n - at, SEGMENT - to);
                long[] target = segments[kept / SEGMENT];
                if (target != segment || to != at) {
                    System.arraycopy(segment, at, target, to, chunk);
                }
                at += chunk;
                kept += chunk;
            }
        }
        purgeWork += count;
        // Keep the segments the kept handles fill plus one to grow into; drop the rest.
        int need = kept / SEGMENT + 1;
        for (int s = need + 1; s < segments.length; s++) {
            segments[s] = null;
        }
        count = kept;
        live = kept;
        collected = mark();
    }
}
