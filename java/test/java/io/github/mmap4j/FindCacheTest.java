/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Mappings.find} tries the mapping it found last before its table (issue 27: a range call
 * on one mapping's buffers takes no lock). That mapping must never outlive its reclaim there: its
 * address may go to the next mapping, whose buffers would then be attributed to a mapping that is
 * gone (a call refused as closed, or held against the wrong close).
 */
class FindCacheTest {

    private static final MapOptions RW = MapOptions.of(MapMode.READ_WRITE);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aReclaimedMappingIsNotFoundAgainAndItsAddressGoesToTheNextOne() throws Exception {
        int size = (int) Mmap.pageSize() * 3;
        ByteBuffer first = Mmap.anonymous(size, RW);
        long address = Mmap.address(first);
        Mmap.advise(first, Advice.NORMAL); // found once: the one tried first from now on
        Mapping closed = Mappings.find(address);
        assertSame(closed, Mappings.find(address));
        Mmap.unmap(first);
        first = null;
        assertSame(closed, Mappings.find(address), "closed, still in the table until nothing reaches it");
        for (int i = 0; i < 100 && Mappings.find(address) != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(Mappings.find(address), "reclaimed: found neither in the table nor as the last one found");

        // The kernel usually hands the freed range to the next mapping of its size: take it.
        List<ByteBuffer> held = new ArrayList<>();
        ByteBuffer reuse = null;
        for (int i = 0; i < 64 && reuse == null; i++) {
            ByteBuffer next = Mmap.anonymous(size, RW);
            if (Mmap.address(next) == address) {
                reuse = next;
            } else {
                held.add(next);
            }
        }
        try {
            if (reuse != null) {
                Mapping now = Mappings.find(address);
                assertTrue(now != closed && !now.isClosed(), "the new mapping at the reused address");
                Mmap.advise(reuse, Advice.NORMAL); // refused as closed if the old mapping were found
                reuse.put(0, (byte) 7);
                assertEquals(7, reuse.get(0));
                Mmap.unmap(reuse);
            }
        } finally {
            for (ByteBuffer b : held) {
                Mmap.unmap(b);
            }
        }
    }

    @Test
    void lookupsThatAlternateBetweenMappingsFindEachOne() throws Exception {
        int page = (int) Mmap.pageSize();
        ByteBuffer a = Mmap.anonymous(page, RW);
        ByteBuffer b = Mmap.anonymous(page, RW);
        try {
            long at = Mmap.address(a);
            long bt = Mmap.address(b);
            Mapping ma = Mappings.find(at);
            Mapping mb = Mappings.find(bt);
            for (int i = 0; i < 4; i++) {
                assertSame(ma, Mappings.find(at + page - 1));
                assertSame(mb, Mappings.find(bt));
                assertSame(ma, Mappings.find(at));
            }
            Mmap.unmap(a);
            assertTrue(Mappings.find(at).isClosed(), "a closed mapping is found as closed, cached or not");
            assertEquals(0, a.limit(), "its buffer, reachable to here, limited by the close");
        } finally {
            Mmap.unmap(b);
        }
    }
}
