/*
 * POSIX layer of the mmap4j shim: plain C, no JNI types.
 *
 * Every function returns a non-negative result on success or -errno on
 * failure. errno is read straight after the system call, before anything else
 * can overwrite it, so callers never need a separate "what was errno" call.
 * Arguments here are already platform values (PROT_*, MAP_*, MADV_*): the
 * translation from mmap4j's portable codes lives in mmap4j_codes.c.
 */
#ifndef MMAP4J_OS_H
#define MMAP4J_OS_H

#include <stdint.h>

/* sysconf(_SC_PAGESIZE): 4 KiB on most hosts, 16 KiB on Apple silicon. */
int64_t mm4j_page_size(void);

/* open(2) with O_CLOEXEC added; returns the descriptor. */
int64_t mm4j_open(const char *path, int flags, int mode);
int64_t mm4j_close(int fd);
/* File size by lseek(SEEK_END), restoring the position: the shim avoids fstat
 * on Linux (zig 0.11 links a private fstat for glibc < 2.33 targets). macOS
 * uses fstat: it cannot lseek a shared memory object. */
int64_t mm4j_file_size(int fd);
/* ftruncate(2) to size; callers only ever grow. */
int64_t mm4j_truncate(int fd, int64_t size);
/* The file type bits (st_mode & S_IFMT, platform values) of an open descriptor:
 * mmap4j opens without blocking, then refuses what it cannot map (FIFOs,
 * sockets, character devices, directories) before anything else touches it.
 * With size non-NULL, the same fstat also gives the size (a block device's
 * through lseek, since its st_size is 0): one system call per map, not two. */
int64_t mm4j_file_type(int fd, int64_t *size);
/* Clears O_NONBLOCK (fcntl F_GETFL/F_SETFL) when set; a no-op otherwise. */
int64_t mm4j_clear_nonblock(int fd);
/* fdatasync(2) on Linux (what FileChannel.force(false) does); fsync elsewhere. */
int64_t mm4j_datasync(int fd);
/* posix_fadvise(2); -ENOSYS where the platform has none (macOS). */
int64_t mm4j_fadvise(int fd, int64_t offset, int64_t length, int advice);

/* isatty(3): 1 when fd is a terminal, 0 when it is not (any errno, e.g. ENOTTY or EBADF). */
int64_t mm4j_isatty(int fd);

/* lseek(2) SEEK_DATA (hole 0) or SEEK_HOLE (hole 1) from offset: where the next data or hole
 * starts, -ENXIO when no data follows, -ENOTSUP where the platform has neither. Moves the
 * descriptor's position. */
int64_t mm4j_seek_data(int fd, int64_t offset, int hole);

/* mmap(2) with a NULL hint; returns the address. */
int64_t mm4j_map(int64_t length, int prot, int flags, int fd, int64_t offset);
int64_t mm4j_unmap(uintptr_t address, int64_t length);
/* The quarantine: what covers a closed range until it is unmapped (see
 * ARCHITECTURE.md, "Lifetime"). Memory that allows every access the range ever
 * allowed, so no such access can fault there: stale reads see zeros (or what
 * stale writes put there), stale writes never reach the file that was mapped.
 *
 * mm4j_quarantine_fd: Linux: a memfd sized past every user address (sparse: it
 * costs nothing until touched). -ENOSYS elsewhere: covers are then private
 * anonymous memory (MAP_NORESERVE). */
int64_t mm4j_quarantine_fd(void);
/* Covers [address, address+length) with MAP_FIXED. writable: the quarantine file at
 * file offset = address (neighbouring covers merge into one kernel mapping), or
 * private anonymous memory when quarantine_fd < 0. Not writable (a range nothing
 * could ever write): private anonymous memory that can only be read, whatever
 * quarantine_fd is. Only for a range the caller owns. */
int64_t mm4j_quarantine(uintptr_t address, int64_t length, int quarantine_fd, int writable);
/* Returns a range to the OS: punches the quarantine file's hole at offset = address
 * (what stale accesses allocated there) when quarantine_fd >= 0, then munmap.
 * Both are tried; -errno of the last failure. */
int64_t mm4j_release(uintptr_t address, int64_t length, int quarantine_fd);

/* Growable regions (GrowableRegion.java, issue 16).
 *
 * mm4j_reserve: address space only: mmap(PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE):
 * no memory, no commit charge (a private mapping without PROT_WRITE is not accounted), one
 * kernel mapping. Returns the address. */
int64_t mm4j_reserve(int64_t length);
/* mmap(MAP_FIXED) of a file (or anything mmap takes) at address: only into a reservation the
 * caller owns. If the kernel fails after it removed what was there (Linux can, on ENOMEM),
 * the range is reserved again (PROT_NONE) before returning, so no hole is left in the
 * caller's reservation for another mapping to land in. flags are MAP_* without MAP_FIXED. */
int64_t mm4j_map_fixed(uintptr_t address, int64_t length, int prot, int flags, int fd, int64_t offset);
/* Allocates the file's blocks for [offset, offset+length) and extends its size to at least
 * offset+length: Linux fallocate(2) mode 0 (-EOPNOTSUPP on file systems without it; never
 * glibc's posix_fallocate fallback, which writes bytes into a file others may be writing);
 * macOS fcntl(F_PREALLOCATE) (contiguous first, then any) plus ftruncate to the new size.
 * -ENOSPC when the file system is full: nothing is mapped over it yet. */
int64_t mm4j_allocate(int fd, int64_t offset, int64_t length);
/* Whether mm4j_allocate exists here (1) or returns -ENOSYS (0). */
int64_t mm4j_can_allocate(void);
/* flock(2): LOCK_EX when exclusive, else LOCK_UN; retried on EINTR. */
int64_t mm4j_flock(int fd, int exclusive);

int64_t mm4j_sync(uintptr_t address, int64_t length, int flags);
int64_t mm4j_advise(uintptr_t address, int64_t length, int advice);
int64_t mm4j_lock(uintptr_t address, int64_t length);
int64_t mm4j_unlock(uintptr_t address, int64_t length);
int64_t mm4j_protect(uintptr_t address, int64_t length, int prot);

/* mincore(2) over a page-aligned range, walked in bounded chunks. Returns the
 * number of resident pages; when bits is not NULL, page i's residency is
 * written to bit (i % 64) of bits[i / 64] (the layout of BitSet.valueOf). */
int64_t mm4j_residency(uintptr_t address, int64_t length, int64_t page_size, uint64_t *bits);

/* shm_open(3); on Linux with O_NONBLOCK added: /dev/shm is writable by every
 * user, and a FIFO placed there under the name would block a plain open. */
int64_t mm4j_shm_open(const char *name, int flags, int mode);
int64_t mm4j_shm_unlink(const char *name);

#endif
