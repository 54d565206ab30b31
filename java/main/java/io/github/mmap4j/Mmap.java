/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.Ranges.Span;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Memory-mapped files for Java: {@code mmap(2)}, {@code munmap(2)},
 * {@code msync(2)}, {@code madvise(2)}, {@code mincore(2)}, {@code mlock(2)} and
 * {@code mprotect(2)} as static methods over direct {@link ByteBuffer}s.
 *
 * <pre>{@code
 * ByteBuffer buf = Mmap.map(Paths.get("data.bin"), 0, 4096, MapOptions.of(MapMode.READ_WRITE));
 * buf.putLong(0, 42L);
 * Mmap.force(buf);                      // msync(MS_SYNC): the file holds the bytes
 * Mmap.advise(buf, Advice.SEQUENTIAL);  // madvise
 * Residency r = Mmap.residency(buf);    // mincore
 * Mmap.unmap(buf);                      // the file is released now
 * }</pre>
 *
 * <p><b>Buffers are the handle</b>: {@code map} returns a direct buffer, and the
 * other calls take one. The calls that act on a range ({@code advise},
 * {@code force}, {@code residency}, {@code lock}, {@code unlock}, {@code protect})
 * accept <em>any</em> direct buffer, including the JDK's own
 * {@link java.nio.MappedByteBuffer} and slices of either, and round the range to
 * whole pages themselves. The range is always the whole buffer, from index 0 to
 * its capacity (not its position and limit): for part of one, pass a slice
 * ({@code buf.slice(offset, length)} on JDK 13+). {@link MappedRegion} takes
 * {@code long} offsets and lengths instead.
 *
 * <p><b>Offsets need not be page-aligned</b>: {@code map} aligns down internally
 * and returns a buffer that starts at the byte asked for.
 *
 * <p><b>Lifetime.</b> {@link #unmap} releases the file at once and makes every
 * later mmap4j call on the buffer throw {@link IllegalStateException}; the
 * buffer gets {@code limit(0)}, and a stale view that still reads sees zeros and
 * its writes go nowhere (the range is covered with private memory), on every JDK
 * from 8: nothing a view does can crash the JVM. The address range goes back to
 * the OS once no view of it is reachable. A buffer that is never unmapped is
 * unmapped after it becomes unreachable.
 *
 * <p><b>What can be mapped.</b> Regular files and block devices. Paths are opened
 * without waiting ({@code O_NONBLOCK|O_NOCTTY}) and their type is checked on the
 * open descriptor, so a FIFO, socket, character device ({@code /dev/zero}: use
 * {@link #anonymous}) or directory is refused at once with an
 * {@link MmapException} ({@code ENODEV}, {@code EISDIR} for a directory); so is
 * such a file behind a channel or descriptor. A channel or descriptor that another
 * thread closes while a {@code map} call runs makes that call throw (a
 * {@link java.nio.channels.ClosedChannelException} or an {@code IOException}),
 * never map the file that reused its number.
 *
 * <p><b>Empty maps.</b> Length 0 maps nothing ({@code mmap(2)} refuses it) and gives an empty
 * buffer, as {@code FileChannel.map} does: capacity 0 at address 0; the range must still lie
 * within the file ({@code ENXIO} past its end). {@code unmap} accepts it and does nothing,
 * {@code isMapped} is {@code false} (no mapping holds it), and the range calls have no pages to
 * act on. A region of size 0 is open until closed and hands out empty views. An empty view of a
 * mapping that holds bytes ({@code buf.slice()} at its end, {@code region.view(size, 0)}) belongs
 * to that mapping, whatever mapping starts at the same address: {@code unmap} closes it.
 *
 * <p><b>Errors.</b> Bad arguments raise {@link IllegalArgumentException},
 * {@link NullPointerException} or {@link IndexOutOfBoundsException} before any
 * system call; a failed system call raises {@link MmapException} naming the call,
 * the errno ({@code EACCES}), the arguments and a hint.
 *
 * <p>All methods are thread-safe.
 */
public final class Mmap {

    private Mmap() {
    }

    /**
     * The page size, from {@code sysconf(_SC_PAGESIZE)} at run time (16 KiB on Apple silicon).
     *
     * @return bytes per page.
     */
    public static long pageSize() {
        return Platform.pageSize();
    }

    // ---------------------------------------------------------------- map by path

    /**
     * Maps the whole of a file ({@code open(2)}, {@code mmap(2)}).
     *
     * @param path the file; at most {@link Integer#MAX_VALUE} bytes (an empty file gives an empty buffer).
     * @param mode how to map it.
     * @return a direct buffer over the file; read-only for {@link MapMode#READ_ONLY}.
     * @throws MmapException when the file cannot be opened or mapped.
     */
    public static ByteBuffer map(Path path, MapMode mode) throws IOException {
        return Maps.whole("map", path, mode, ByteBuffer.class);
    }

    /**
     * Maps {@code length} bytes of a file from {@code offset}, with full options
     * ({@code open(2)}, {@code ftruncate(2)} with {@link MapOptions#createOrGrow()},
     * {@code mmap(2)}, {@code madvise(2)} with {@link MapOptions#advice(Advice)}).
     *
     * @param path    the file: of the default file system, or of one that wraps it (a test
     *                file system's path whose {@code toUri()} is a {@code file:} URI or whose
     *                {@code toFile()} answers is followed to that file).
     * @param offset  byte offset in the file; any value.
     * @param length  bytes to map; 0 gives an empty buffer or region (see the class text).
     * @param options protection, sharing, flags, advice, create-or-grow.
     * @return a direct buffer whose index 0 is byte {@code offset} of the file.
     * @throws MmapException when a system call fails; {@code ENODEV} for a path that is not a file of
     *                       the operating system (a zip file system's entry).
     */
    public static ByteBuffer map(Path path, long offset, int length, MapOptions options) throws IOException {
        return Maps.map("map", Objects.requireNonNull(path, "path"), offset, length, options, ByteBuffer.class);
    }

    // ---------------------------------------------------------------- map open files

    /**
     * {@link #map(Path, long, int, MapOptions)} for an open channel: mapped through its
     * descriptor, which stays the caller's (see the class text for what a closed or closing
     * channel does).
     *
     * @param channel a channel from {@code FileChannel.open}, a {@code RandomAccessFile} or a file stream.
     * @param offset  byte offset in the file; any value.
     * @param length  bytes to map; 0 gives an empty buffer or region (see the class text).
     * @param options protection, sharing, flags, advice ({@code createOrGrow} applies to paths only).
     * @return a direct buffer whose index 0 is byte {@code offset} of the file.
     * @throws IOException as for a path, or when the channel is closed; {@link MmapException}
     *                     {@code ENODEV} for a channel that is not the JDK's own (a wrapping
     *                     subclass): map its file by path, or by a {@code FileDescriptor}, instead.
     */
    public static ByteBuffer map(FileChannel channel, long offset, int length, MapOptions options)
            throws IOException {
        return Maps.map("map", Objects.requireNonNull(channel, "channel"), offset, length, options, ByteBuffer.class);
    }

    /**
     * {@link #map(FileChannel, long, int, MapOptions)} for an open descriptor.
     *
     * @param descriptor an open descriptor.
     * @param offset     byte offset in the file; any value.
     * @param length     bytes to map; 0 gives an empty buffer or region (see the class text).
     * @param options    protection, sharing, flags, advice.
     * @return a direct buffer whose index 0 is byte {@code offset} of the file.
     * @throws IOException as for a channel.
     */
    public static ByteBuffer map(FileDescriptor descriptor, long offset, int length, MapOptions options)
            throws IOException {
        return Maps.map("map", Objects.requireNonNull(descriptor, "descriptor"), offset, length, options,
                ByteBuffer.class);
    }

    // ---------------------------------------------------------------- anonymous memory

    /**
     * Maps anonymous memory with full options (e.g. {@link MapFlag#HUGETLB},
     * {@link MapFlag#NORESERVE}).
     *
     * @param length  bytes; 0 gives an empty buffer or region (see the class text).
     * @param options protection, sharing, flags, advice.
     * @return a direct buffer.
     * @throws MmapException when {@code mmap} fails.
     */
    public static ByteBuffer anonymous(int length, MapOptions options) throws IOException {
        return Maps.map("anonymous", Maps.ANONYMOUS, 0, length, options, ByteBuffer.class);
    }

    // ---------------------------------------------------------------- unmap

    /**
     * Closes the mapping a buffer belongs to ({@code munmap(2)}, made safe).
     *
     * <p>The file is released at once (it can be truncated, deleted or renamed).
     * The buffer gets {@code limit(0)}; every later mmap4j call on it or its views
     * throws {@link IllegalStateException}; a view kept from before (a
     * {@code duplicate}, a {@code slice}) reads zeros and its writes go nowhere,
     * whatever reads it (Java code, JDK intrinsics, native code, the kernel): no
     * access can crash the JVM or reach the file. The address range returns to the
     * OS once no view of it is reachable. Unmapping twice does nothing.
     *
     * <p>When another thread is closing the same mapping, this waits until that close has covered
     * the range: whichever close returns, the file is released.
     *
     * @param buffer a buffer from {@code map} or {@code anonymous}, or a view of one; an empty
     *               map's buffer is accepted and nothing happens.
     * @throws IllegalArgumentException when mmap4j did not map the buffer (or it is an empty buffer
     *                                  mmap4j cannot attribute to one of its mappings).
     * @throws MmapException when the kernel refuses to replace the range.
     * @throws InternalError on JDK 11 to 18, once closed: an earlier access of this thread faulted on a
     *                       page {@code protect} took access from, and the JVM had not thrown its error yet.
     */
    public static void unmap(ByteBuffer buffer) throws MmapException {
        Error late;
        try {
            late = unmap(buffer, null);
        } catch (InternalError struck) {
            late = unmap(buffer, struck); // an earlier fault's, on the way in: close anyway
        }
        if (late != null) {
            throw late;
        }
    }

    /** {@link #unmap(ByteBuffer)}: returns the error to throw once closed (see {@link Mappings#close}). */
    private static Error unmap(ByteBuffer buffer, Error struck) throws MmapException {
        Mapping mapping = Maps.owner("unmap", buffer);
        if (mapping != null) {
            return Mappings.close(mapping, buffer, struck);
        }
        return struck != null ? struck : Guard.takeLateFault();
    }

    /**
     * Whether a buffer belongs to an open mmap4j mapping. Also how a reader learns that a read
     * overlapped an {@link #unmap} on another thread: read, then ask; {@code true} means every
     * byte the read returned came from the file (the reads are kept before the check),
     * {@code false} that part of it may be the zeros a close leaves (discard it).
     *
     * @param buffer any buffer.
     * @return {@code true} when mmap4j mapped it and it was not unmapped.
     */
    public static boolean isMapped(ByteBuffer buffer) {
        if (buffer == null || !buffer.isDirect()) {
            return false;
        }
        AtomicAccess.loadFence();
        Platform.ensureLoaded();
        Mapping mapping = Maps.find(buffer, Platform.address(buffer));
        return mapping != null && !mapping.isClosed();
    }

    /**
     * Whether a page of a buffer's mapping was found past the end of its file: another process
     * truncated the file under the mapping (or the file system had no room for a page written),
     * and an access there raised {@code SIGBUS}. mmap4j then covers that page with zeros and lets
     * the access complete (reads see zeros, writes do not reach the file) instead of letting the
     * JVM die, and every later range call on the mapping ({@code force}, {@code advise},
     * {@code residency}, {@code lock}, {@code unlock}, {@code protect}, a region's
     * {@code grow}) throws {@link MmapException} {@code ENXIO} naming it. Unmap it, check the
     * file's size, and map it again. Linux; elsewhere always {@code false}.
     *
     * @param buffer a buffer from {@code map}, {@code anonymous} or a region, or a view of one.
     * @return {@code true} once such a page was covered; stays true until the mapping is reclaimed.
     * @throws IllegalArgumentException when mmap4j did not map the buffer.
     */
    public static boolean isTruncated(ByteBuffer buffer) {
        Mapping mapping = Maps.owner("isTruncated", buffer);
        return mapping != null && (Guard.marks(mapping) & Native.RANGE_TRUNCATED) != 0; // null: an empty map
    }

    /**
     * The address of a direct buffer's first byte (index 0), for other native code.
     *
     * @param buffer a direct buffer.
     * @return the address.
     * @throws IllegalArgumentException for a heap buffer.
     */
    public static long address(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("address: a heap buffer has no fixed address");
        }
        Platform.ensureLoaded();
        return Platform.address(buffer);
    }

    // ---------------------------------------------------------------- madvise

    /**
     * Advises the kernel about the whole buffer ({@code madvise(2)}).
     *
     * @param buffer any direct buffer.
     * @param advice the advice; must be {@link Advice#isSupported() supported}.
     * @throws UnsupportedOperationException when this platform lacks the advice.
     * @throws MmapException when {@code madvise} fails.
     */
    public static void advise(ByteBuffer buffer, Advice advice) throws MmapException {
        RangeOps.advise(Span.of(buffer), advice);
    }

    // ---------------------------------------------------------------- msync

    /**
     * Writes the buffer's changed pages to the file and waits ({@code msync(MS_SYNC)}), as
     * {@link java.nio.MappedByteBuffer#force()} does.
     *
     * @param buffer any direct buffer.
     * @throws MmapException when {@code msync} fails.
     */
    public static void force(ByteBuffer buffer) throws MmapException {
        force(buffer, SyncMode.SYNC);
    }

    /**
     * Writes the buffer's changed pages to the file ({@code msync(2)}) in the given mode.
     *
     * @param buffer any direct buffer.
     * @param mode   wait or only schedule, with or without {@code MS_INVALIDATE}.
     * @throws MmapException when {@code msync} fails.
     */
    public static void force(ByteBuffer buffer, SyncMode mode) throws MmapException {
        RangeOps.sync(Span.of(buffer), mode);
    }

    // ---------------------------------------------------------------- mincore

    /**
     * Which of the buffer's pages are in memory ({@code mincore(2)}); {@link Residency#isLoaded()}
     * is {@link java.nio.MappedByteBuffer#isLoaded()}'s answer. The kernel is asked in bounded
     * chunks; the answer keeps one bit per page.
     *
     * @param buffer any direct buffer.
     * @return the residency; page 0 is the page holding the buffer's byte 0.
     * @throws MmapException when {@code mincore} fails.
     */
    public static Residency residency(ByteBuffer buffer) throws MmapException {
        return RangeOps.residency(Span.of(buffer));
    }

    // ---------------------------------------------------------------- mlock

    /**
     * Locks the buffer's pages in memory ({@code mlock(2)}); for a range, pass a slice.
     *
     * @param buffer any direct buffer.
     * @throws MmapException when {@code mlock} fails ({@code ENOMEM}/{@code EPERM}: raise {@code ulimit -l}).
     */
    public static void lock(ByteBuffer buffer) throws MmapException {
        RangeOps.lock(Span.of(buffer));
    }

    /**
     * Unlocks the buffer's pages ({@code munlock(2)}); for a range, pass a slice.
     *
     * @param buffer any direct buffer.
     * @throws MmapException when {@code munlock} fails.
     */
    public static void unlock(ByteBuffer buffer) throws MmapException {
        RangeOps.unlock(Span.of(buffer));
    }

    // ---------------------------------------------------------------- mprotect

    /**
     * Changes the protection of the buffer's pages ({@code mprotect(2)}); for a range, pass a slice.
     *
     * <p>When this takes READ away from memory mmap4j mapped (or WRITE from a mapping whose buffers
     * are writable), an access the new protection forbids throws {@link InternalError} instead of
     * crashing the JVM: on Linux mmap4j installs its SIGSEGV forwarder the first time. Where that
     * cannot be done safely ({@link #canTrapProtectionFaults()} is {@code false}: Java 8-10 by
     * default), such a call is refused. On a buffer mmap4j did not map, a forbidden access kills
     * the JVM as it would in C.
     *
     * @param buffer      a direct buffer starting on a page boundary (one mmap4j did not map must
     *                    also end on one).
     * @param protections the new protection; none at all is {@code PROT_NONE}.
     * @throws UnsupportedOperationException when the access would be taken away from mmap4j's memory
     *                                       and {@link #canTrapProtectionFaults()} is {@code false}.
     * @throws MmapException when {@code mprotect} fails.
     */
    public static void protect(ByteBuffer buffer, Protection... protections) throws MmapException {
        RangeOps.protect(Span.of(buffer), protections);
    }

    /**
     * Whether an access that {@link #protect} forbids on memory mmap4j mapped becomes an
     * {@link InternalError} here, rather than a JVM crash. {@code true} on Linux with a HotSpot JVM
     * of Java 11 or later (mmap4j's SIGSEGV forwarder hands the fault to HotSpot as the SIGBUS it
     * already handles; before Java 19 that error arrives asynchronously, at the thread's next
     * safepoint poll); {@code false} on Java 8-10 unless {@code -Dmmap4j.segvForwarder=true}
     * (HotSpot 8's own handling of that error can crash the JVM), and whenever
     * {@code -Dmmap4j.segvForwarder=false}. On macOS HotSpot is expected to see SIGBUS already.
     *
     * @return whether {@code protect} may take READ or WRITE away from mmap4j's mappings.
     */
    public static boolean canTrapProtectionFaults() {
        return Guard.canTrapFaults();
    }

    // ---------------------------------------------------------------- regions: mappings of any size

    /**
     * Maps {@code length} bytes of a file from {@code offset} as a {@link MappedRegion}
     * ({@code open(2)}, {@code ftruncate(2)} with {@link MapOptions#createOrGrow()}, {@code mmap(2)}).
     *
     * @param path    the file.
     * @param offset  byte offset in the file; any value, not only page multiples.
     * @param length  bytes to map; any size the address space allows (0: an empty region).
     * @param options protection, sharing, flags, advice, create-or-grow.
     * @return the region; its byte 0 is byte {@code offset} of the file.
     * @throws MmapException when a system call fails, or the range passes the end of the file ({@code ENXIO}).
     */
    public static MappedRegion mapRegion(Path path, long offset, long length, MapOptions options)
            throws IOException {
        return Maps.map("mapRegion", Objects.requireNonNull(path, "path"), offset, length, options, MappedRegion.class);
    }

    /**
     * {@link #mapRegion(Path, long, long, MapOptions)} for an open channel, as
     * {@link #map(FileChannel, long, int, MapOptions)} maps one.
     *
     * @param channel an open channel.
     * @param offset  byte offset in the file; any value.
     * @param length  bytes to map; 0 gives an empty buffer or region (see the class text).
     * @param options protection, sharing, flags, advice.
     * @return the region; its byte 0 is byte {@code offset} of the file.
     * @throws IOException as for a path, or when the channel is closed.
     */
    public static MappedRegion mapRegion(FileChannel channel, long offset, long length, MapOptions options)
            throws IOException {
        return Maps.map("mapRegion", Objects.requireNonNull(channel, "channel"), offset, length, options,
                MappedRegion.class);
    }

    /**
     * {@link #mapRegion(Path, long, long, MapOptions)} for an open descriptor.
     *
     * @param descriptor an open descriptor.
     * @param offset     byte offset in the file; any value.
     * @param length     bytes to map; 0 gives an empty buffer or region (see the class text).
     * @param options    protection, sharing, flags, advice.
     * @return the region; its byte 0 is byte {@code offset} of the file.
     * @throws IOException as for a channel.
     */
    public static MappedRegion mapRegion(FileDescriptor descriptor, long offset, long length, MapOptions options)
            throws IOException {
        return Maps.map("mapRegion", Objects.requireNonNull(descriptor, "descriptor"), offset, length, options,
                MappedRegion.class);
    }

    /**
     * Maps anonymous memory, zero-filled, as a {@link MappedRegion}
     * ({@code mmap(MAP_ANONYMOUS)}); {@link MapFlag#NORESERVE} makes very large
     * regions cheap until touched.
     *
     * @param length  bytes; 0 gives an empty buffer or region (see the class text).
     * @param options protection, sharing, flags, advice.
     * @return the region.
     * @throws MmapException when {@code mmap} fails.
     */
    public static MappedRegion anonymousRegion(long length, MapOptions options) throws IOException {
        return Maps.map("anonymousRegion", Maps.ANONYMOUS, 0, length, options, MappedRegion.class);
    }
}
