/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * POSIX shared memory by name ({@code shm_open(3)}, {@code ftruncate(2)},
 * {@code mmap(2)}, {@code shm_unlink(3)}): memory that other processes map by
 * the same name, with no file on disk.
 *
 * <pre>{@code
 * ByteBuffer mine = SharedMemory.create("/orders", 1 << 20);       // O_CREAT|O_EXCL, mode 0600
 * mine.putLong(0, 42L);
 * // in another process:
 * ByteBuffer theirs = SharedMemory.open("/orders", MapMode.READ_ONLY);  // sees 42
 * SharedMemory.unlink("/orders");     // the name goes; mappings stay valid until unmapped
 * Mmap.unmap(mine);
 * }</pre>
 *
 * <p>As with {@link Mmap}, the buffer is the handle: every {@code Mmap} call
 * ({@code sync}, {@code advise}, {@code residency}, {@code lock}, {@code protect},
 * {@code unmap}) takes it. The descriptor is closed right after mapping.
 *
 * <p><b>Names</b> start with {@code '/'}, hold no other {@code '/'} and no NUL, are
 * not {@code "/."} or {@code "/.."} (the directory of the objects, not an object),
 * encode losslessly in the platform's file name encoding (no unpaired
 * surrogates), and are at most {@link #maxNameLength()} bytes (31 on macOS); a bad
 * name raises {@link IllegalArgumentException} before any system call.
 *
 * <p><b>Sizes</b>: a buffer holds at most {@link Integer#MAX_VALUE} bytes, so
 * larger sizes are refused. Objects only ever grow here: shrinking one that
 * another process maps would make its accesses past the new end fail. On macOS
 * an object's size can be set once only (a later {@code ftruncate} fails with
 * {@code EINVAL}), and the kernel rounds it up to whole pages.
 *
 * <p>Linux keeps objects in {@code /dev/shm}; they outlive the process until
 * {@link #unlink(String)} or a reboot. All methods are thread-safe.
 */
public final class SharedMemory {

    private SharedMemory() {
    }

    /**
     * Creates a new object of {@code size} bytes, mode {@code 0600}, and maps all
     * of it read-write ({@code shm_open(O_CREAT|O_EXCL)}, {@code ftruncate},
     * {@code mmap(MAP_SHARED)}). If sizing or mapping fails, the new name is unlinked
     * again. Another mode: {@link #map} with {@link MapOptions#createOrGrow()} and
     * {@link MapOptions#permissions(int)}.
     *
     * @param name the name, e.g. {@code "/orders"}.
     * @param size bytes; positive, at most {@link Integer#MAX_VALUE}.
     * @return a writable direct buffer over the whole object, zero-filled.
     * @throws MmapException with {@code EEXIST} when the name exists, or when another call fails.
     */
    public static ByteBuffer create(String name, long size) throws IOException {
        MapOptions options = MapOptions.of(MapMode.READ_WRITE);
        int length = checkSize("create", name, size);
        checkName("create", name);
        // Past shm_open the name is ours: a failed ftruncate or mmap removes it (FileSource, Maps.make).
        try (FileSource source = FileSource.openShared(name, true, true, true, options.permissions(), length)) {
            return Maps.make(ByteBuffer.class, source, 0, length, options);
        }
    }

    /**
     * Maps the whole of an existing object ({@code shm_open}, {@code mmap}); its
     * size is read from the descriptor.
     *
     * @param name the name.
     * @param mode {@link MapMode#READ_ONLY} (a read-only buffer), {@link MapMode#READ_WRITE}
     *             (writes seen by every process), or {@link MapMode#PRIVATE} (copy-on-write, seen by nobody else).
     * @return a direct buffer over the whole object.
     * @throws MmapException with {@code ENOENT} when no object has the name, or when another call fails.
     */
    public static ByteBuffer open(String name, MapMode mode) throws IOException {
        MapOptions options = MapOptions.of(mode);
        checkName("open", name);
        try (FileSource source = open(name, options, false, -1)) {
            if (source.size() == 0) {
                throw new IllegalArgumentException("open: shared memory " + name + " is empty (size 0); nothing to "
                        + "map until its creator sizes it");
            }
            int length = checkSize("open", name, source.size());
            return Maps.buffer(source, 0, length, options);
        }
    }

    /**
     * Maps {@code length} bytes of an object from {@code offset}, with full
     * options: the general form of {@code map_shm(size, prot, flags, name, offset)}
     * ({@code shm_open}, {@code ftruncate} with {@link MapOptions#createOrGrow()},
     * {@code mmap}, {@code madvise} with {@link MapOptions#advice(Advice)}).
     * With {@code createOrGrow} a missing object is created with
     * {@link MapOptions#permissions(int)} and grown to {@code offset + length}.
     *
     * @param name    the name.
     * @param offset  byte offset in the object; any value, not only page multiples.
     * @param length  bytes to map; 0 gives an empty buffer, as {@link Mmap#map(java.nio.file.Path, long, int, MapOptions)}.
     * @param options protection, sharing, flags, advice, create-or-grow, permissions.
     * @return a direct buffer whose index 0 is byte {@code offset} of the object.
     * @throws MmapException when a system call fails, or the range passes the object's end ({@code ENXIO}).
     */
    public static ByteBuffer map(String name, long offset, int length, MapOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        checkName("map", name);
        long end = Mapper.checkRange("map", offset, length);
        boolean create = options.isCreateOrGrow();
        try (FileSource source = open(name, options, create, create ? end : -1)) {
            return Maps.make(ByteBuffer.class, source, offset, length, options);
        }
    }

    /**
     * Removes a name ({@code shm_unlink(3)}). Processes that mapped the object
     * keep their mappings; the memory is freed when the last one is unmapped.
     * A later {@code open} of the name fails with {@code ENOENT}.
     *
     * @param name the name.
     * @throws MmapException with {@code ENOENT} when no object has the name.
     */
    public static void unlink(String name) throws MmapException {
        byte[] cName = checkName("unlink", name);
        Errors.check(FileCalls.unlinkShared(cName), "shm_unlink", "name=" + name);
    }

    /**
     * Whether an object has this name ({@code shm_open(O_RDONLY)}, then {@code close}).
     *
     * @param name the name.
     * @return {@code true} when it exists, even if this process may not open it.
     * @throws MmapException when {@code shm_open} fails for another reason than
     *                       {@code ENOENT} or {@code EACCES}.
     */
    public static boolean exists(String name) throws MmapException {
        byte[] cName = checkName("exists", name);
        long result = FileCalls.probeShared(cName);
        if (result >= 0) {
            return true;
        }
        String errno = Errors.name((int) -result);
        if ("ENOENT".equals(errno)) {
            return false;
        }
        if ("EACCES".equals(errno)) {
            return true;
        }
        throw Errors.exception((int) -result, "shm_open", "name=" + name + ", read-only");
    }

    /**
     * The longest name this platform's {@code shm_open} accepts.
     *
     * @return bytes (in the platform's file name encoding), the leading {@code '/'} included:
     *         31 on macOS ({@code PSHMNAMLEN}), {@code NAME_MAX + 1} = 256 on Linux.
     */
    public static int maxNameLength() {
        return Platform.shmNameMax();
    }

    private static FileSource open(String name, MapOptions options, boolean create, long growTo)
            throws MmapException {
        boolean write = create || (options.isWritable() && options.sharing() == Sharing.SHARED);
        return FileSource.openShared(name, write, create, false, options.permissions(), growTo);
    }

    /** Checks a name the way {@code shm_open} will, with a message that says what to change. */
    static byte[] checkName(String call, String name) {
        Objects.requireNonNull(name, "name");
        String problem = null;
        if (name.length() < 2 || name.charAt(0) != '/') {
            problem = "must start with '/' followed by at least one character, e.g. \"/my-data\"";
        } else if (name.indexOf('/', 1) >= 0) {
            problem = "may hold no '/' after the first character (it is one name, not a path)";
        } else if (name.equals("/.") || name.equals("/..")) {
            problem = "is not a name: '.' and '..' are the directory of the shared memory objects and its parent";
        } else if (name.indexOf('\0') >= 0) {
            problem = "holds a NUL character";
        }
        byte[] cName;
        try {
            cName = FileSource.cString("name", name);
        } catch (IllegalArgumentException e) {
            // "/h2\ud800" and "/h2\udc00" would both become the replacement bytes: one object for two names.
            throw new IllegalArgumentException(call + ": shared memory " + e.getMessage(), e);
        }
        if (problem == null && cName.length - 1 > Platform.shmNameMax()) {
            problem = "is " + (cName.length - 1) + " bytes long; " + Platform.name() + " allows at most "
                    + Platform.shmNameMax() + " (ENAMETOOLONG), leading '/' included";
        }
        if (problem != null) {
            throw new IllegalArgumentException(call + ": shared memory name \"" + name + "\" " + problem);
        }
        return cName;
    }

    private static int checkSize(String call, String name, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException(call + ": size " + size + " of shared memory " + name
                    + " must be positive");
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(call + ": shared memory " + name + " has or needs " + size
                    + " bytes, more than a ByteBuffer holds (" + Integer.MAX_VALUE + "); map a range of it with "
                    + "SharedMemory.map(name, offset, length, options)");
        }
        return (int) size;
    }
}
