/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.Guard;
import io.github.mmap4j.internal.Mapping;
import io.github.mmap4j.internal.Mappings;
import io.github.mmap4j.internal.Native;
import io.github.mmap4j.internal.Platform;
import io.github.mmap4j.internal.Ranges;
import io.github.mmap4j.internal.Ranges.Rounding;
import io.github.mmap4j.internal.Ranges.Span;

import java.util.Arrays;
import java.util.Objects;

/**
 * The range operations, once, for both handles: {@link Mmap}'s buffer methods
 * and {@link MappedRegion}'s long-range methods build a {@link Span} and call
 * these. Each loads the library first ({@link Platform#ensureLoaded()}): a
 * buffer's span starts with a native call.
 */
final class RangeOps {

    /** msync's name in messages by Native.SYNC_* bits, made once: range calls must not build strings. */
    private static final String[] SYNC_CALLS = new String[8];

    static {
        for (int bits = 0; bits < SYNC_CALLS.length; bits++) {
            SYNC_CALLS[bits] = "msync(" + ((bits & Native.SYNC_ASYNC) != 0 ? "MS_ASYNC" : "MS_SYNC")
                    + ((bits & Native.SYNC_INVALIDATE) != 0 ? "|MS_INVALIDATE" : "") + ")";
        }
    }

    private RangeOps() {
    }

    static void advise(Span span, Advice advice) throws MmapException {
        Platform.ensureLoaded();
        final int code = Codes.advice(advice);
        Ranges.run(advice.call, span, advice.discardsData() ? Rounding.INWARD : Rounding.OUTWARD,
                (keep, address, bytes) -> Native.advise(keep, address, bytes, code));
    }

    static void sync(Span span, SyncMode mode) throws MmapException {
        Platform.ensureLoaded();
        final int bits = Codes.sync(mode);
        Ranges.run(SYNC_CALLS[bits], span, Rounding.OUTWARD,
                (keep, address, bytes) -> Native.sync(keep, address, bytes, bits));
    }

    static Residency residency(Span span, final boolean perPage) throws MmapException {
        Platform.ensureLoaded();
        final long[][] bits = new long[1][];
        final long[] pages = new long[1];
        long resident = Ranges.run("mincore", span, Rounding.OUTWARD, (keep, address, bytes) -> {
            pages[0] = bytes / Platform.pageSize();
            bits[0] = perPage ? new long[(int) ((pages[0] + 63) >>> 6)] : null;
            return Native.residency(keep, address, bytes, bits[0]);
        });
        return new Residency(pages[0], resident, perPage && bits[0] == null ? new long[0] : bits[0]);
    }

    static void lock(Span span) throws MmapException {
        Platform.ensureLoaded();
        Ranges.run("mlock", span, Rounding.OUTWARD, Native::lock);
    }

    static void unlock(Span span) throws MmapException {
        Platform.ensureLoaded();
        Ranges.run("munlock", span, Rounding.OUTWARD, Native::unlock);
    }

    static void protect(Span span, Protection... protections) throws MmapException {
        Platform.ensureLoaded();
        final int bits = Codes.protection(Arrays.asList(Objects.requireNonNull(protections, "protections")));
        Ranges.run("mprotect" + Arrays.toString(protections), span, Rounding.EXACT, (keep, address, bytes) -> {
            // Before the pages lose access: a fault right after must already be forwarded.
            Mapping mapping = Mappings.find(address);
            if (mapping != null && Guard.needed(bits, mapping.protection())) {
                Guard.cover(mapping);
            }
            return Native.protect(keep, address, bytes, bits);
        });
    }
}
