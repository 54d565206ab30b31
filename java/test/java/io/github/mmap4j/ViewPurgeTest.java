/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Making and dropping views costs O(1) amortised and keeps no garbage alive (issue 27, item 1):
 * README's growable loop makes one view per record, and the purge of dead view references used
 * to remove them one by one from the middle of a list (quadratic: 512 MiB of 64-byte records never
 * finished). Measured here in work, not time: every slot a purge visits or moves is counted
 * ({@link Views#purgeWork}); the old purge moved 3 billion slots for 250,000 views.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ViewPurgeTest {

    private static final MapOptions PRIVATE = MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE);

    /** Drops strongly held views, then collects until they are gone. */
    private static void collect(WeakReference<ByteBuffer> probe) throws InterruptedException {
        for (int i = 0; i < 200 && probe.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(probe.get() == null, "the dropped views were collected");
    }

    @Test
    void aPurgeOfManyDeadViewsIsLinear() throws Exception {
        int n = 50_000;
        try (MappedRegion region = Mmap.anonymousRegion(1 << 20, PRIVATE)) {
            long before = Views.purgeWork;
            List<ByteBuffer> keep = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                keep.add(region.view(i % 4096 * 64, 64));
            }
            WeakReference<ByteBuffer> probe = new WeakReference<>(keep.get(n / 2));
            keep = null;
            collect(probe);
            long views = n;
            for (int i = 0; i < 4 * n; i++, views++) {
                region.view(0, 64).put(0, (byte) 1);
            }
            long work = Views.purgeWork - before;
            System.out.println("[purge] " + views + " views, " + work + " slots visited or moved, "
                    + region.mapping.viewSlots() + " remembered");
            assertTrue(work <= 4 * views, work + " slots visited or moved by purges for " + views + " views");
        }
    }

    @Test
    void millionsOfDroppedViewsStayBounded() throws Exception {
        try (MappedRegion region = Mmap.anonymousRegion(1 << 20, PRIVATE)) {
            long before = Views.purgeWork;
            int views = 3_000_000;
            int most = 0;
            for (int i = 0; i < views; i++) {
                region.view(i % 16384 * 64, 64).put(0, (byte) i);
                most = Math.max(most, region.mapping.viewSlots());
            }
            long work = Views.purgeWork - before;
            System.out.println("[purge] " + views + " views, " + work + " slots visited or moved, at most "
                    + most + " remembered");
            assertTrue(work <= 4L * views, work + " slots visited or moved by purges for " + views + " views");
        }
    }

    /**
     * A view is cut from its region's window, which it keeps reachable: one watch per window, not
     * one per view (a phantom reference per view made the collector the bottleneck of README's
     * loop). The range still stays mapped while any view is reachable (RegionTest).
     */
    @Test
    void viewsAddNoWatchOfTheirOwn() throws Exception {
        try (MappedRegion region = Mmap.anonymousRegion(1 << 20, PRIVATE)) {
            region.view(0, 64);
            int before = region.mapping.tracked();
            List<ByteBuffer> keep = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                ByteBuffer v = region.view(i % 16384 * 64, 64);
                v.put(0, (byte) i);
                if (i % 1000 == 0) {
                    keep.add(v);
                }
            }
            System.out.println("[views] 100000 views: " + (region.mapping.tracked() - before) + " more watched");
            assertTrue(region.mapping.tracked() - before <= 0, (region.mapping.tracked() - before)
                    + " objects watched for 100000 views of one window");
            assertTrue(keep.get(7).capacity() == 64);
        }
    }

    /**
     * Every view still reachable at close gets limit(0), however it is remembered: the first, those
     * in the batch not yet given a handle, those in full segments, and after purges deleted the
     * handles of collected ones.
     */
    @Test
    void closeLimitsEveryViewStillReachableAmongMillions() throws Exception {
        MappedRegion region = Mmap.anonymousRegion(1 << 20, PRIVATE);
        List<ByteBuffer> keep = new ArrayList<>();
        WeakReference<ByteBuffer> probe = null;
        for (int i = 0; i < 1_000_000; i++) {
            ByteBuffer v = region.view(i % 16384 * 64, 64);
            if (i % 997 == 0 || i > 999_990) {
                keep.add(v);
            } else if (probe == null) {
                probe = new WeakReference<>(v);
            }
            if (i == 500_000) {
                collect(probe);
            }
        }
        int slots = region.mapping.viewSlots();
        region.close();
        for (ByteBuffer v : keep) {
            assertTrue(v.limit() == 0, "a view kept past close has limit " + v.limit());
        }
        assertTrue(region.mapping.viewSlots() == 0, "close forgets the views");
        System.out.println("[views] " + keep.size() + " kept of 1000000, " + slots + " remembered at close");
        assertTrue(slots < 1_000_000, slots + " remembered: the collected ones were never forgotten");
    }

    /**
     * Views made by other threads while the region closes: each one returned is limited by close
     * or made unusable at once, and the rest are refused with IllegalStateException. Views of a
     * window already made take no acquire (issue 27: README's loop), so only the mapping's lock
     * orders them against close; a view that escaped both would write into the cover, silently.
     */
    @Test
    void viewsMadeWhileTheRegionClosesAreAllLimited() throws Exception {
        for (int round = 0; round < 200; round++) {
            MappedRegion region = Mmap.anonymousRegion(1 << 20, PRIVATE);
            region.view(0, 64); // the window exists: the racing views take the path without acquire
            int threads = 3;
            List<List<ByteBuffer>> made = new ArrayList<>();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(threads);
            List<Thread> makers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<ByteBuffer> mine = new ArrayList<>();
                made.add(mine);
                Thread maker = new Thread(() -> {
                    started.countDown();
                    try {
                        for (int i = 0; ; i++) {
                            mine.add(region.view(i % 16384 * 64, 64));
                        }
                    } catch (IllegalStateException closed) {
                        // refused: the region closed
                    }
                });
                makers.add(maker);
                maker.start();
            }
            started.await();
            Thread.sleep(round % 3);
            region.close();
            for (Thread maker : makers) {
                maker.join();
            }
            for (List<ByteBuffer> mine : made) {
                for (ByteBuffer v : mine) {
                    assertTrue(v.limit() == 0, "round " + round + ": a view made while closing has limit "
                            + v.limit() + " after close");
                }
            }
        }
    }
}
