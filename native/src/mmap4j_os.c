/* POSIX layer: see mmap4j_os.h. No JNI here, so test_os.c can test it alone. */
#define _GNU_SOURCE 1
#include "mmap4j_os.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/file.h>
#ifdef __linux__
#include <linux/falloc.h>
#include <sys/syscall.h>
#endif

/* mincore's vector is unsigned char * on Linux and char * on BSD/macOS. */
#ifdef __APPLE__
typedef char mincore_vec_t;
#else
typedef unsigned char mincore_vec_t;
#endif

/* Pages asked of mincore per call: bounds the stack vector, whatever the range. */
#define RESIDENCY_CHUNK_PAGES 8192

#define RETURN_ERRNO_IF(cond) do { if (cond) return -(int64_t) errno; } while (0)

int64_t mm4j_page_size(void) {
    long size = sysconf(_SC_PAGESIZE);
    RETURN_ERRNO_IF(size <= 0);
    return size;
}

int64_t mm4j_open(const char *path, int flags, int mode) {
    int fd;
    do {
        fd = open(path, flags | O_CLOEXEC, (mode_t) mode);
    } while (fd < 0 && errno == EINTR);
    RETURN_ERRNO_IF(fd < 0);
    return fd;
}

int64_t mm4j_close(int fd) {
    /* No retry on EINTR: the descriptor is released either way on Linux and macOS. */
    RETURN_ERRNO_IF(close(fd) != 0);
    return 0;
}

int64_t mm4j_file_size(int fd) {
#ifdef __APPLE__
    /* macOS cannot lseek a POSIX shared memory descriptor (ESPIPE); fstat works
     * there, and the zig/old-glibc fstat concern is Linux only. */
    struct stat st;
    RETURN_ERRNO_IF(fstat(fd, &st) != 0);
    return (int64_t) st.st_size;
#else
    off_t here = lseek(fd, 0, SEEK_CUR);
    RETURN_ERRNO_IF(here < 0);
    off_t end = lseek(fd, 0, SEEK_END);
    RETURN_ERRNO_IF(end < 0);
    RETURN_ERRNO_IF(lseek(fd, here, SEEK_SET) < 0);
    return (int64_t) end;
#endif
}

#if defined(__linux__)
/* The raw fstat system call, not glibc's fstat: zig 0.11 links a private fstat
 * with its own errno into libraries for glibc < 2.33 (our floor is 2.17), which
 * loses errno and exports symbols (see ARCHITECTURE.md, Cross-building).
 * statx(2) would have a fixed layout everywhere, but needs Linux 4.11 and the
 * 2.17 floor means CentOS 7 kernels (3.10). SYS_fstat exists on every Linux,
 * and on both 64-bit targets the kernel's struct stat is the C library's
 * (glibc's own fstat passes its struct stat straight to the kernel there; so
 * does musl): the asserts below stop a build for any other layout. */
_Static_assert(sizeof(long) == 8, "SYS_fstat fills the C library's struct stat only on 64-bit Linux");
#if defined(__x86_64__)
_Static_assert(sizeof(struct stat) == 144, "x86_64 kernel struct stat is 144 bytes");
#elif defined(__aarch64__)
_Static_assert(sizeof(struct stat) == 128, "asm-generic kernel struct stat is 128 bytes");
#endif
#endif

int64_t mm4j_file_type(int fd, int64_t *size) {
    struct stat st;
#if defined(__linux__)
    RETURN_ERRNO_IF(syscall(SYS_fstat, fd, &st) != 0);
#else
    RETURN_ERRNO_IF(fstat(fd, &st) != 0);
#endif
    if (size != NULL) {
        if (S_ISBLK(st.st_mode)) {
            /* A block device's st_size is 0: its size is where lseek(SEEK_END) lands. */
            int64_t end = mm4j_file_size(fd);
            if (end < 0) return end;
            *size = end;
        } else {
            *size = (int64_t) st.st_size;
        }
    }
    return (int64_t) (st.st_mode & S_IFMT);
}

int64_t mm4j_clear_nonblock(int fd) {
    int flags = fcntl(fd, F_GETFL);
    RETURN_ERRNO_IF(flags < 0);
    /* Only when set: macOS fails F_SETFL on a shared memory descriptor (ENOTTY
     * from its FIONBIO), and those are never opened non-blocking there. */
    if ((flags & O_NONBLOCK) != 0) {
        RETURN_ERRNO_IF(fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0);
    }
    return 0;
}

int64_t mm4j_datasync(int fd) {
    int rc;
    do {
#if defined(__linux__)
        rc = fdatasync(fd);
#else
        rc = fsync(fd);
#endif
    } while (rc != 0 && errno == EINTR);
    RETURN_ERRNO_IF(rc != 0);
    return 0;
}

int64_t mm4j_truncate(int fd, int64_t size) {
    int rc;
    do {
        rc = ftruncate(fd, (off_t) size);
    } while (rc != 0 && errno == EINTR);
    RETURN_ERRNO_IF(rc != 0);
    return 0;
}

int64_t mm4j_fadvise(int fd, int64_t offset, int64_t length, int advice) {
#if defined(__linux__)
    /* posix_fadvise returns the error number instead of setting errno. */
    int rc = posix_fadvise(fd, (off_t) offset, (off_t) length, advice);
    return rc == 0 ? 0 : -(int64_t) rc;
#else
    (void) fd; (void) offset; (void) length; (void) advice;
    return -ENOSYS;
#endif
}

int64_t mm4j_isatty(int fd) {
    return isatty(fd) ? 1 : 0;
}

int64_t mm4j_seek_data(int fd, int64_t offset, int hole) {
#if defined(SEEK_DATA) && defined(SEEK_HOLE)
    off_t at = lseek(fd, (off_t) offset, hole ? SEEK_HOLE : SEEK_DATA);
    RETURN_ERRNO_IF(at < 0);
    return (int64_t) at;
#else
    (void) fd; (void) offset; (void) hole;
    return -ENOTSUP;
#endif
}

int64_t mm4j_map(int64_t length, int prot, int flags, int fd, int64_t offset) {
    void *p = mmap(NULL, (size_t) length, prot, flags, fd, (off_t) offset);
    RETURN_ERRNO_IF(p == MAP_FAILED);
    return (int64_t) (uintptr_t) p;
}

int64_t mm4j_unmap(uintptr_t address, int64_t length) {
    RETURN_ERRNO_IF(munmap((void *) address, (size_t) length) != 0);
    return 0;
}

/* The quarantine file's size: larger than any user-space address, so a cover at
 * file offset = address always lies inside it (a hole there reads as zeros). */
#define QUARANTINE_FILE_SIZE ((off_t) 1 << 62)

/* Older BSD headers spell it MAP_ANON. */
#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

int64_t mm4j_quarantine_fd(void) {
#if defined(__linux__) && defined(SYS_memfd_create)
    /* The raw syscall: glibc 2.17 (our floor) has no memfd_create wrapper. */
    long fd = syscall(SYS_memfd_create, "mmap4j-quarantine", 1u /* MFD_CLOEXEC */);
    RETURN_ERRNO_IF(fd < 0);
    if (ftruncate((int) fd, QUARANTINE_FILE_SIZE) != 0) {
        int err = errno;
        close((int) fd);
        return -(int64_t) err;
    }
    return fd;
#else
    return -ENOSYS;
#endif
}

int64_t mm4j_quarantine(uintptr_t address, int64_t length, int quarantine_fd, int writable) {
    void *p;
    if (!writable) {
        /* Read-only: stale reads map the zero page. No commit charge even under strict
         * overcommit (the kernel charges only writable private memory), neighbouring read-only
         * covers merge, and no shared file mapping to set up: about 0.7 us less per close. */
        p = mmap((void *) address, (size_t) length, PROT_READ,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    } else if (quarantine_fd >= 0) {
        /* Shared: not charged against the commit limit, whatever the range's size. The file
         * offset is the address itself, so neighbouring covers have contiguous offsets in one
         * file and the kernel merges them into one mapping (vm.max_map_count). */
        p = mmap((void *) address, (size_t) length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
                 quarantine_fd, (off_t) address);
    } else {
        p = mmap((void *) address, (size_t) length, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    }
    RETURN_ERRNO_IF(p == MAP_FAILED);
    return 0;
}

int64_t mm4j_release(uintptr_t address, int64_t length, int quarantine_fd) {
    int64_t rc = 0;
#if defined(__linux__)
    /* Frees what stale accesses put into the quarantine file at these offsets. It only ever
     * touches that file, never what the range mapped before it was closed. */
    if (quarantine_fd >= 0 && fallocate(quarantine_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                        (off_t) address, (off_t) length) != 0) {
        rc = -(int64_t) errno;
    }
#else
    (void) quarantine_fd;
#endif
    if (munmap((void *) address, (size_t) length) != 0) rc = -(int64_t) errno;
    return rc;
}

int64_t mm4j_reserve(int64_t length) {
    void *p = mmap(NULL, (size_t) length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    RETURN_ERRNO_IF(p == MAP_FAILED);
    return (int64_t) (uintptr_t) p;
}

int64_t mm4j_map_fixed(uintptr_t address, int64_t length, int prot, int flags, int fd, int64_t offset) {
    void *p = mmap((void *) address, (size_t) length, prot, flags | MAP_FIXED, fd, (off_t) offset);
    if (p != MAP_FAILED) return 0;
    int err = errno;
    /* Linux's mmap_region unmaps the old range before it sets up the new one, and a failure
     * there (ENOMEM, a driver's mmap) can leave a hole. Reserve it again at once: a MAP_FIXED
     * over what may still be the reservation is harmless. */
    (void) mmap((void *) address, (size_t) length, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    return -(int64_t) err;
}

int64_t mm4j_can_allocate(void) {
#if defined(__linux__) || (defined(__APPLE__) && defined(F_PREALLOCATE))
    return 1;
#else
    return 0;
#endif
}

int64_t mm4j_allocate(int fd, int64_t offset, int64_t length) {
#if defined(__linux__)
    int rc;
    do {
        rc = fallocate(fd, 0, (off_t) offset, (off_t) length);
    } while (rc != 0 && errno == EINTR);
    RETURN_ERRNO_IF(rc != 0);
    return 0;
#elif defined(__APPLE__) && defined(F_PREALLOCATE)
    /* F_PEOFPOSMODE: length bytes from the physical end of the file. Contiguous if possible. */
    fstore_t store = {F_ALLOCATECONTIG | F_ALLOCATEALL, F_PEOFPOSMODE, 0, (off_t) length, 0};
    if (fcntl(fd, F_PREALLOCATE, &store) == -1) {
        store.fst_flags = F_ALLOCATEALL;
        RETURN_ERRNO_IF(fcntl(fd, F_PREALLOCATE, &store) == -1);
    }
    /* Extends only: another process may have grown the file further meanwhile. */
    int64_t size = mm4j_file_size(fd);
    if (size < 0) return size;
    return size < offset + length ? mm4j_truncate(fd, offset + length) : 0;
#else
    (void) fd; (void) offset; (void) length;
    return -ENOSYS;
#endif
}

int64_t mm4j_flock(int fd, int exclusive) {
    int rc;
    do {
        rc = flock(fd, exclusive ? LOCK_EX : LOCK_UN);
    } while (rc != 0 && errno == EINTR);
    RETURN_ERRNO_IF(rc != 0);
    return 0;
}

int64_t mm4j_sync(uintptr_t address, int64_t length, int flags) {
    RETURN_ERRNO_IF(msync((void *) address, (size_t) length, flags) != 0);
    return 0;
}

int64_t mm4j_advise(uintptr_t address, int64_t length, int advice) {
    RETURN_ERRNO_IF(madvise((void *) address, (size_t) length, advice) != 0);
    return 0;
}

int64_t mm4j_lock(uintptr_t address, int64_t length) {
    RETURN_ERRNO_IF(mlock((void *) address, (size_t) length) != 0);
    return 0;
}

int64_t mm4j_unlock(uintptr_t address, int64_t length) {
    RETURN_ERRNO_IF(munlock((void *) address, (size_t) length) != 0);
    return 0;
}

int64_t mm4j_protect(uintptr_t address, int64_t length, int prot) {
    /* musl's mprotect rounds the start down to a page and so changes bytes before it;
     * glibc's passes it to the kernel, which refuses. Refuse on every libc. */
    if (address % (uintptr_t) sysconf(_SC_PAGESIZE) != 0) return -EINVAL;
    RETURN_ERRNO_IF(mprotect((void *) address, (size_t) length, prot) != 0);
    return 0;
}

int64_t mm4j_residency(uintptr_t address, int64_t length, int64_t page_size, uint64_t *bits) {
    mincore_vec_t vec[RESIDENCY_CHUNK_PAGES];
    int64_t pages = (length + page_size - 1) / page_size;
    int64_t resident = 0;
    for (int64_t done = 0; done < pages; ) {
        int64_t n = pages - done < RESIDENCY_CHUNK_PAGES ? pages - done : RESIDENCY_CHUNK_PAGES;
        uintptr_t start = address + (uintptr_t) (done * page_size);
        RETURN_ERRNO_IF(mincore((void *) start, (size_t) (n * page_size), vec) != 0);
        for (int64_t i = 0; i < n; i++) {
            if (vec[i] & 1) {
                resident++;
                if (bits != NULL) {
                    int64_t page = done + i;
                    bits[page >> 6] |= (uint64_t) 1 << (page & 63);
                }
            }
        }
        done += n;
    }
    return resident;
}

int64_t mm4j_shm_open(const char *name, int flags, int mode) {
    int fd;
    do {
        /* glibc adds O_CLOEXEC itself; macOS rejects flags beyond the POSIX set,
         * and its shared memory objects live in no directory a FIFO could be put in. */
#if defined(__linux__)
        fd = shm_open(name, flags | O_NONBLOCK, (mode_t) mode);
#else
        fd = shm_open(name, flags, (mode_t) mode);
#endif
    } while (fd < 0 && errno == EINTR);
    RETURN_ERRNO_IF(fd < 0);
    return fd;
}

int64_t mm4j_shm_unlink(const char *name) {
    RETURN_ERRNO_IF(shm_unlink(name) != 0);
    return 0;
}
