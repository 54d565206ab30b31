/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/** Buffers for tests. */
public final class TestBuffers {

    private TestBuffers() {
    }

    /**
     * Bytes {@code offset .. offset+length} of {@code buffer} as a buffer of their own, the way a user
     * hands a range to {@code Mmap.lock}, {@code unlock} and {@code protect} (JDK 8's API: no
     * {@code slice(index, length)} before JDK 13).
     */
    public static ByteBuffer slice(ByteBuffer buffer, long offset, long length) {
        ByteBuffer copy = buffer.duplicate();
        ((Buffer) copy).limit(Math.toIntExact(offset + length)).position(Math.toIntExact(offset));
        return copy.slice();
    }
}
