/*
 * Tests of the POSIX layer (mmap4j_os.c), the code translation
 * (mmap4j_codes.c) and the page-cache queries (mmap4j_pagecache.c: cachestat
 * and the mincore path agree, dirty pages until fdatasync; where the kernel has
 * no cachestat, the mincore path alone), without a JVM. Real files in a temporary directory, real
 * mappings; the SIGBUS check runs in a forked child. Run by ctest.
 */
#define _GNU_SOURCE 1
#include "mmap4j_codes.h"
#include "mmap4j_os.h"
#include "mmap4j_pagecache.h"
#include "io_github_mmap4j_Native.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;
static char dir[256];

#define CHECK(cond) do { \
    if (cond) { passed++; } \
    else { failed++; fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, __func__, #cond); } \
} while (0)

#define CODE(name) io_github_mmap4j_Native_##name

static int make_file(const char *name, int64_t size, char *path_out) {
    snprintf(path_out, 512, "%s/%s", dir, name);
    int64_t fd = mm4j_open(path_out, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { fprintf(stderr, "open %s: %s\n", path_out, strerror((int) -fd)); exit(2); }
    if (size > 0 && mm4j_truncate((int) fd, size) != 0) exit(2);
    return (int) fd;
}

static void test_page_size(void) {
    int64_t page = mm4j_page_size();
    CHECK(page >= 4096);
    CHECK((page & (page - 1)) == 0);
}

static void test_shared_write_reaches_file(void) {
    char path[512];
    int64_t page = mm4j_page_size();
    int fd = make_file("shared", 2 * page, path);
    CHECK(mm4j_file_size(fd) == 2 * page);
    int64_t addr = mm4j_map(2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(addr > 0);
    memcpy((char *) (uintptr_t) addr + page + 3, "mmap4j", 6);
    CHECK(mm4j_sync((uintptr_t) addr, 2 * page, MS_SYNC) == 0);
    char back[6];
    CHECK(pread(fd, back, 6, page + 3) == 6);
    CHECK(memcmp(back, "mmap4j", 6) == 0);
    CHECK(mm4j_unmap((uintptr_t) addr, 2 * page) == 0);
    mm4j_close(fd);
}

static void test_private_write_stays_private(void) {
    char path[512];
    int64_t page = mm4j_page_size();
    int fd = make_file("private", page, path);
    int64_t addr = mm4j_map(page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(addr > 0);
    *(char *) (uintptr_t) addr = 'x';
    char back = 1;
    CHECK(pread(fd, &back, 1, 0) == 1);
    CHECK(back == 0);
    mm4j_unmap((uintptr_t) addr, page);
    mm4j_close(fd);
}

static void test_errno_comes_back(void) {
    int64_t page = mm4j_page_size();
    CHECK(mm4j_open("/nonexistent-mmap4j/x", O_RDONLY, 0) == -ENOENT);
    CHECK(mm4j_map(page, PROT_READ, MAP_SHARED, 987654, 0) == -EBADF);
    char path[512];
    int fd = make_file("errno", page, path);
    int64_t addr = mm4j_map(page, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(addr > 0);
    /* msync needs a page-aligned start. */
    CHECK(mm4j_sync((uintptr_t) addr + 1, 1, MS_SYNC) == -EINVAL);
    mm4j_unmap((uintptr_t) addr, page);
    mm4j_close(fd);
    /* A read-only descriptor cannot back a shared writable mapping. */
    int64_t ro = mm4j_open(path, O_RDONLY, 0);
    CHECK(ro >= 0);
    CHECK(mm4j_map(page, PROT_READ | PROT_WRITE, MAP_SHARED, (int) ro, 0) == -EACCES);
    mm4j_close((int) ro);
    CHECK(mm4j_close(987654) == -EBADF);
}

static void test_isatty(void) {
    /* A regular file and a closed descriptor are not terminals. */
    char path[512];
    int fd = make_file("isatty", 1, path);
    CHECK(mm4j_isatty(fd) == 0);
    CHECK(mm4j_isatty(987654) == 0);
    mm4j_close(fd);
}

static void test_seek_data(void) {
    /* A 1 MiB file with one byte written at 512 KiB: data starts at or before it and a hole (or
     * the end) after it; past the end no data follows. File systems without holes report the
     * whole file as data, which fits the same checks. */
    char path[512];
    int fd = make_file("seekdata", 1 << 20, path);
    CHECK(pwrite(fd, "x", 1, 512 << 10) == 1);
    int64_t data = mm4j_seek_data(fd, 0, 0);
    CHECK(data >= 0 && data <= (512 << 10));
    int64_t hole = mm4j_seek_data(fd, data, 1);
    CHECK(hole > (512 << 10) && hole <= (1 << 20));
    CHECK(mm4j_seek_data(fd, 1 << 20, 0) == -ENXIO);
    CHECK(mm4j_seek_data(987654, 0, 0) == -EBADF);
    mm4j_close(fd);
}

static int type_of(int64_t fd) {
    int64_t bits = mm4j_file_type((int) fd, NULL);
    return bits < 0 ? (int) bits : mm4j_file_type_code(bits);
}

static void test_file_types_without_blocking(void) {
    char path[512];
    int fd = make_file("typed", 10, path);
    CHECK(type_of(fd) == CODE(TYPE_REGULAR));
    int64_t size = -1;
    CHECK(mm4j_file_type(fd, &size) == S_IFREG && size == 10); /* the size from the same fstat */
    mm4j_close(fd);
    int flags = CODE(OPEN_NONBLOCK) | CODE(OPEN_NOCTTY);
    /* A FIFO with no writer: a plain open(O_RDONLY) would wait forever. */
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    int64_t f = mm4j_open(fifo, mm4j_open_flags_of(flags), 0);
    CHECK(f >= 0);
    CHECK(type_of(f) == CODE(TYPE_FIFO));
    CHECK((fcntl((int) f, F_GETFL) & O_NONBLOCK) != 0);
    CHECK(mm4j_clear_nonblock((int) f) == 0);
    CHECK((fcntl((int) f, F_GETFL) & O_NONBLOCK) == 0);
    CHECK(mm4j_clear_nonblock((int) f) == 0); /* already clear: nothing to do */
    mm4j_close((int) f);
    int64_t d = mm4j_open(dir, mm4j_open_flags_of(flags), 0);
    CHECK(type_of(d) == CODE(TYPE_DIRECTORY));
    mm4j_close((int) d);
    int64_t null = mm4j_open("/dev/null", mm4j_open_flags_of(flags), 0);
    CHECK(type_of(null) == CODE(TYPE_CHARACTER_DEVICE));
    mm4j_close((int) null);
    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
    CHECK(type_of(pair[0]) == CODE(TYPE_SOCKET));
    close(pair[0]);
    close(pair[1]);
    /* errno comes back through the raw system call too. */
    CHECK(mm4j_file_type(987654, NULL) == -EBADF);
    CHECK(mm4j_clear_nonblock(987654) == -EBADF);
    CHECK(mm4j_file_type_code(0) == CODE(TYPE_UNKNOWN));
}

static void test_datasync(void) {
    char path[512];
    int fd = make_file("datasync", 4096, path);
    CHECK(mm4j_datasync(fd) == 0);
    mm4j_close(fd);
    CHECK(mm4j_datasync(987654) == -EBADF);
}

static void test_residency_counts_pages(void) {
    int64_t page = mm4j_page_size();
    int64_t pages = 20000; /* more than one mincore chunk */
    int64_t addr = mm4j_map(pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(addr > 0);
    CHECK(mm4j_residency((uintptr_t) addr, pages * page, page, NULL) == 0);
    for (int64_t i = 0; i < pages; i += 2) ((char *) (uintptr_t) addr)[i * page] = 1;
    uint64_t *bits = calloc((size_t) (pages + 63) / 64, 8);
    CHECK(mm4j_residency((uintptr_t) addr, pages * page, page, bits) == pages / 2);
    CHECK((bits[0] & 0x3) == 0x1);
    CHECK((bits[(pages - 2) / 64] >> ((pages - 2) % 64) & 1) == 1);
    CHECK(mm4j_advise((uintptr_t) addr, pages * page, MADV_DONTNEED) == 0);
    CHECK(mm4j_residency((uintptr_t) addr, pages * page, page, NULL) == 0);
    CHECK(((char *) (uintptr_t) addr)[0] == 0);
    free(bits);
    mm4j_unmap((uintptr_t) addr, pages * page);
}

static void test_lock_and_protect(void) {
    int64_t page = mm4j_page_size();
    int64_t addr = mm4j_map(page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(mm4j_lock((uintptr_t) addr, page) == 0);
    CHECK(mm4j_unlock((uintptr_t) addr, page) == 0);
    CHECK(mm4j_protect((uintptr_t) addr, page, PROT_READ) == 0);
    CHECK(mm4j_protect((uintptr_t) addr + 1, page, PROT_READ) == -EINVAL);
    mm4j_unmap((uintptr_t) addr, page);
}

/* Growable regions: a PROT_NONE reservation, the file mapped into its front and grown with
 * MAP_FIXED at the same address; mm4j_allocate extends only, never shortens. */
static void test_reserve_and_grow(void) {
    char path[512];
    int64_t page = mm4j_page_size();
    int fd = make_file("growable", page, path);
    int64_t base = mm4j_reserve(1024 * page);
    CHECK(base > 0);
    CHECK(mm4j_map_fixed((uintptr_t) base, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == 0);
    volatile char *p = (volatile char *) (uintptr_t) base;
    p[0] = 'a';
    CHECK(mm4j_flock(fd, 1) == 0);
    CHECK(mm4j_allocate(fd, page, 3 * page) == 0);
    CHECK(mm4j_file_size(fd) == 4 * page);
    CHECK(mm4j_allocate(fd, 0, page) == 0);
    CHECK(mm4j_file_size(fd) == 4 * page); /* never shortened */
    CHECK(mm4j_flock(fd, 0) == 0);
    CHECK(mm4j_map_fixed((uintptr_t) base + page, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page) == 0);
    p[4 * page - 1] = 'z';
    CHECK(p[0] == 'a');
    char back = 0;
    CHECK(pread(fd, &back, 1, 4 * page - 1) == 1 && back == 'z');
    /* A failing MAP_FIXED (a descriptor that is not open) leaves the range reserved. */
    CHECK(mm4j_map_fixed((uintptr_t) base + 4 * page, page, PROT_READ, MAP_SHARED, 987654, 0) == -EBADF);
    CHECK(mm4j_can_allocate() == 1);
    CHECK(mm4j_flock(987654, 1) == -EBADF);
    CHECK(mm4j_unmap((uintptr_t) base, 1024 * page) == 0);
    mm4j_close(fd);
}

static void test_quarantine_never_faults(void) {
    char path[512];
    int64_t page = mm4j_page_size();
    int fd = make_file("quarantine", 2 * page, path);
    int64_t addr = mm4j_map(2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(addr > 0);
    volatile char *p = (volatile char *) (uintptr_t) addr;
    p[0] = 'x';
    int64_t q = mm4j_quarantine_fd();
#ifdef __linux__
    CHECK(q >= 0);
#else
    CHECK(q == -ENOSYS);
#endif
    CHECK(mm4j_quarantine((uintptr_t) addr, 2 * page, (int) q, 1) == 0);
    /* The file is released: truncating it cannot affect the range any more; stale reads see
     * zeros, stale writes stay in the quarantine and never reach the file. */
    mm4j_close(fd);
    CHECK(truncate(path, 0) == 0);
    CHECK(p[0] == 0 && p[page + 5] == 0);
    p[7] = 'y';
    CHECK(p[7] == 'y');
    CHECK(mm4j_residency((uintptr_t) addr, 2 * page, page, NULL) >= 1);
    CHECK(mm4j_release((uintptr_t) addr, 2 * page, (int) q) == 0);
    /* Released: the address range is gone and the quarantine holds nothing there. */
    CHECK(mm4j_residency((uintptr_t) addr, page, page, NULL) == -ENOMEM);
#ifdef __linux__
    CHECK(lseek((int) q, (off_t) addr, SEEK_DATA) < 0 || lseek((int) q, (off_t) addr, SEEK_DATA) >= addr + 2 * page);
    mm4j_close((int) q);
#endif
    struct stat st;
    CHECK(stat(path, &st) == 0 && st.st_size == 0);
}

/* A range nothing could write gets a cover that can only be read: stale reads see zeros,
 * the truncated file cannot fault them, and the cover takes no quarantine pages. */
static void test_read_only_quarantine(void) {
    char path[512];
    int64_t page = mm4j_page_size();
    int fd = make_file("quarantine-ro", 2 * page, path);
    CHECK(pwrite(fd, "abc", 3, 0) == 3);
    int64_t addr = mm4j_map(2 * page, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(addr > 0);
    volatile char *p = (volatile char *) (uintptr_t) addr;
    CHECK(p[0] == 'a');
    int64_t q = mm4j_quarantine_fd();
    CHECK(mm4j_quarantine((uintptr_t) addr, 2 * page, (int) q, 0) == 0);
    mm4j_close(fd);
    CHECK(truncate(path, 0) == 0);
    CHECK(p[0] == 0 && p[page + 5] == 0);
    /* Still mapped: the zero page read above is resident. */
    CHECK(mm4j_residency((uintptr_t) addr, 2 * page, page, NULL) >= 1);
#ifdef __linux__
    CHECK(q >= 0);
    CHECK(lseek((int) q, (off_t) addr, SEEK_DATA) < 0 || lseek((int) q, (off_t) addr, SEEK_DATA) >= addr + 2 * page);
#endif
    CHECK(mm4j_release((uintptr_t) addr, 2 * page, (int) q) == 0);
    CHECK(mm4j_residency((uintptr_t) addr, page, page, NULL) == -ENOMEM);
    if (q >= 0) mm4j_close((int) q);
    unlink(path);
}

static void test_shared_memory(void) {
    char name[64];
    snprintf(name, sizeof name, "/mmap4j-test-%d", (int) getpid());
    int64_t page = mm4j_page_size();
    int64_t fd = mm4j_shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0);
    CHECK(mm4j_truncate((int) fd, page) == 0);
    CHECK(mm4j_shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600) == -EEXIST);
    CHECK(mm4j_shm_unlink(name) == 0);
    CHECK(mm4j_shm_open(name, O_RDWR, 0600) == -ENOENT);
    CHECK(mm4j_shm_unlink(name) == -ENOENT);
    mm4j_close((int) fd);
#ifdef __linux__
    /* Anyone can put a FIFO in /dev/shm: opening it by name must not wait for a writer. */
    char fifo[128];
    snprintf(fifo, sizeof fifo, "/dev/shm%s", name);
    if (mkfifo(fifo, 0600) == 0) {
        int64_t f = mm4j_shm_open(name, O_RDONLY, 0);
        CHECK(f >= 0);
        CHECK(type_of(f) == CODE(TYPE_FIFO));
        mm4j_close((int) f);
        unlink(fifo);
    }
#endif
}

static void test_fadvise(void) {
    char path[512];
    int fd = make_file("fadvise", 4096, path);
#ifdef __linux__
    CHECK(mm4j_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
    CHECK(mm4j_fadvise(987654, 0, 0, POSIX_FADV_DONTNEED) == -EBADF);
#else
    CHECK(mm4j_fadvise(fd, 0, 0, 0) == -ENOSYS);
#endif
    mm4j_close(fd);
}

static void test_codes_match_headers(void) {
    CHECK(mm4j_prot_of(CODE(PROT_READ) | CODE(PROT_WRITE)) == (PROT_READ | PROT_WRITE));
    CHECK(mm4j_prot_of(0) == PROT_NONE);
    CHECK(mm4j_map_flags_of(CODE(SHARE_SHARED), 0) == MAP_SHARED);
    CHECK(mm4j_map_flags_of(CODE(SHARE_PRIVATE) | CODE(SHARE_ANONYMOUS), 0) == (MAP_PRIVATE | MAP_ANONYMOUS));
    CHECK(mm4j_advice_of(CODE(ADV_DONTNEED)) == MADV_DONTNEED);
    CHECK(mm4j_advice_of(CODE(ADV_COUNT)) == MM4J_UNSUPPORTED);
    CHECK(mm4j_sync_flags_of(CODE(SYNC_ASYNC) | CODE(SYNC_INVALIDATE)) == (MS_ASYNC | MS_INVALIDATE));
    CHECK(mm4j_open_flags_of(CODE(OPEN_READ_WRITE) | CODE(OPEN_CREATE)) == (O_RDWR | O_CREAT));
    CHECK(mm4j_open_flags_of(CODE(OPEN_READ_ONLY) | CODE(OPEN_NONBLOCK) | CODE(OPEN_NOCTTY))
          == (O_RDONLY | O_NONBLOCK | O_NOCTTY));
    CHECK(strcmp(mm4j_errno_name(EACCES), "EACCES") == 0);
    CHECK(strcmp(mm4j_errno_name(ENOMEM), "ENOMEM") == 0);
    CHECK(mm4j_errno_limit() > EACCES);
    CHECK(mm4j_errno_name(0) == NULL);
    /* Basic advice exists everywhere. */
    CHECK((mm4j_supported_advice() & 0x1f) == 0x1f);
}

/* A file of pages written through write(2): all of them in the page cache, dirty until synced. */
static int written_file(const char *name, int64_t pages, int64_t page) {
    char path[512];
    int fd = make_file(name, 0, path);
    char *block = malloc((size_t) page);
    memset(block, 'x', (size_t) page);
    for (int64_t i = 0; i < pages; i++) {
        if (write(fd, block, (size_t) page) != page) { perror("write"); exit(2); }
    }
    free(block);
    CHECK(mm4j_file_size(fd) == pages * page);
    return fd;
}

static void evict(int fd) {
    CHECK(mm4j_datasync(fd) == 0);
#ifdef __linux__
    CHECK(mm4j_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
#endif
}

static void test_cachestat_probe(void) {
    int64_t has = mm4j_has_cachestat();
    CHECK(has == 0 || has == 1);
#ifndef __linux__
    CHECK(has == 0);
#endif
    printf("cachestat: %s\n", has ? "yes" : "no (mincore only)");
}

static void test_dirty_then_synced(void) {
    int64_t page = mm4j_page_size();
    int fd = written_file("dirty", 16, page);
    uint64_t cs[MM4J_CS_COUNT];
    if (mm4j_has_cachestat()) {
        CHECK(mm4j_cachestat(fd, 0, 16 * page, cs) == 0);
        CHECK(cs[MM4J_CS_CACHED] == 16);
        CHECK(cs[MM4J_CS_DIRTY] > 0);
        CHECK(mm4j_datasync(fd) == 0);
        CHECK(mm4j_cachestat(fd, 0, 16 * page, cs) == 0);
        CHECK(cs[MM4J_CS_DIRTY] == 0);
        CHECK(cs[MM4J_CS_WRITEBACK] == 0);
    } else {
        CHECK(mm4j_cachestat(fd, 0, 16 * page, cs) == -ENOSYS);
    }
    CHECK(mm4j_mincore_file(fd, 0, 16 * page, page) == 16);
    mm4j_close(fd);
}

static void test_both_paths_agree(void) {
    int64_t page = mm4j_page_size();
    int fd = written_file("agree", 64, page);
    evict(fd);
#ifdef __linux__
    /* No read-ahead: pages it reads asynchronously could arrive between the two counts below
     * (CI saw cachestat count more than mincore had just before). */
    CHECK(mm4j_fadvise(fd, 0, 0, POSIX_FADV_RANDOM) == 0);
#endif
    char buf[1];
    for (int64_t i = 8; i < 24; i++) {
        CHECK(pread(fd, buf, 1, i * page) == 1); /* pages 8..23 */
    }
    uint64_t cs[MM4J_CS_COUNT];
    int64_t whole = mm4j_mincore_file(fd, 0, 64 * page, page);
    int64_t part = mm4j_mincore_file(fd, 8 * page + 1, 2 * page, page); /* pages 8, 9 and 10 */
    CHECK(whole >= 16 && whole <= 64);
    CHECK(part == 3);
    CHECK(mm4j_mincore_file(fd, 100 * page, page, page) >= 0); /* past the end: mapped, never touched */
    if (mm4j_has_cachestat()) {
        CHECK(mm4j_cachestat(fd, 0, 64 * page, cs) == 0);
        CHECK((int64_t) cs[MM4J_CS_CACHED] == whole);
        CHECK(mm4j_cachestat(fd, 0, 0, cs) == 0); /* 0: to the end of the file */
        CHECK((int64_t) cs[MM4J_CS_CACHED] == whole);
        CHECK(mm4j_cachestat(fd, 8 * page + 1, 2 * page, cs) == 0);
        CHECK(cs[MM4J_CS_CACHED] == 3);
    }
    mm4j_close(fd);
}

static void test_page_cache_errors(void) {
    int64_t page = mm4j_page_size();
    uint64_t cs[MM4J_CS_COUNT];
    CHECK(mm4j_mincore_file(987654, 0, page, page) == -EBADF);
    CHECK(mm4j_cachestat(987654, 0, page, cs) == (mm4j_has_cachestat() ? -EBADF : -ENOSYS));
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/mmap4j-ctest-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(dir) == NULL) { perror("mkdtemp"); return 2; }
    test_page_size();
    test_shared_write_reaches_file();
    test_private_write_stays_private();
    test_errno_comes_back();
    test_isatty();
    test_seek_data();
    test_file_types_without_blocking();
    test_datasync();
    test_residency_counts_pages();
    test_lock_and_protect();
    test_quarantine_never_faults();
    test_read_only_quarantine();
    test_reserve_and_grow();
    test_shared_memory();
    test_fadvise();
    test_codes_match_headers();
    test_cachestat_probe();
    test_dirty_then_synced();
    test_both_paths_agree();
    test_page_cache_errors();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
