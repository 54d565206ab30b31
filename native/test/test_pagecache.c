/*
 * Tests of the page-cache queries (mmap4j_pagecache.c) without a JVM: cachestat and the
 * mincore path agree on cached pages of real files (written, evicted, partly read back),
 * dirty pages show before fdatasync and not after, an empty range is never asked, and
 * bad descriptors and offsets come back as -errno. Run by ctest; where the kernel has no
 * cachestat (macOS, Linux < 6.5) only the mincore path is checked.
 */
#define _GNU_SOURCE 1
#include "mmap4j_os.h"
#include "mmap4j_pagecache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;
static char dir[256];

#define CHECK(cond) do { \
    if (cond) { passed++; } \
    else { failed++; fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, __func__, #cond); } \
} while (0)

/* A file of pages written through write(2): all of them in the page cache, dirty until synced. */
static int written_file(const char *name, int64_t pages, int64_t page) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int64_t fd = mm4j_open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { fprintf(stderr, "open %s: %s\n", path, strerror((int) -fd)); exit(2); }
    char *block = malloc((size_t) page);
    memset(block, 'x', (size_t) page);
    for (int64_t i = 0; i < pages; i++) {
        if (write((int) fd, block, (size_t) page) != page) { perror("write"); exit(2); }
    }
    free(block);
    return (int) fd;
}

static void evict(int fd) {
    CHECK(mm4j_datasync(fd) == 0);
#ifdef __linux__
    CHECK(mm4j_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
#endif
}

static void test_probe(void) {
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
    char buf[1];
    for (int64_t i = 8; i < 24; i++) {
        CHECK(pread(fd, buf, 1, i * page) == 1); /* pages 8..23, and whatever read-ahead adds */
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

static void test_errors(void) {
    int64_t page = mm4j_page_size();
    uint64_t cs[MM4J_CS_COUNT];
    CHECK(mm4j_mincore_file(987654, 0, page, page) == -EBADF);
    CHECK(mm4j_cachestat(987654, 0, page, cs) == (mm4j_has_cachestat() ? -EBADF : -ENOSYS));
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/mmap4j-ctest-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(dir) == NULL) { perror("mkdtemp"); return 2; }
    test_probe();
    test_dirty_then_synced();
    test_both_paths_agree();
    test_errors();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
