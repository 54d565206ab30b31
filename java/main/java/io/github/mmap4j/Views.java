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
 * <p>The first buffer (most mappings have only it) is held by a {@link WeakReference}. The others
 * (a region's views) are held strongly in a batch of {@link #BATCH}, then as JNI weak global
 * references ({@link Native#weakViews}, one call per batch) in segments of {@link #SEGMENT} slots:
 * a handle is a slot in the JVM's table, not an object the collector must discover and copy, and a
 * segment is never copied as the list grows. README's growable loop makes a view per record: with a
 * {@code WeakReference} each, the young collections copied millions of them (issue 27). The batch
 * keeps at most {@link #BATCH} dropped views from being collected a little longer.
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
    /** Views held strongly before their handles are made in one native call. */
    private static final int BATCH = 64;

    /** Slots the purges visited, all mappings together (racy): for tests. */
    static long purgeWork;

    private WeakReference<ByteBuffer> first;
    /** Segments of handles; {@code null} until the second view. */
    private long[][] segments;
    /** Handles in use, in order from segment 0. */
    private int count;
    /** Views not yet in {@link #segments}: held strongly, at most {@link #BATCH}. */
    private ByteBuffer[] batch;
    private int batched;
    /** Handles found reachable at the last purge. */
    private int live;
    /** Cleared by the first collection after the last purge: until then, a purge would find nothing. */
    private WeakReference<Object> collected;

    /**
     * Remembers a buffer handed out.
     *
     * @param view the buffer.
     */
    void add(ByteBuffer view) {
        if (first == null) {
            first = new WeakReference<>(view);
            return;
        }
        if (batch == null) {
            batch = new ByteBuffer[BATCH];
        }
        batch[batched++] = view;
        if (batched == BATCH) {
            flush();
        }
    }

    /** Moves the batch into handles. */
    private void flush() {
        if (segments == null) {
            segments = new long[1][];
        } else if (count >= 2 * live + 8 && (collected == null || collected.get() == null)) {
            // Only once a collection ran since the last purge: before it, no handle was cleared.
            purge();
        }
        int from = 0;
        while (from < batched) {
            int s = count / SEGMENT;
            int at = count % SEGMENT;
            if (s == segments.length) {
                segments = Arrays.copyOf(segments, 2 * s);
            }
            int n = Math.min(batched - from, SEGMENT - at);
            long[] segment = segments[s];
            if (segment == null || segment.length < at + n) {
                // Segment 0 starts small (a region with a few views) and grows to a whole one.
                int length = s > 0 ? SEGMENT : Math.min(SEGMENT, Math.max(4 * (at + n), 64));
                segment = segments[s] = segment == null ? new long[length] : Arrays.copyOf(segment, length);
            }
            int made = Native.weakViews(batch, from, n, segment, at);
            count += n; // a slot whose handle could not be made holds 0, which every handle call ignores
            from += n;
            if (made < n) {
                Arrays.fill(batch, null);
                batched = 0;
                throw new OutOfMemoryError("mmap4j: NewWeakGlobalRef failed: no handle for a view");
            }
        }
        Arrays.fill(batch, 0, batched, null);
        batched = 0;
    }

    /**
     * How many buffers are remembered, reachable or not.
     *
     * @return the count.
     */
    int slots() {
        return (first == null ? 0 : 1) + batched + count;
    }

    /** Sets {@code limit(0)} on every buffer still reachable and forgets them all. */
    void limitAll() {
        ByteBuffer view = first == null ? null : first.get();
        if (view != null) {
            ((Buffer) view).limit(0);
        }
        for (int i = 0; i < batched; i++) {
            ((Buffer) batch[i]).limit(0);
        }
        drop(true);
    }

    /** Forgets every buffer (at reclaim, when none is reachable) and deletes the handles. */
    void clear() {
        drop(false);
    }

    private void drop(boolean limit) {
        first = null;
        batch = null;
        batched = 0;
        for (int s = 0; segments != null && s * SEGMENT < count; s++) {
            Native.dropViews(segments[s], Math.min(SEGMENT, count - s * SEGMENT), limit);
        }
        segments = null;
        count = 0;
        live = 0;
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
        collected = new WeakReference<>(new Object());
    }
}
