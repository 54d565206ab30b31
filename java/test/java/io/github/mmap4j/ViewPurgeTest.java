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
 * ({@link Mapping#purgeWork}); the old purge moved 3 billion slots for 250,000 views.
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
            long before = Mapping.purgeWork;
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
            long work = Mapping.purgeWork - before;
            System.out.println("[purge] " + views + " views, " + work + " slots visited or moved, "
                    + region.mapping.viewSlots() + " remembered");
            assertTrue(work <= 4 * views, work + " slots visited or moved by purges for " + views + " views");
        }
    }

    @Test
    void millionsOfDroppedViewsStayBounded() throws Exception {
        try (MappedRegion region = Mmap.anonymousRegion(1 << 20, PRIVATE)) {
            long before = Mapping.purgeWork;
            int views = 3_000_000;
            int most = 0;
            for (int i = 0; i < views; i++) {
                region.view(i % 16384 * 64, 64).put(0, (byte) i);
                most = Math.max(most, region.mapping.viewSlots());
            }
            long work = Mapping.purgeWork - before;
            System.out.println("[purge] " + views + " views, " + work + " slots visited or moved, at most "
                    + most + " remembered");
            assertTrue(work <= 4L * views, work + " slots visited or moved by purges for " + views + " views");
        }
    }
}
