/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.Ranges.Span;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A mapping of a file (or a POSIX shared memory object) that grows at a fixed
 * address, LMDB style: {@link #open} reserves address space for the largest size
 * the region may reach ({@code mmap(PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE)}:
 * no memory, no commit charge) and maps the file into the front of it
 * ({@code mmap(MAP_FIXED)}); {@link #grow} extends the file ({@code ftruncate(2)},
 * or {@code fallocate(2)} / {@code fcntl(F_PREALLOCATE)} when asked to allocate)
 * and maps the new part right after the old one. The base address never changes,
 * so views taken before a grow stay valid and see the same bytes, and views of the
 * new part can be taken at once.
 *
 * <pre>{@code
 * MapOptions rw = MapOptions.of(MapMode.READ_WRITE).createOrGrow();
 * try (GrowableRegion log = GrowableRegion.open(path, 64L << 30, rw)) {      // reserve 64 GiB
 *     long end = 0;
 *     for (byte[] record : records) {
 *         if (end + record.length > log.size()) {
 *             log.grow(Math.max(end + record.length, log.size() + (16 << 20)));  // ftruncate + mmap(MAP_FIXED)
 *         }
 *         log.view(end, record.length).put(record);                          // same base address
 *         end += record.length;
 *     }
 * }
 * }</pre>
 *
 * <p><b>Never shrinks.</b> {@link #grow} only extends the file: shrinking it would
 * make other processes' views of the cut part fault. Growth within one process is
 * serialized (a second thread's {@code grow} waits for the first, then finds the
 * size it needs, or more, already there); between processes the file is extended
 * under {@code flock(LOCK_EX)} and only ever to a larger size, so two processes
 * growing the same file never cut each other's growth. Another process that maps
 * the same file sees the appended bytes; it maps them into its own region with
 * {@link #grow} or {@link #growToFileSize()}.
 *
 * <p><b>Full disks.</b> A plain {@code grow} makes a sparse file: blocks are found
 * when pages are first written, and if the file system is full then, the write
 * faults with {@code SIGBUS} (an {@link InternalError} for a view's {@code get}/{@code put};
 * not every JDK intrinsic survives one). {@link #grow(long, boolean)
 * grow(n, true)} allocates the blocks first, so a full file system is an
 * {@link MmapException} ({@code ENOSPC}) at grow time, with nothing mapped over
 * the new part and every byte written before intact.
 *
 * <p><b>Lifetime.</b> As for {@link MappedRegion}: {@link #close()} releases the
 * file (and the descriptor the region keeps for growing) at once, gives every view
 * {@code limit(0)} and covers the whole reservation with quarantine memory, so a
 * stale view can never crash the JVM; the address range goes back to the OS once
 * neither the region nor any view is reachable (also when the region was never
 * closed). Views are only ever made over bytes the file holds, never over the
 * reserved part beyond it.
 *
 * <p>Not offered: {@code protect} (a part mapped later would not have the
 * protection set before), huge pages, {@code MAP_32BIT}, and advice at open
 * (use {@link #advise} after a grow). All methods are thread-safe.
 */
public final class GrowableRegion extends MappedRegion {

    private static final Set<MapFlag> ALLOWED_FLAGS = EnumSet.of(MapFlag.NORESERVE, MapFlag.POPULATE,
            MapFlag.LOCKED, MapFlag.NOCACHE);

    private final long reserved;
    private final int fd;
    private final boolean fileWritable;
    private final int prot;
    private final int sharing;
    private final int flags;
    private final String what;
    /** Serializes grows in this process. */
    private final Object growLock = new Object();
    /** Bytes of the file the region maps; only grows. */
    private volatile long size;
    /** Bytes mapped from the base, whole pages: {@code alignUp(size)}. Guarded by growLock. */
    private long mapped;

    private GrowableRegion(Mapping mapping, long reserved, int fd, boolean fileWritable, int prot, int sharing,
                           int flags, String what) {
        super(mapping, mapping.address(), 0);
        this.reserved = reserved;
        this.fd = fd;
        this.fileWritable = fileWritable;
        this.prot = prot;
        this.sharing = sharing;
        this.flags = flags;
        this.what = what;
    }

    /**
     * Opens a file and maps all of it, as large as it is now (possibly empty), into a
     * reservation of {@code reserve} bytes ({@code open(2)}, {@code mmap(PROT_NONE)},
     * {@code mmap(MAP_FIXED)}); {@link #grow} maps more.
     *
     * <p>The file is opened read-write unless the protection lacks {@link Protection#WRITE}
     * (then the region can only map what the file already holds, see {@link #grow}); a
     * {@link Sharing#PRIVATE PRIVATE} region extends the file too (with zeros: its own
     * writes stay private).
     *
     * @param path    the file; created (mode {@link MapOptions#permissions(int)}) when
     *                {@link MapOptions#createOrGrow()} is set.
     * @param reserve the most bytes the region may grow to; rounded up to whole pages. Address
     *                space only: it may be far larger than memory and the file.
     * @param options protection (READ needed), sharing, {@code NORESERVE}/{@code POPULATE}/{@code LOCKED}/
     *                {@code NOCACHE}, create-or-grow, permissions.
     * @return the region; its byte 0 is byte 0 of the file. Close it when done.
     * @throws IllegalArgumentException when {@code reserve} is not positive or smaller than the file, or
     *                                  an option cannot apply to a growable region.
     * @throws MmapException            when a system call fails.
     */
    public static GrowableRegion open(Path path, long reserve, MapOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        checkOptions(options);
        checkReserve(reserve);
        boolean write = options.isWritable() || options.isCreateOrGrow();
        FileSource source = FileSource.open(path, write, options.isCreateOrGrow(), options.permissions(), -1);
        return map(source, reserve, options, write);
    }

    /**
     * Opens a POSIX shared memory object ({@code shm_open(3)}) and maps all of it, as large
     * as it is now, into a reservation of {@code reserve} bytes, as {@link #open} maps a file.
     * With {@link MapOptions#createOrGrow()} a missing object is created (empty). Names follow
     * {@link SharedMemory}'s rules. On macOS an object's size can be set once only: one
     * {@link #grow} of a new object, to its largest size (pages are not allocated until touched).
     *
     * @param name    the name, e.g. {@code "/queue"}.
     * @param reserve the most bytes the region may grow to.
     * @param options as for {@link #open}.
     * @return the region.
     * @throws IllegalArgumentException when the name or the reserve is not valid.
     * @throws MmapException            when a system call fails.
     */
    public static GrowableRegion openSharedMemory(String name, long reserve, MapOptions options)
            throws IOException {
        checkOptions(options);
        SharedMemory.checkName("openSharedMemory", name);
        checkReserve(reserve);
        boolean write = options.isWritable() || options.isCreateOrGrow();
        FileSource source = FileSource.openShared(name, write, options.isCreateOrGrow(), false,
                options.permissions(), -1);
        return map(source, reserve, options, write);
    }

    /**
     * Whether {@link #grow(long, boolean) grow(n, true)} can allocate blocks here:
     * {@code fallocate(2)} on Linux, {@code fcntl(F_PREALLOCATE)} on macOS. A file system
     * without it still refuses at grow time ({@code EOPNOTSUPP}).
     *
     * @return {@code true} on Linux and macOS.
     */
    public static boolean canAllocate() {
        Platform.ensureLoaded();
        return FileCalls.canAllocate();
    }

    /**
     * The region's size: how many bytes of the file it maps now.
     *
     * @return bytes; only ever grows.
     */
    @Override
    public long size() {
        return size;
    }

    /**
     * The reservation: the most bytes the region can grow to.
     *
     * @return bytes, a whole number of pages.
     */
    public long reserved() {
        return reserved;
    }



    /**
     * Grows the region to at least {@code newLength} bytes without allocating blocks:
     * {@link #grow(long, boolean) grow(newLength, false)}.
     *
     * @param newLength the size wanted.
     * @return the size now.
     * @throws IllegalArgumentException when {@code newLength} is negative or past the reservation.
     * @throws IllegalStateException    when the region is closed.
     * @throws MmapException            when the file cannot be extended or mapped.
     */
    public long grow(long newLength) throws MmapException {
        return grow(newLength, false);
    }

    /**
     * Grows the region to at least {@code newLength} bytes: extends the file if it is
     * shorter ({@code flock(LOCK_EX)}, then {@code ftruncate(2)}, or with {@code allocate}
     * {@code fallocate(2)} on Linux / {@code fcntl(F_PREALLOCATE)} + {@code ftruncate} on
     * macOS), then maps the new pages right after the old ones ({@code mmap(MAP_FIXED)} into
     * the region's own reservation). A size at or below the current one changes nothing:
     * regions never shrink. Grows from several threads are serialized.
     *
     * <p>Nothing is lost when it fails: the size, the mapping and every view stay as they
     * were (the file may have been extended, never shortened).
     *
     * @param newLength the size wanted; at most {@link #reserved()}.
     * @param allocate  allocate the new part's blocks now, so a full file system fails here
     *                  ({@code ENOSPC}) instead of faulting a later write.
     * @return the size now.
     * @throws IllegalArgumentException      when {@code newLength} is negative or past the reservation.
     * @throws IllegalStateException         when the region is closed.
     * @throws UnsupportedOperationException when {@code allocate} is asked where {@link #canAllocate()} is false.
     * @throws MmapException                 when the file cannot be extended ({@code EFBIG} past the file
     *                                       system's limit, {@code ENOSPC}, {@code EBADF} for a read-only
     *                                       region past the file's end) or the new part cannot be mapped.
     */
    public long grow(long newLength, boolean allocate) throws MmapException {
        if (newLength < 0) {
            throw new IllegalArgumentException("grow: length " + newLength + " is negative");
        }
        if (newLength > reserved) {
            throw new IllegalArgumentException("grow: " + newLength + " bytes is past the reservation of " + reserved
                    + " bytes (" + what + "); open the region with a larger reserve (address space only: it "
                    + "costs no memory)");
        }
        if (allocate && !FileCalls.canAllocate()) {
            throw new UnsupportedOperationException("grow: " + Platform.name() + " cannot allocate a file's blocks "
                    + "ahead (no fallocate or F_PREALLOCATE); see GrowableRegion.canAllocate(), grow without it");
        }
        synchronized (growLock) {
            mapping.acquire("grow");
            try {
                Guard.checkIntact(mapping, "grow");
                if (newLength <= size) {
                    return size;
                }
                extend(newLength, allocate);
                mapTo(newLength);
                size = newLength;
                return newLength;
            } finally {
                mapping.release();
            }
        }
    }

    /**
     * Maps what the file holds now, up to the reservation: follows a file another
     * process appended to ({@code lseek(SEEK_END)}, then {@code mmap(MAP_FIXED)}).
     *
     * @return the size now.
     * @throws IllegalStateException when the region is closed.
     * @throws MmapException         when the size cannot be read or the new part cannot be mapped.
     */
    public long growToFileSize() throws MmapException {
        synchronized (growLock) {
            mapping.acquire("growToFileSize");
            try {
                Guard.checkIntact(mapping, "growToFileSize");
                long fileSize = Errors.check(FileCalls.sizeOf(fd), "lseek", what);
                long target = Math.min(fileSize, reserved);
                if (target > size) {
                    mapTo(target);
                    size = target;
                }
                return size;
            } finally {
                mapping.release();
            }
        }
    }






    /**
     * Closes the region: waits for a grow in progress, covers the whole reservation
     * (mapped part and residue) with quarantine memory, as {@link MappedRegion#close()}
     * does, and closes the region's descriptor. Closing twice does nothing.
     *
     * @throws MmapException when the kernel refuses to replace the range.
     * @throws InternalError on JDK 11 to 18, once closed: an earlier access of this thread faulted on a
     *                       page {@code protect} took access from, and the JVM had not thrown its error yet.
     */
    @Override
    public void close() throws MmapException {
        try {
            super.close();
        } finally {
            mapping.closeResource();
        }
    }

    /**
     * What is mapped, its size and reservation, and whether it is open.
     *
     * @return e.g. {@code GrowableRegion[path=/data/log, size=1048576, reserved=8589934592, [READ, WRITE] SHARED, open]}.
     */
    @Override
    public String toString() {
        return "GrowableRegion[" + what + ", size=" + size + ", reserved=" + reserved + (isOpen() ? ", open]"
                : ", closed]");
    }

    // ---------------------------------------------------------------- internals


    private static void checkOptions(MapOptions options) {
        Objects.requireNonNull(options, "options");
        if (!options.protectionSet().contains(Protection.READ)) {
            throw new IllegalArgumentException("GrowableRegion: the protection must include READ (it is "
                    + options + ")");
        }
        Set<MapFlag> refused = EnumSet.noneOf(MapFlag.class);
        refused.addAll(options.flags());
        refused.removeAll(ALLOWED_FLAGS);
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("GrowableRegion: flags " + refused + " do not apply to a region "
                    + "mapped piece by piece into a reservation; allowed: " + ALLOWED_FLAGS);
        }
        if (options.advice() != null) {
            throw new IllegalArgumentException("GrowableRegion: advice at open is not applied to later parts; "
                    + "call advise(offset, length, " + options.advice() + ") after a grow instead");
        }
    }

    private static void checkReserve(long reserve) {
        if (reserve <= 0 || reserve > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("GrowableRegion: reserve " + reserve + " must be positive (and "
                    + "below 2^62)");
        }
    }

    private static GrowableRegion map(FileSource source, long reserve, MapOptions options,
                                      boolean fileWritable) throws IOException {
        Mapping mapping;
        final String what = source.description() + ", " + options;
        long reserved = Platform.alignUp(reserve);
        long length;
        try {
            length = source.size();
            if (length > reserved) {
                throw new IllegalArgumentException("GrowableRegion: the file has " + length + " bytes, more "
                        + "than the reserve " + reserve + " (" + what + ")");
            }
            Object description = new Object() { // built only for a message, and never holds the region
                @Override
                public String toString() {
                    return "growable " + what + ", reserved=" + reserved;
                }
            };
            mapping = Mapper.reserve(reserved, options.protectionBits(), description);
            mapping.attach(source);
        } catch (IOException | RuntimeException | Error e) {
            source.close();
            throw e;
        }
        GrowableRegion region;
        try {
            region = new GrowableRegion(mapping, reserved, source.fd(), fileWritable,
                    options.protectionBits(), Codes.sharing(options.sharing(), false),
                    options.flagBits(), what);
        } catch (RuntimeException | Error e) {
            Mappings.discard(mapping); // closes the descriptor too
            throw e;
        }
        // From here the region is tracked: a failure closes it like any other (the reservation is
        // covered, then unmapped once unreachable).
        try {
            if (length > 0) {
                region.grow(length);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                region.close();
            } catch (MmapException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return region;
    }

    /** Makes the file at least {@code newLength} bytes long; never shortens it. Under growLock. */
    private void extend(long newLength, boolean allocate) throws MmapException {
        if (!fileWritable) {
            long fileSize = Errors.check(FileCalls.sizeOf(fd), "lseek", what);
            if (fileSize >= newLength) {
                return;
            }
            throw Errors.exception("EBADF", "ftruncate", what + ", size=" + newLength, "the region is read-only, "
                    + "so its descriptor cannot extend the file (" + fileSize + " bytes): it can map what another "
                    + "process appended (grow up to the file's size, or growToFileSize()); open it with WRITE to "
                    + "extend the file");
        }
        // Another process may grow the same file at the same moment: between reading its size and
        // extending it, a plain ftruncate could cut what the other one added (its views would then
        // fault). flock(LOCK_EX) makes read-size-and-extend one step among growers.
        long locked = FileCalls.lockFile(fd, true);
        if (locked < 0 && !unlockable(locked)) {
            Errors.check(locked, "flock(LOCK_EX)", what);
        }
        try {
            long fileSize = Errors.check(FileCalls.sizeOf(fd), "lseek", what);
            if (allocate) {
                // From the region's end, not the file's: another process may have extended the file sparsely.
                long from = size;
                Errors.check(FileCalls.allocate(fd, from, newLength - from),
                        Platform.name().startsWith("linux") ? "fallocate" : "fcntl(F_PREALLOCATE)",
                        what + ", bytes " + from + ".." + newLength);
            } else if (fileSize < newLength) {
                Errors.check(FileCalls.truncate(fd, newLength), "ftruncate", what + ", size=" + newLength);
            }
        } finally {
            if (locked >= 0) {
                FileCalls.lockFile(fd, false);
            }
        }
    }

    /** macOS shared memory objects refuse flock; their size can be set once only, so nothing races. */
    private static boolean unlockable(long rc) {
        String name = Errors.name((int) -rc);
        return name.equals("ENOTSUP") || name.equals("EOPNOTSUPP");
    }

    /** Maps the pages up to {@code alignUp(newLength)} that are not mapped yet. Under growLock, acquired. */
    private void mapTo(long newLength) throws MmapException {
        long to = Platform.alignUp(newLength);
        if (to <= mapped) {
            return;
        }
        long rc = Mappings.mapInto(mapping, this, mapped, to - mapped, prot, sharing, flags, fd, mapped);
        if (rc < 0) {
            Errors.check(rc, "mmap(MAP_FIXED)", what + ", bytes " + mapped + ".." + to + " into the reservation at 0x"
                    + Long.toHexString(base));
        }
        mapped = to;
    }
}
