/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.util.Collection;
import java.util.Objects;

/**
 * The one place that turns the public enums into the shim's portable codes
 * (which the C side turns into platform values), and refuses what the running
 * platform lacks with {@link UnsupportedOperationException}.
 */
final class Codes {

    private Codes() {
    }

    static int protection(Collection<Protection> protections) {
        int bits = 0;
        for (Protection p : protections) {
            // Comparisons, not a switch: a switch on an enum is a synthetic class of its own, one
            // more for the first map to load (issue 27).
            if (Objects.requireNonNull(p, "protection") == Protection.READ) {
                bits |= Native.PROT_READ;
            } else if (p == Protection.WRITE) {
                bits |= Native.PROT_WRITE;
            } else {
                bits |= Native.PROT_EXEC;
            }
        }
        return bits;
    }

    static int sharing(Sharing sharing, boolean anonymous) {
        int code = Objects.requireNonNull(sharing, "sharing") == Sharing.PRIVATE ? Native.SHARE_PRIVATE
                : Native.SHARE_SHARED;
        return anonymous ? code | Native.SHARE_ANONYMOUS : code;
    }

    static int flags(Collection<MapFlag> flags) {
        int bits = 0;
        for (MapFlag flag : flags) {
            if (!flag.isSupported()) {
                throw unsupported("map flag", flag.name());
            }
            bits |= 1 << flag.code();
        }
        return bits;
    }

    static int advice(Advice advice) {
        if (!Objects.requireNonNull(advice, "advice").isSupported()) {
            throw unsupported("advice", advice.name());
        }
        return advice.code();
    }

    static int sync(SyncMode mode) {
        if (Objects.requireNonNull(mode, "mode") == SyncMode.SYNC) {
            return Native.SYNC_SYNC;
        } else if (mode == SyncMode.ASYNC) {
            return Native.SYNC_ASYNC;
        } else if (mode == SyncMode.SYNC_INVALIDATE) {
            return Native.SYNC_SYNC | Native.SYNC_INVALIDATE;
        }
        return Native.SYNC_ASYNC | Native.SYNC_INVALIDATE;
    }

    static UnsupportedOperationException unsupported(String what, String name) {
        return new UnsupportedOperationException(what + " " + name + " is not available on " + Platform.name()
                + " (its headers do not define it); check isSupported() first");
    }
}
