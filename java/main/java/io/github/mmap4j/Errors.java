/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.util.Arrays;

/**
 * The one place where a failed system call becomes an exception: natives
 * return {@code -errno}, {@link #check} turns that into an {@link MmapException}
 * with the errno's symbolic name (from the shim, so it matches the platform's
 * numbering), the system's description, the caller's arguments and a hint.
 */
final class Errors {

    private Errors() {
    }

    /**
     * Passes a non-negative result through, or throws for {@code -errno}.
     *
     * @param result    what a native returned.
     * @param call      the system call, e.g. {@code "msync"}.
     * @param arguments the arguments that matter, for the message.
     * @return {@code result} when it is not negative.
     * @throws MmapException when {@code result} is negative.
     */
    static long check(long result, String call, String arguments) throws MmapException {
        if (result >= 0) {
            return result;
        }
        throw exception((int) -result, call, arguments);
    }

    /**
     * Builds the exception for an errno.
     *
     * @param errno     the errno value.
     * @param call      the system call.
     * @param arguments the arguments that matter.
     * @return the exception, not thrown.
     */
    static MmapException exception(int errno, String call, String arguments) {
        String name = name(errno);
        return new MmapException(call, errno, name, Native.strerror(errno), arguments, hint(call, name, arguments));
    }

    /**
     * Builds the exception for an errno given by name, for failures mmap4j
     * detects before the call (mapping past the end of a file is {@code ENXIO},
     * as POSIX's {@code mmap} reports it).
     *
     * @param errnoName the symbolic name, e.g. {@code "ENXIO"}.
     * @param call      the system call it stands for.
     * @param arguments the arguments that matter.
     * @param hint      what to do about it.
     * @return the exception, not thrown.
     */
    static MmapException exception(String errnoName, String call, String arguments, String hint) {
        int errno = value(errnoName);
        return new MmapException(call, errno, errnoName, errno > 0 ? Native.strerror(errno) : "", arguments,
                hint);
    }

    /**
     * Builds the exception for a descriptor whose file type cannot be mapped:
     * {@code EISDIR} for a directory, else {@code ENODEV}, the errno {@code mmap}
     * itself gives for such files. The description names the type.
     *
     * @param call      the call that opened or received the descriptor ({@code open}, {@code shm_open},
     *                  or {@code mmap} for a borrowed descriptor).
     * @param type      the {@code Native.TYPE_*} code.
     * @param arguments the arguments that matter.
     * @return the exception, not thrown.
     */
    static MmapException notMappable(String call, int type, String arguments) {
        String errnoName = type == Native.TYPE_DIRECTORY ? "EISDIR" : "ENODEV";
        String hint = "only regular files, block devices and shared memory objects can be mapped";
        if (type == Native.TYPE_FIFO) {
            hint += "; a FIFO is opened without waiting for a writer, and refused";
        } else if (type == Native.TYPE_CHARACTER_DEVICE) {
            hint += "; for zero-filled memory (what mapping /dev/zero gives) use Mmap.anonymous";
        }
        return new MmapException(call, value(errnoName), errnoName, "not a regular file: " + typeName(type),
                arguments, hint);
    }

    /** A {@code Native.TYPE_*} code in words. */
    private static String typeName(int type) {
        // Indexed by the codes, which run from TYPE_UNKNOWN (0) to TYPE_SYMBOLIC_LINK (7).
        String[] names = {"unknown type", "regular file", "directory", "character device", "block device", "FIFO",
            "socket", "symbolic link"};
        return type >= 0 && type < names.length ? names[type] : names[Native.TYPE_UNKNOWN];
    }

    /**
     * The symbolic name of an errno value.
     *
     * @param errno the value.
     * @return e.g. {@code "EACCES"}, or {@code "errno 123"} for a value the shim does not know.
     */
    static String name(int errno) {
        String[] names = Names.TABLE;
        if (errno >= 0 && errno < names.length && names[errno] != null) {
            return names[errno];
        }
        return "errno " + errno;
    }

    /**
     * The platform's value of an errno name.
     *
     * @param name e.g. {@code "ENOENT"}.
     * @return its value here, or {@code -1} when the platform has no such errno.
     */
    static int value(String name) {
        String[] names = Names.TABLE;
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Hints by call, errno name and (rarely) arguments: what a user can do next. */
    static String hint(String call, String name, String arguments) {
        if (call.startsWith("mmap") && arguments != null && arguments.contains("HUGE")
                && (name.equals("ENOMEM") || name.equals("EINVAL"))) {
            return "no free huge pages of that size are reserved: reserve them first (sysctl vm.nr_hugepages=N, or "
                    + "/sys/kernel/mm/hugepages/hugepages-<size>kB/nr_hugepages), and use a length that is a "
                    + "multiple of the huge page size; or map without HUGETLB and use Advice.HUGEPAGE";
        }
        if (call.startsWith("open") && name.equals("ENOENT") && arguments != null && arguments.contains(", create")) {
            return "a directory on the path does not exist (O_CREAT creates the file, not its parent directory): "
                    + "create the parent directory first, e.g. Files.createDirectories(path.getParent())";
        }
        if (call.startsWith("madvise") && name.equals("EINVAL") && arguments != null
                && (arguments.contains("HUGETLB") || arguments.contains("HUGE_"))) {
            return "a HUGETLB mapping takes advice on whole huge pages only: give a range whose offset and length "
                    + "are multiples of the huge page size (2 MiB on x86_64 unless HUGE_1GB)";
        }
        if (call.startsWith("ftruncate") && name.equals("EINVAL") && arguments != null
                && arguments.startsWith("shared memory")) {
            return "macOS sets a shared memory object's size once only: open it at its size, or unlink and create "
                    + "it again";
        }
        for (String[] row : HINTS) {
            if (Arrays.asList(row[0].split(" ")).contains(name) && startsWithAny(call, row[1].split(" "))) {
                return row[2];
            }
        }
        return "";
    }

    private static boolean startsWithAny(String call, String[] prefixes) {
        for (String prefix : prefixes) {
            if (call.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The hints by errno name: {errno names, call prefixes ("" for any call), hint}, names and
     * prefixes separated by spaces. The first row whose names hold the errno and one of whose
     * prefixes starts the call answers, so a call-specific row stands before its errno's general one.
     */
    private static final String[][] HINTS = {
        {"EACCES", "shm_open", "the shared memory object's permissions do not allow this access: check its mode "
                + "(ls -l /dev/shm on Linux) or open it READ_ONLY"},
        {"EACCES", "open", "the file's permissions do not allow this access: check its mode and owner, or map it "
                + "READ_ONLY"},
        {"EACCES", "mprotect", "a shared mapping of a file opened read-only cannot be made writable: map it "
                + "READ_WRITE from a file opened read-write"},
        {"EACCES", "", "the file was opened read-only or its file system is mounted noexec/read-only: open it "
                + "read-write, or map it READ_ONLY or PRIVATE"},
        {"EPERM", "mlock mmap", "locking memory needs RLIMIT_MEMLOCK room or CAP_IPC_LOCK: raise `ulimit -l` (or "
                + "LimitMEMLOCK= in systemd, memlock in /etc/security/limits.conf)"},
        {"EPERM", "", "the operation is not permitted (a sealed file, an immutable file, or PROT_EXEC on a "
                + "noexec mount)"},
        {"EAGAIN", "mlock mmap", "locking memory needs RLIMIT_MEMLOCK room: raise `ulimit -l`, or lock a smaller "
                + "range"},
        {"EAGAIN", "", "the kernel is short of a resource right now: retry later"},
        {"ENOMEM", "mlock", "more than RLIMIT_MEMLOCK would be locked: raise `ulimit -l` (or LimitMEMLOCK= in "
                + "systemd), or lock a smaller range"},
        {"ENOMEM", "", "out of address space or too many mappings: close mappings you no longer need, check "
                + "`sysctl vm.max_map_count` (65530 by default) and `ulimit -v`"},
        {"ENXIO", "open", "a socket, or a device file with no device behind it, cannot be opened: map regular "
                + "files, block devices or shared memory"},
        {"ENXIO", "", "the range lies past the end of the file: grow the file first, map a shorter length, or "
                + "map with MapOptions.createOrGrow()"},
        {"ENOENT", "shm_", "no shared memory object has that name: create it first with SharedMemory.create"},
        {"ENOENT", "", "the file does not exist: check the path, or map with MapOptions.createOrGrow()"},
        {"EEXIST", "shm_", "a shared memory object with that name exists already: SharedMemory.open it, "
                + "or SharedMemory.unlink it first"},
        {"EEXIST", "", "an object with that name exists already: open it instead, or unlink it first"},
        {"EISDIR ENODEV", "", "only regular files (and block devices, shared memory) can be mapped, not "
                + "directories, pipes, sockets or most /proc files"},
        {"EBADF", "", "the descriptor is closed, or not open for the access asked (a write-only descriptor "
                + "cannot be mapped)"},
        {"EINVAL", "madvise(COLLAPSE", "MADV_COLLAPSE needs a range covering at least one whole, "
                + "huge-page-aligned huge page (2 MiB on x86_64) of memory that allows huge pages"},
        {"EINVAL", "madvise(DONTNEED", "the pages are locked (Mmap.lock, MapFlag.LOCKED or mlockall), and "
                + "locked pages cannot be discarded: Mmap.unlock them first"},
        {"EINVAL", "madvise", "the kernel does not accept this advice for this range (too old a kernel, or "
                + "advice that needs private/anonymous or shared memory)"},
        {"EINVAL", "", "the kernel rejected the arguments (a length or offset it cannot map, or flags that do "
                + "not fit this kind of mapping)"},
        {"EFBIG", "", "the file would grow past the process's file-size limit or what the file system allows: "
                + "check `ulimit -f` (LimitFSIZE= in systemd), or map a shorter range"},
        {"EOVERFLOW", "", "the offset plus length is beyond what the file system allows"},
        {"ELOOP", "", "too many symbolic links: the path is a link loop (or a chain of more than the system "
                + "allows); point it at the file itself"},
        {"ENAMETOOLONG", "", "the name is too long for this platform (31 characters for POSIX shared memory on "
                + "macOS)"},
        {"EMFILE ENFILE", "", "too many open files: close files and GrowableRegions you no longer need (a map "
                + "by path holds no descriptor once it returned, a GrowableRegion holds one until closed; mmap4j "
                + "collected dropped ones before failing), or raise `ulimit -n`"},
        {"ENOSPC", "", "the file system is full (or out of inodes): free space and retry"},
        {"EROFS", "", "the file system is mounted read-only: map READ_ONLY or PRIVATE"},
        {"ETXTBSY", "", "the file is being executed or is a swap file: it cannot be opened for writing"},
        {"EIO", "", "an I/O error from the device: check dmesg"},
    };

    /** The errno name table, asked of the shim on the first failure only. */
    private static final class Names {
        static final String[] TABLE = Native.errnoNames();
    }
}
