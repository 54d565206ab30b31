/*
 * Page-cache state of a file range by descriptor, without a JVM: cachestat(2)
 * (Linux 6.5+) and, where it is missing, mincore(2) over a private read-only
 * mapping made and removed here. Same conventions as mmap4j_os.h: a result or
 * -errno, errno read right after the call.
 */
#ifndef MMAP4J_PAGECACHE_H
#define MMAP4J_PAGECACHE_H

#include <stdint.h>

/* cachestat's five counters, in the kernel's order (struct cachestat in
 * include/uapi/linux/mman.h). */
enum {
    MM4J_CS_CACHED = 0,
    MM4J_CS_DIRTY,
    MM4J_CS_WRITEBACK,
    MM4J_CS_EVICTED,
    MM4J_CS_RECENTLY_EVICTED,
    MM4J_CS_COUNT
};

/* cachestat(2) of [offset, offset + length) into out[MM4J_CS_COUNT]. length 0
 * means "to the end of the file", as in the kernel: callers that mean an empty
 * range must not call. -ENOSYS where the kernel or the build has no cachestat
 * (macOS, Linux < 6.5, a build for an architecture whose number is not known here). */
int64_t mm4j_cachestat(int fd, int64_t offset, int64_t length, uint64_t out[MM4J_CS_COUNT]);

/* 1 when this kernel answers cachestat (a probe on descriptor -1: EBADF means the call
 * exists), 0 when it does not (ENOSYS; EPERM from a seccomp filter that blocks it). */
int64_t mm4j_has_cachestat(void);

/* Resident pages of [offset, offset + length) of an open file by mincore(2): maps the
 * range read-only and shared in windows of at most 1 GiB, asks mincore, unmaps. The
 * pages are those holding any byte of the range (offset is rounded down to a page).
 * Nothing touches the mapped pages, so a file truncated meanwhile cannot raise SIGBUS. */
int64_t mm4j_mincore_file(int fd, int64_t offset, int64_t length, int64_t page_size);

#endif
