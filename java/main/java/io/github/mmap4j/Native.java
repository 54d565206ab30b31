/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.NativeLibrary;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * The natives of the C shim, and the portable codes they take.
 *
 * <p>The {@code static final int} codes below are compiled into the C header
 * {@code io_github_mmap4j_Native.h} by {@code javac -h}, so Java and C
 * share one definition; the shim's {@code mmap4j_codes.c} translates each code to
 * the platform's {@code PROT_*}, {@code MAP_*}, {@code MADV_*}, {@code MS_*},
 * {@code O_*} and {@code POSIX_FADV_*} value from the headers it was compiled
 * against. No platform value is ever written in Java.
 *
 * <p>Calls that can fail return {@code 0} (or a non-negative result) on success
 * and {@code -errno} on failure; {@link Errors} is the one place that turns a
 * negative result into an exception. Range calls take the buffer that owns the
 * range as {@code keepAlive}: a JNI argument stays reachable for the whole call,
 * which Java 8 (no {@code Reference.reachabilityFence}) needs so the range cannot
 * be reclaimed while the call runs.
 *
 * <p>The library is loaded by {@link NativeLibrary}: by {@link Platform#ensureLoaded()},
 * which every public entry point calls before its first native call, and
 * quietly from this class's static initialiser (which must never fail: a
 * class whose initialiser threw is unusable for the JVM's life). Until a load
 * succeeds the natives are unbound; the gate retries and says why.
 */
final class Native {

    // Protection bits (PROT_*).
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int PROT_EXEC = 4;

    // Sharing (MAP_SHARED / MAP_PRIVATE), plus the anonymous bit.
    static final int SHARE_SHARED = 0;
    static final int SHARE_PRIVATE = 1;
    static final int SHARE_ANONYMOUS = 2;

    // Map flags: bit positions in the flags argument (MAP_*).
    static final int FLAG_NORESERVE = 0;
    static final int FLAG_POPULATE = 1;
    static final int FLAG_LOCKED = 2;
    static final int FLAG_HUGETLB = 3;
    static final int FLAG_HUGE_2MB = 4;
    static final int FLAG_HUGE_1GB = 5;
    static final int FLAG_32BIT = 6;
    static final int FLAG_NOCACHE = 7;
    static final int FLAG_JIT = 8;
    static final int FLAG_COUNT = 9;

    // Advice (MADV_*).
    static final int ADV_NORMAL = 0;
    static final int ADV_RANDOM = 1;
    static final int ADV_SEQUENTIAL = 2;
    static final int ADV_WILLNEED = 3;
    static final int ADV_DONTNEED = 4;
    static final int ADV_FREE = 5;
    static final int ADV_REMOVE = 6;
    static final int ADV_DONTFORK = 7;
    static final int ADV_DOFORK = 8;
    static final int ADV_MERGEABLE = 9;
    static final int ADV_UNMERGEABLE = 10;
    static final int ADV_HUGEPAGE = 11;
    static final int ADV_NOHUGEPAGE = 12;
    static final int ADV_DONTDUMP = 13;
    static final int ADV_DODUMP = 14;
    static final int ADV_COLD = 15;
    static final int ADV_PAGEOUT = 16;
    static final int ADV_POPULATE_READ = 17;
    static final int ADV_POPULATE_WRITE = 18;
    static final int ADV_WIPEONFORK = 19;
    static final int ADV_KEEPONFORK = 20;
    static final int ADV_COLLAPSE = 21;
    static final int ADV_FREE_REUSABLE = 22;
    static final int ADV_FREE_REUSE = 23;
    static final int ADV_ZERO_WIRED_PAGES = 24;
    static final int ADV_COUNT = 25;

    // msync flags (MS_*): bits.
    static final int SYNC_SYNC = 1;
    static final int SYNC_ASYNC = 2;
    static final int SYNC_INVALIDATE = 4;

    // open / shm_open flags (O_*): bits.
    static final int OPEN_READ_ONLY = 0;
    static final int OPEN_READ_WRITE = 1;
    static final int OPEN_CREATE = 2;
    static final int OPEN_EXCLUSIVE = 4;
    /** {@code O_NONBLOCK}: an open that never waits (for a FIFO's other end, say). */
    static final int OPEN_NONBLOCK = 8;
    /** {@code O_NOCTTY}: a terminal opened by path never becomes the controlling one. */
    static final int OPEN_NOCTTY = 16;

    // File types (st_mode & S_IFMT), as fileStat returns them in its low 3 bits.
    /** No type bits: macOS reports its shared memory objects so. */
    static final int TYPE_UNKNOWN = 0;
    static final int TYPE_REGULAR = 1;
    static final int TYPE_DIRECTORY = 2;
    static final int TYPE_CHARACTER_DEVICE = 3;
    static final int TYPE_BLOCK_DEVICE = 4;
    static final int TYPE_FIFO = 5;
    static final int TYPE_SOCKET = 6;
    static final int TYPE_SYMBOLIC_LINK = 7;

    // posix_fadvise advice (POSIX_FADV_*).
    static final int FADV_NORMAL = 0;
    static final int FADV_SEQUENTIAL = 1;
    static final int FADV_RANDOM = 2;
    static final int FADV_WILLNEED = 3;
    static final int FADV_DONTNEED = 4;
    static final int FADV_NOREUSE = 5;

    // cachestat(2) counters: indices into the array Native.cachestat fills (the kernel's order,
    // MM4J_CS_* in mmap4j_pagecache.h, asserted equal at compile time in mmap4j_jni.c).
    static final int CS_CACHED = 0;
    static final int CS_DIRTY = 1;
    static final int CS_WRITEBACK = 2;
    static final int CS_EVICTED = 3;
    static final int CS_RECENTLY_EVICTED = 4;
    static final int CS_COUNT = 5;

    static {
        // Never throws: a class whose initialiser threw is unusable for the JVM's life. On failure
        // the natives stay unbound until Platform.ensureLoaded(), which every entry point passes,
        // tries again and throws the reason.
        try {
            NativeLibrary.load();
        } catch (Throwable e) {
            // Reported by the next Platform.ensureLoaded(). Errors included: JDK code on the way can
            // throw InternalError (no descriptor left for SecureRandom), which must not make Native
            // unusable for the JVM's life.
        }
    }

    private Native() {
    }

    // ---- platform facts, read once (the platform's name and posix_fadvise: internal.NativeLibrary) ----

    /** {@code sysconf(_SC_PAGESIZE)}, or {@code -errno}. */
    static native long pageSize();

    /** Bit {@code ADV_x} set when the headers define that advice. */
    static native long supportedAdvice();

    /** Bit {@code FLAG_x} set when the headers define that map flag. */
    static native long supportedMapFlags();

    /** Symbolic errno names indexed by errno value ({@code null} where none). */
    static native String[] errnoNames();

    /** {@code strerror(errno)}. */
    static native String strerror(int errno);

    // ---- files ----

    /** {@code open(2)}; path is NUL-terminated bytes in the platform encoding. */
    static native long open(byte[] path, int openFlags, int mode);

    /** {@code close(2)}. */
    static native long close(int fd);

    /**
     * Type and size of an open descriptor from one {@code fstat} (a block device's size by
     * {@code lseek}): {@code size << 3 | TYPE_*} code, or {@code -errno}.
     */
    static native long fileStat(int fd);

    /** Clears {@code O_NONBLOCK} on a descriptor ({@code fcntl}). */
    static native long clearNonblocking(int fd);

    /** {@code fdatasync(2)} ({@code fsync} where there is none). */
    static native long datasync(int fd);

    /** File size through {@code lseek(SEEK_END)}. */
    static native long fileSize(int fd);

    /** {@code ftruncate(2)}. */
    static native long truncate(int fd, long size);

    /** {@code posix_fadvise(2)}. */
    static native long fadvise(int fd, long offset, long length, int fadvice);

    // ---- page cache of a file range (mmap4j_pagecache.c) ----

    /**
     * {@code cachestat(2)} of {@code [offset, offset + length)} into {@code counts[CS_*]}; a
     * {@code length} of 0 means to the end of the file. {@code -ENOSYS} without the call.
     */
    static native long cachestat(int fd, long offset, long length, long[] counts);

    /** Whether this kernel answers {@code cachestat} (Linux 6.5+, not blocked by seccomp). */
    static native boolean hasCachestat();

    /**
     * Resident pages of {@code [offset, offset + length)} of an open file by {@code mincore(2)}
     * over a private read-only mapping made and removed in C, a window at a time.
     */
    static native long mincoreFile(int fd, long offset, long length);

    /**
     * The descriptor number behind a {@code java.io.FileDescriptor} or a JDK
     * {@code FileChannel}; {@code -1} when the object has none (closed or a
     * channel of another implementation).
     */
    static native int descriptor(Object fileDescriptorOrChannel);

    // ---- mappings ----

    /** {@code mmap(2)}; returns the address or {@code -errno}. */
    static native long map(long length, int prot, int sharing, int flags, int fd, long offset);

    /** {@code NewDirectByteBuffer(address, capacity)}. */
    static native ByteBuffer newBuffer(long address, int capacity);

    /**
     * A read-only buffer over {@code [address, address + capacity)} in one object: {@code NewObject}
     * of {@code java.nio.DirectByteBufferR} by the constructor {@code FileChannel.map} uses, with no
     * file descriptor, unmapper or segment (no cleaner, no attachment: a {@link #newBuffer}, read-only).
     *
     * @return the buffer, or {@code null} when this JDK has no constructor the shim knows (then
     *         {@code newBuffer(...).asReadOnlyBuffer()}).
     */
    static native ByteBuffer newReadOnlyBuffer(long address, int capacity);

    /**
     * A direct buffer's start address: its {@code Buffer.address} by {@code GetLongField}, what
     * {@code GetDirectBufferAddress} returns without that call's type check (the caller checked
     * {@code isDirect()}: a heap buffer's field holds no address on JDK 9+).
     */
    static native long address(Buffer buffer);

    /**
     * {@code DirectByteBuffer.att} by {@code GetObjectField}: what a view was made from (JDK 8 its
     * parent, JDK 9+ the root buffer), {@code null} for a buffer {@code NewDirectByteBuffer} made.
     * Returns {@code buffer} itself when it is no {@code DirectByteBuffer} or this JDK has no such field.
     */
    static native Object attachment(Buffer buffer);

    /**
     * Sets {@code DirectByteBuffer.att} of a buffer {@link #newBuffer} just made ({@code SetObjectField}):
     * the views cut from it then keep {@code attachment} reachable ({@link Views.Batch}).
     *
     * @return {@code false}, and nothing set, when this JDK has no such field or the buffer already
     *         has an attachment.
     */
    static native boolean attach(ByteBuffer buffer, Object attachment);

    /**
     * A JNI weak global reference ({@code NewWeakGlobalRef}) to {@code view}.
     *
     * @return the handle, or 0 when the JVM is out of memory.
     */
    static native long weakView(ByteBuffer view);

    /** Deletes the handles in {@code refs[0, count)} whose view was collected, keeps the rest in order at the front. */
    static native int purgeViews(long[] refs, int count);

    /**
     * Deletes the handles in {@code refs[0, count)} ({@code DeleteWeakGlobalRef}); with {@code limit},
     * first sets {@code limit(0)} on each view still reachable.
     */
    static native void dropViews(long[] refs, int count, boolean limit);

    /** {@link #dropViews} for one handle ({@code 0}: none). */
    static native void dropView(long ref, boolean limit);

    /**
     * Takes the error HotSpot holds for this thread until its next call into Java: before JDK 19,
     * the {@code InternalError} of a fault on a protected page ({@link Guard#takeLateFault}).
     *
     * @return the error, no longer pending, or {@code null}.
     */
    static native Throwable lateFault();

    /**
     * The call into Java {@link #lateFault} makes. It must run code: HotSpot does not even enter
     * a method whose only instruction is {@code return}, nor look for pending errors then.
     *
     * @return 1.
     */
    static int lateFaultProbe() {
        return 1;
    }

    /** {@code munmap(2)}. */
    static native long unmap(long address, long length);

    /**
     * Covers a range mmap4j owns with quarantine memory ({@code mmap(MAP_FIXED)}): see
     * {@code mm4j_quarantine}; {@code keepAlive} is the object that closes it. Read-only
     * private anonymous memory unless {@code writable}.
     */
    static native long quarantine(Object keepAlive, long address, long length, int quarantineFd, boolean writable);

    /** The quarantine file ({@code memfd_create}, sized past every address), or {@code -errno}. */
    static native long quarantineFd();

    /** Punches the quarantine file at offset {@code address} (if {@code quarantineFd >= 0}), then {@code munmap}. */
    static native long release(long address, long length, int quarantineFd);

    // ---- growable regions (GrowableRegion) ----

    /**
     * Reserves address space: {@code mmap(PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE)};
     * the address or {@code -errno}.
     */
    static native long reserve(long length);

    /**
     * {@code mmap(MAP_FIXED)} at {@code address}, only inside a reservation mmap4j owns and holds
     * open; {@code 0} or {@code -errno} (the range is reserved again after a failure).
     */
    static native long mapFixed(Object keepAlive, long address, long length, int prot, int sharing,
                                       int flags, int fd, long offset);

    /**
     * Allocates the file's blocks and extends it to at least {@code offset + length}: {@code fallocate(2)}
     * on Linux, {@code fcntl(F_PREALLOCATE)} and {@code ftruncate} on macOS; {@code -ENOSYS} elsewhere.
     */
    static native long allocate(int fd, long offset, long length);

    /** Whether {@link #allocate} exists on this platform. */
    static native boolean canAllocate();

    /** {@code flock(2)}: {@code LOCK_EX} when {@code exclusive}, else {@code LOCK_UN}. */
    static native long lockFile(int fd, boolean exclusive);

    /** {@code msync(2)}. */
    static native long sync(Object keepAlive, long address, long length, int syncFlags);

    /** {@code madvise(2)}. */
    static native long advise(Object keepAlive, long address, long length, int advice);

    /** {@code mincore(2)}: resident pages, with per-page bits when {@code bits} is not null. */
    static native long residency(Object keepAlive, long address, long length, long[] bits);

    /** {@code mlock(2)}. */
    static native long lock(Object keepAlive, long address, long length);

    /** {@code munlock(2)}. */
    static native long unlock(Object keepAlive, long address, long length);

    /** {@code mprotect(2)}. */
    static native long protect(Object keepAlive, long address, long length, int prot);

    // ---- POSIX shared memory ----

    /** {@code shm_open(3)}. */
    static native long shmOpen(byte[] name, int openFlags, int mode);

    /** {@code shm_unlink(3)}. */
    static native long shmUnlink(byte[] name);

    /** The longest name {@code shm_open} accepts, in bytes, leading {@code '/'} included. */
    static native int shmNameMax();

    // ---- wait and wake on a word shared between processes (mmap4j_futex.c) ----

    /**
     * Sleeps while the 32-bit word at {@code address} holds {@code expected}, for at most
     * {@code timeoutNanos}: {@code futex(FUTEX_WAIT)} (shared, not private) on Linux,
     * {@code os_sync_wait_on_address_with_timeout(SHARED)} on macOS 14.4+, polling below that.
     *
     * @return {@code 0} when woken (or woken spuriously), {@code -EAGAIN} when the word did not hold
     *         {@code expected}, {@code -ETIMEDOUT}, {@code -EINTR} (a signal), or another {@code -errno}.
     */
    static native long futexWait(Object keepAlive, long address, int expected, long timeoutNanos);

    /**
     * Wakes at most {@code count} waiters on the 32-bit word at {@code address}, in any process.
     *
     * @return how many were woken (see {@code mm4j_futex_wake}), or {@code -errno}.
     */
    static native long futexWake(Object keepAlive, long address, int count);

    // ---- Fault handlers (mmap4j_ranges.c, mmap4j_guard.c; Linux only, -ENOSYS elsewhere) ----

    /** Range flag: a SIGBUS in the range (a page past the end of its file) is covered with zero memory. */
    static final int RANGE_COVER_SIGBUS = 1;
    /** Range flag: mmap4j reduced the range's protection; a SIGSEGV there goes to HotSpot as SIGBUS. */
    static final int RANGE_GUARDED = 2;
    /** Range flag, set by the SIGBUS handler: it covered a page of the range. */
    static final int RANGE_TRUNCATED = 4;
    /** Range flag, set by the SIGSEGV handler: it restored a page's protection so an access HotSpot could not
     * throw from completed. */
    static final int RANGE_UNPROTECTED = 8;

    /** Installs the SIGSEGV forwarder once; {@code 0} or {@code -errno} (the first result, every time). */
    static native long guardInstall();

    /**
     * Installs the SIGBUS handler once and tells it the quarantine descriptor its covers map ({@code -1}:
     * anonymous memory); {@code 0} or {@code -errno} (the first result, every time).
     */
    static native long busInstall(int quarantineFd);

    /**
     * Adds {@code [start, end)} to the fault handlers' table.
     *
     * @param flags {@code RANGE_*} bits.
     * @param prot  the {@code PROT_*} bits the range was mapped with (what the SIGSEGV handler restores).
     * @return the slot, or {@code -ENOMEM}.
     */
    static native long rangeAdd(long start, long end, int flags, int prot);

    /** Sets and clears {@code RANGE_*} flags of a slot; returns the flags before. */
    static native int rangeUpdate(int slot, int set, int clear);

    /** A slot's {@code RANGE_*} flags. */
    static native int rangeFlags(int slot);

    /** The first address the SIGBUS handler covered in a slot's range, or {@code 0}. */
    static native long rangeFaultAddress(int slot);

    /** Frees a slot; returns once no fault handler can still act on its range (then it may be unmapped). */
    static native void rangeRemove(int slot);

    /** Slots in use (tests). */
    static native long rangesLive();

    /** A buffer over the handlers' count of faults recovered from (a native {@code uint64_t}). */
    static native java.nio.ByteBuffer faultCounter();
}
