/*
 * Tests of the wait/wake layer (mmap4j_futex.c) without a JVM: timeouts, a
 * word that already changed, a wake with nobody waiting, a waiter in a forked
 * process woken through its own mapping of the same file, and the polling
 * fallback of older macOS (compiled everywhere). Run by ctest.
 */
#define _GNU_SOURCE 1
#include "mmap4j_futex.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond) do { \
    if (cond) { passed++; } \
    else { failed++; fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, __func__, #cond); } \
} while (0)

#define MS INT64_C(1000000)

/* Word offsets in the shared page of the forked tests. */
#define WORD 0
#define READY 1

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void pause_ms(int ms) {
    struct timespec ts = {ms / 1000, (long) (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A page of a new temporary file, mapped shared; the path stays for a second mapping. */
static uint32_t *map_file(char *path) {
    strcpy(path, "/tmp/mmap4j-futex-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, 4096) != 0) { perror("temporary file"); exit(2); }
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) { perror("mmap"); exit(2); }
    return p;
}

static uint32_t *map_again(const char *path) {
    FILE *f = fopen(path, "r+");
    if (f == NULL) _exit(3);
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fileno(f), 0);
    fclose(f);
    if (p == MAP_FAILED) _exit(3);
    return p;
}

typedef int64_t (*wait_call)(uint32_t *word, uint32_t expected, int64_t timeout_ns);

static void check_timeout_and_changed(wait_call wait) {
    uint32_t word = 5;
    int64_t start = now_ns();
    CHECK(wait(&word, 5, 30 * MS) == -ETIMEDOUT);
    int64_t took = now_ns() - start;
    CHECK(took >= 29 * MS);
    CHECK(took < 3000 * MS);
    CHECK(wait(&word, 5, 0) == -ETIMEDOUT);
    start = now_ns();
    CHECK(wait(&word, 6, 1000 * MS) == -EAGAIN);
    CHECK(now_ns() - start < 500 * MS);
}

static void test_wait_times_out_or_sees_a_change(void) {
    check_timeout_and_changed(mm4j_futex_wait);
}

static void test_poll_fallback_times_out_or_sees_a_change(void) {
    check_timeout_and_changed(mm4j_futex_poll_wait);
}

static void test_wake_without_waiter_is_harmless(void) {
    uint32_t word = 0;
    CHECK(mm4j_futex_wake(&word, 1) == 0);
    CHECK(mm4j_futex_wake(&word, INT32_MAX) == 0);
    CHECK(word == 0);
}

/* A child maps the file itself (its own address), says it is ready, and waits with the
 * given call; its exit status is 0 when the wait returned 0 (woken) and the word is as expected. */
static pid_t start_waiter(const char *path, wait_call wait, uint32_t expect_after) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    uint32_t *page = map_again(path);
    __atomic_store_n(&page[READY], 1, __ATOMIC_SEQ_CST);
    int64_t rc = wait(&page[WORD], 0, 20000 * MS);
    _exit(rc == 0 && __atomic_load_n(&page[WORD], __ATOMIC_SEQ_CST) == expect_after ? 0 : 10 + (int) -rc);
}

static int exit_status(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

static void wait_ready(uint32_t *page) {
    for (int i = 0; i < 20000 && __atomic_load_n(&page[READY], __ATOMIC_SEQ_CST) == 0; i++) pause_ms(1);
}

static void test_wake_reaches_a_forked_waiter(void) {
    char path[64];
    uint32_t *page = map_file(path);
    pid_t child = start_waiter(path, mm4j_futex_wait, 0);
    wait_ready(page);
    /* The word stays 0, so only a wake can end the child's wait: wake until one was woken. */
    int64_t woken = 0;
    for (int i = 0; i < 2000 && woken == 0; i++) {
        pause_ms(5);
        woken = mm4j_futex_wake(&page[WORD], 1);
    }
    CHECK(woken == 1);
    CHECK(exit_status(child) == 0);
    munmap(page, 4096);
    unlink(path);
}

static void test_poll_fallback_sees_a_change_from_another_process(void) {
    char path[64];
    uint32_t *page = map_file(path);
    pid_t child = start_waiter(path, mm4j_futex_poll_wait, 7);
    wait_ready(page);
    pause_ms(30);
    __atomic_store_n(&page[WORD], 7, __ATOMIC_SEQ_CST);
    CHECK(exit_status(child) == 0);
    munmap(page, 4096);
    unlink(path);
}

int main(void) {
    test_wait_times_out_or_sees_a_change();
    test_poll_fallback_times_out_or_sees_a_change();
    test_wake_without_waiter_is_harmless();
    test_wake_reaches_a_forked_waiter();
    test_poll_fallback_sees_a_change_from_another_process();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
