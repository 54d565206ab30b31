/* Page-cache state of a file range: see mmap4j_pagecache.h. */
#define _GNU_SOURCE 1
#include "mmap4j_pagecache.h"
#include "mmap4j_os.h"

#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* glibc before 2.39, musl before 1.2.5 and the headers zig 0.11 ships for the cross builds
 * have no SYS_cachestat. 451 on x86_64 (arch/x86/entry/syscalls/syscall_64.tbl) and on
 * aarch64 (include/uapi/asm-generic/unistd.h), Linux 6.5+; other architectures get -ENOSYS. */
#if defined(__linux__) && !defined(SYS_cachestat) && (defined(__x86_64__) || defined(__aarch64__))
#define SYS_cachestat 451
#endif

/* The kernel's struct cachestat_range and struct cachestat (include/uapi/linux/mman.h),
 * under names of our own: new kernel headers define them, old ones do not. */
struct mm4j_cachestat_range {
    uint64_t off;
    uint64_t len;
};

struct mm4j_cachestat_counts {
    uint64_t nr_cache;
    uint64_t nr_dirty;
    uint64_t nr_writeback;
    uint64_t nr_evicted;
    uint64_t nr_recently_evicted;
};

_Static_assert(sizeof(struct mm4j_cachestat_range) == 16, "struct cachestat_range is two __u64");
_Static_assert(sizeof(struct mm4j_cachestat_counts) == 8 * MM4J_CS_COUNT, "struct cachestat is five __u64");

/* The largest range mapped at once by the mincore path (the CLI's window, too). */
#define MINCORE_WINDOW ((int64_t) 1 << 30)

int64_t mm4j_cachestat(int fd, int64_t offset, int64_t length, uint64_t out[MM4J_CS_COUNT]) {
#if defined(__linux__) && defined(SYS_cachestat)
    struct mm4j_cachestat_range range = {(uint64_t) offset, (uint64_t) length};
    struct mm4j_cachestat_counts cs;
    if (syscall(SYS_cachestat, fd, &range, &cs, 0u) != 0) return -(int64_t) errno;
    out[MM4J_CS_CACHED] = cs.nr_cache;
    out[MM4J_CS_DIRTY] = cs.nr_dirty;
    out[MM4J_CS_WRITEBACK] = cs.nr_writeback;
    out[MM4J_CS_EVICTED] = cs.nr_evicted;
    out[MM4J_CS_RECENTLY_EVICTED] = cs.nr_recently_evicted;
    return 0;
#else
    (void) fd; (void) offset; (void) length; (void) out;
    return -ENOSYS;
#endif
}

int64_t mm4j_has_cachestat(void) {
    uint64_t counts[MM4J_CS_COUNT];
    int64_t rc = mm4j_cachestat(-1, 0, 0, counts);
    return rc == -EBADF ? 1 : 0;
}

int64_t mm4j_mincore_file(int fd, int64_t offset, int64_t length, int64_t page_size) {
    int64_t start = offset - offset % page_size;
    int64_t end = offset + length;
    int64_t resident = 0;
    while (start < end) {
        int64_t window = end - start < MINCORE_WINDOW ? end - start : MINCORE_WINDOW;
        int64_t address = mm4j_map(window, PROT_READ, MAP_SHARED, fd, start);
        if (address < 0) return address;
        int64_t n = mm4j_residency((uintptr_t) address, window, page_size, NULL);
        int64_t unmapped = mm4j_unmap((uintptr_t) address, window);
        if (n < 0) return n;
        if (unmapped < 0) return unmapped;
        resident += n;
        start += window;
    }
    return resident;
}
