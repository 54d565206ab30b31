/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.Ranges.Span;

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
        Ranges.advise(advice.call, span, Codes.advice(advice), advice.discardsData());
    }

    static void sync(Span span, SyncMode mode) throws MmapException {
        Platform.ensureLoaded();
        int bits = Codes.sync(mode);
        Ranges.sync(SYNC_CALLS[bits], span, bits);
    }

    static Residency residency(Span span) throws MmapException {
        Platform.ensureLoaded();
        return new Residency(Ranges.residency(span));
    }

    static void lock(Span span) throws MmapException {
        Platform.ensureLoaded();
        Ranges.lock(span);
    }

    static void unlock(Span span) throws MmapException {
        Platform.ensureLoaded();
        Ranges.unlock(span);
    }

    static void protect(Span span, Protection... protections) throws MmapException {
        Platform.ensureLoaded();
        int bits = Codes.protection(Arrays.asList(Objects.requireNonNull(protections, "protections")));
        Ranges.protect("mprotect" + Arrays.toString(protections), span, bits);
    }
}
