/* Portable code -> platform value: see mmap4j_codes.h. */
#define _GNU_SOURCE 1
#include "mmap4j_codes.h"
#include "mmap4j_platform.h"
#include "io_github_mmap4j_Native.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#ifdef __linux__
/* The kernel's UAPI header: advice newer than the C library's sys/mman.h
 * (glibc 2.36 lacks MADV_COLLAPSE; the 2.17 floor lacks much more). */
#include <linux/mman.h>
#endif

/* Older BSD headers spell it MAP_ANON. */
#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

#define CODE(name) io_github_mmap4j_Native_##name

int mm4j_prot_of(int bits) {
    int prot = PROT_NONE;
    if (bits & CODE(PROT_READ)) prot |= PROT_READ;
    if (bits & CODE(PROT_WRITE)) prot |= PROT_WRITE;
    if (bits & CODE(PROT_EXEC)) prot |= PROT_EXEC;
    return prot;
}

/* Platform value of one map flag, or 0 when the headers lack it. */
static int map_flag(int code) {
    switch (code) {
#ifdef MAP_NORESERVE
    case CODE(FLAG_NORESERVE): return MAP_NORESERVE;
#endif
#ifdef MAP_POPULATE
    case CODE(FLAG_POPULATE): return MAP_POPULATE;
#endif
#ifdef MAP_LOCKED
    case CODE(FLAG_LOCKED): return MAP_LOCKED;
#endif
#ifdef MAP_HUGETLB
    case CODE(FLAG_HUGETLB): return MAP_HUGETLB;
#endif
#if defined(MAP_HUGETLB) && defined(MAP_HUGE_SHIFT)
    case CODE(FLAG_HUGE_2MB): return MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
    case CODE(FLAG_HUGE_1GB): return MAP_HUGETLB | (30 << MAP_HUGE_SHIFT);
#endif
#ifdef MAP_32BIT
    case CODE(FLAG_32BIT): return MAP_32BIT;
#endif
#ifdef MAP_NOCACHE
    case CODE(FLAG_NOCACHE): return MAP_NOCACHE;
#endif
#ifdef MAP_JIT
    case CODE(FLAG_JIT): return MAP_JIT;
#endif
    default: return 0;
    }
}

int mm4j_map_flags_of(int sharing, int flag_bits) {
    int flags = (sharing & CODE(SHARE_PRIVATE)) ? MAP_PRIVATE : MAP_SHARED;
    if (sharing & CODE(SHARE_ANONYMOUS)) flags |= MAP_ANONYMOUS;
    for (int code = 0; code < CODE(FLAG_COUNT); code++) {
        if (flag_bits & (1 << code)) {
            int value = map_flag(code);
            if (value == 0) return MM4J_UNSUPPORTED;
            flags |= value;
        }
    }
    return flags;
}

uint64_t mm4j_supported_map_flags(void) {
    uint64_t mask = 0;
    for (int code = 0; code < CODE(FLAG_COUNT); code++) {
        if (map_flag(code) != 0) mask |= (uint64_t) 1 << code;
    }
    return mask;
}

int mm4j_advice_of(int code) {
    switch (code) {
    case CODE(ADV_NORMAL): return MADV_NORMAL;
    case CODE(ADV_RANDOM): return MADV_RANDOM;
    case CODE(ADV_SEQUENTIAL): return MADV_SEQUENTIAL;
    case CODE(ADV_WILLNEED): return MADV_WILLNEED;
    case CODE(ADV_DONTNEED): return MADV_DONTNEED;
#ifdef MADV_FREE
    case CODE(ADV_FREE): return MADV_FREE;
#endif
#ifdef MADV_REMOVE
    case CODE(ADV_REMOVE): return MADV_REMOVE;
#endif
#ifdef MADV_DONTFORK
    case CODE(ADV_DONTFORK): return MADV_DONTFORK;
#endif
#ifdef MADV_DOFORK
    case CODE(ADV_DOFORK): return MADV_DOFORK;
#endif
#ifdef MADV_MERGEABLE
    case CODE(ADV_MERGEABLE): return MADV_MERGEABLE;
#endif
#ifdef MADV_UNMERGEABLE
    case CODE(ADV_UNMERGEABLE): return MADV_UNMERGEABLE;
#endif
#ifdef MADV_HUGEPAGE
    case CODE(ADV_HUGEPAGE): return MADV_HUGEPAGE;
#endif
#ifdef MADV_NOHUGEPAGE
    case CODE(ADV_NOHUGEPAGE): return MADV_NOHUGEPAGE;
#endif
#ifdef MADV_DONTDUMP
    case CODE(ADV_DONTDUMP): return MADV_DONTDUMP;
#endif
#ifdef MADV_DODUMP
    case CODE(ADV_DODUMP): return MADV_DODUMP;
#endif
#ifdef MADV_COLD
    case CODE(ADV_COLD): return MADV_COLD;
#endif
#ifdef MADV_PAGEOUT
    case CODE(ADV_PAGEOUT): return MADV_PAGEOUT;
#endif
#ifdef MADV_POPULATE_READ
    case CODE(ADV_POPULATE_READ): return MADV_POPULATE_READ;
#endif
#ifdef MADV_POPULATE_WRITE
    case CODE(ADV_POPULATE_WRITE): return MADV_POPULATE_WRITE;
#endif
#ifdef MADV_WIPEONFORK
    case CODE(ADV_WIPEONFORK): return MADV_WIPEONFORK;
#endif
#ifdef MADV_KEEPONFORK
    case CODE(ADV_KEEPONFORK): return MADV_KEEPONFORK;
#endif
#ifdef MADV_COLLAPSE
    case CODE(ADV_COLLAPSE): return MADV_COLLAPSE;
#endif
#ifdef MADV_FREE_REUSABLE
    case CODE(ADV_FREE_REUSABLE): return MADV_FREE_REUSABLE;
#endif
#ifdef MADV_FREE_REUSE
    case CODE(ADV_FREE_REUSE): return MADV_FREE_REUSE;
#endif
#ifdef MADV_ZERO_WIRED_PAGES
    case CODE(ADV_ZERO_WIRED_PAGES): return MADV_ZERO_WIRED_PAGES;
#endif
    default: return MM4J_UNSUPPORTED;
    }
}

uint64_t mm4j_supported_advice(void) {
    uint64_t mask = 0;
    for (int code = 0; code < CODE(ADV_COUNT); code++) {
        if (mm4j_advice_of(code) != MM4J_UNSUPPORTED) mask |= (uint64_t) 1 << code;
    }
    return mask;
}

int mm4j_sync_flags_of(int bits) {
    int flags = (bits & CODE(SYNC_ASYNC)) ? MS_ASYNC : MS_SYNC;
    if (bits & CODE(SYNC_INVALIDATE)) flags |= MS_INVALIDATE;
    return flags;
}

int mm4j_open_flags_of(int bits) {
    int flags = (bits & CODE(OPEN_READ_WRITE)) ? O_RDWR : O_RDONLY;
    if (bits & CODE(OPEN_CREATE)) flags |= O_CREAT;
    if (bits & CODE(OPEN_EXCLUSIVE)) flags |= O_EXCL;
    if (bits & CODE(OPEN_NONBLOCK)) flags |= O_NONBLOCK;
    if (bits & CODE(OPEN_NOCTTY)) flags |= O_NOCTTY;
    return flags;
}

int mm4j_file_type_code(int64_t type_bits) {
    switch ((mode_t) type_bits) {
    case S_IFREG: return CODE(TYPE_REGULAR);
    case S_IFDIR: return CODE(TYPE_DIRECTORY);
    case S_IFCHR: return CODE(TYPE_CHARACTER_DEVICE);
    case S_IFBLK: return CODE(TYPE_BLOCK_DEVICE);
    case S_IFIFO: return CODE(TYPE_FIFO);
    case S_IFSOCK: return CODE(TYPE_SOCKET);
    case S_IFLNK: return CODE(TYPE_SYMBOLIC_LINK);
    default: return CODE(TYPE_UNKNOWN);
    }
}

int mm4j_fadvice_of(int code) {
#ifdef POSIX_FADV_NORMAL
    switch (code) {
    case CODE(FADV_NORMAL): return POSIX_FADV_NORMAL;
    case CODE(FADV_SEQUENTIAL): return POSIX_FADV_SEQUENTIAL;
    case CODE(FADV_RANDOM): return POSIX_FADV_RANDOM;
    case CODE(FADV_WILLNEED): return POSIX_FADV_WILLNEED;
    case CODE(FADV_DONTNEED): return POSIX_FADV_DONTNEED;
    case CODE(FADV_NOREUSE): return POSIX_FADV_NOREUSE;
    default: return MM4J_UNSUPPORTED;
    }
#else
    (void) code;
    return MM4J_UNSUPPORTED;
#endif
}

int mm4j_shm_name_max(void) {
#if defined(PSHMNAMLEN)
    return PSHMNAMLEN;
#elif defined(__APPLE__)
    /* xnu's PSHMNAMLEN (bsd/sys/posix_shm_internal.h, not in the SDK): the whole
     * name, leading slash included; longer names fail with ENAMETOOLONG. */
    return 31;
#else
    /* glibc strips the leading slash and opens /dev/shm/<rest>: one file name. */
    return NAME_MAX + 1;
#endif
}

const char *mm4j_platform(void) {
    return MM4J_PLATFORM;
}

/* errno names from the headers: values differ between Linux and macOS. */
#define ERRNO_NAMES(X) \
    X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) \
    X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY) \
    X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) \
    X(EMFILE) X(ETXTBSY) X(EFBIG) X(ENOSPC) X(ESPIPE) X(EROFS) X(EMLINK) \
    X(ERANGE) X(ENAMETOOLONG) X(ENOSYS) X(ELOOP) X(EOVERFLOW) X(ENOTSUP) \
    X(EOPNOTSUPP) X(EDQUOT) X(ESTALE) X(ENOLCK) X(EHWPOISON) X(ETIMEDOUT)


const char *mm4j_errno_name(int err) {
    /* EOPNOTSUPP equals ENOTSUP on Linux: a switch cannot hold both, so ifs. */
#define NAME_IF(name) if (err == name) return #name;
#ifndef EHWPOISON
#define EHWPOISON (-1000)
#endif
#ifndef EDQUOT
#define EDQUOT (-1001)
#endif
    ERRNO_NAMES(NAME_IF)
    return NULL;
}

int mm4j_errno_limit(void) {
    int limit = 0;
#define MAX_OF(name) if (name + 1 > limit) limit = name + 1;
    ERRNO_NAMES(MAX_OF)
    return limit;
}
