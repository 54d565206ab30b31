/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The buffers a region's views are sliced from: one per GiB of the region, each made by
 * {@code NewDirectByteBuffer} on first use and tracked once ({@link Mappings#track}). A slice keeps
 * the buffer it was cut from reachable ({@code DirectByteBuffer.att}), so the range stays mapped
 * while any view is reachable with one watch per window instead of one per view: README's
 * growable loop makes a view per record, and a phantom reference per view made the collector the
 * loop's bottleneck (issue 27).
 *
 * <p>A window never reaches the user; each view is still remembered for {@code limit(0)} on close
 * ({@link Mapping#addView}). A view longer than what is left of its window (over 1 GiB from the
 * window's start) is made on its own ({@link Mapper#buffer}).
 */
final class Windows {

    /** A window starts at every GiB of the region and runs up to {@link Integer#MAX_VALUE} bytes. */
    private static final int SHIFT = 30;
    /** Windows kept, by GiB modulo this: a region over 64 GiB remakes a window it left long ago. */
    private static final int KEPT = 64;

    private final Mapping mapping;
    /** The address of the region's byte 0. */
    private final long base;
    /** Bytes from {@link #base} to the mapping's end (a growable region's whole reservation). */
    private final long limit;
    private final boolean writable;
    private final AtomicReferenceArray<Window> windows;

    /** Whether this JDK lets a carrier be attached to its batch ({@link Native#attach}); racy. */
    private static volatile boolean carriers = true;

    /** A window and where it starts in the region. */
    private static final class Window {
        final long start;
        final ByteBuffer buffer;
        /** The batch its views are cut in now; guarded by the mapping's lock. */
        Views.Batch batch;

        Window(long start, ByteBuffer buffer) {
            this.start = start;
            this.buffer = buffer;
        }
    }

    /**
     * Windows over a region.
     *
     * @param mapping the region's mapping.
     * @param base    the address of the region's byte 0, inside the mapping.
     */
    Windows(Mapping mapping, long base) {
        this.mapping = mapping;
        this.base = base;
        this.limit = mapping.address() + mapping.length() - base;
        this.writable = (mapping.protection() & Native.PROT_WRITE) != 0;
        this.windows = new AtomicReferenceArray<>((int) Math.min(KEPT, ((limit - 1) >>> SHIFT) + 1));
    }

    /**
     * A view of bytes {@code offset .. offset+length} of the region, cut from the window that
     * holds them. The caller checked the bounds against the region's size and holds the mapping
     * open ({@link Mapping#acquire}): a window may be made.
     *
     * @param offset first byte, from the region's byte 0.
     * @param length bytes, at least 1.
     * @return the view (read-only unless the mapping is writable), or {@code null} when it does not
     *         fit in one window.
     */
    ByteBuffer view(long offset, int length) {
        long start = offset >>> SHIFT << SHIFT;
        int index = (int) (offset - start);
        ByteBuffer window = window(start);
        if (length > window.capacity() - index) {
            return null;
        }
        return Slices.slice(window, index, length);
    }

    /**
     * The same view when the window that holds it is already made, else {@code null}; remembered
     * for close (cut in the window's current {@link Views.Batch}, or given a handle of its own
     * where this JDK has no attachment to set). Nothing is mapped or watched, so the caller need
     * not hold the mapping open (a slice touches no memory); the mapping's lock orders it against
     * close.
     *
     * @param offset first byte, from the region's byte 0.
     * @param length bytes, at least 1.
     * @return the view, or {@code null} (also when the mapping was closed meanwhile: the caller's
     *         {@link Mapping#acquire} then says so).
     */
    ByteBuffer keptView(long offset, int length) {
        long start = offset >>> SHIFT << SHIFT;
        Window kept = windows.get((int) ((start >>> SHIFT) % windows.length()));
        int index = (int) (offset - start);
        if (kept == null || kept.start != start || length > kept.buffer.capacity() - index) {
            return null;
        }
        if (carriers) {
            synchronized (mapping) {
                if (mapping.isClosed()) {
                    return null;
                }
                Views.Batch batch = kept.batch;
                if (batch == null || batch.full()) {
                    batch = batch(kept);
                }
                if (batch != null) {
                    ByteBuffer view = Slices.slice(batch.carrier, index, length);
                    batch.add(view);
                    return view;
                }
                carriers = false;
            }
        }
        ByteBuffer view = Slices.slice(kept.buffer, index, length);
        mapping.addView(view);
        return view;
    }

    /**
     * A new batch for a window's views, remembered by the mapping; {@code null} when this JDK has
     * no {@code DirectByteBuffer.att} to set. Called under the mapping's lock, the mapping open.
     */
    private Views.Batch batch(Window kept) {
        Views.Batch batch = new Views.Batch(kept.buffer);
        ByteBuffer carrier = Native.newBuffer(base + kept.start, kept.buffer.capacity());
        if (carrier == null || !Native.attach(carrier, batch)) {
            return null;
        }
        // JDK 9+: a read-only copy's att is the carrier's (the batch); JDK 8: the carrier itself.
        batch.carrier = writable ? carrier : carrier.asReadOnlyBuffer();
        kept.batch = batch;
        mapping.addBatch(batch);
        return batch;
    }

    /** The window starting at {@code start} bytes into the region, made if it is not kept. */
    private ByteBuffer window(long start) {
        int slot = (int) ((start >>> SHIFT) % windows.length());
        Window kept = windows.get(slot);
        if (kept != null && kept.start == start) {
            return kept.buffer;
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE, limit - start);
        ByteBuffer root = Native.newBuffer(base + start, capacity);
        if (root == null) {
            throw new IllegalStateException("mmap4j: this JVM's JNI refused NewDirectByteBuffer");
        }
        Mappings.track(mapping, root);
        ByteBuffer window = writable ? root : root.asReadOnlyBuffer();
        windows.set(slot, new Window(start, window));
        return window;
    }

    /** {@code ByteBuffer.slice(int, int)} where the JDK has it (13+), else duplicate, bound and slice. */
    private static final class Slices {
        private static final MethodHandle SLICE = find();

        private static MethodHandle find() {
            try {
                return MethodHandles.publicLookup().findVirtual(ByteBuffer.class, "slice",
                        MethodType.methodType(ByteBuffer.class, int.class, int.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // JDK 8 to 12
            }
        }

        static ByteBuffer slice(ByteBuffer window, int index, int length) {
            if (SLICE != null) {
                try {
                    return (ByteBuffer) SLICE.invokeExact(window, index, length);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e); // slice declares no checked exception
                }
            }
            ByteBuffer d = window.duplicate();
            ((Buffer) d).limit(index + length);
            ((Buffer) d).position(index);
            return d.slice();
        }
    }
}
