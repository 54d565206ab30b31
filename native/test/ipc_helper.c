/*
 * The C side of the Java IPC tests (java/test/.../IpcTest.java): a second
 * process that uses the same words of a shared file as a JVM does, with C11
 * atomics and mmap4j's own wait/wake layer (mmap4j_futex.c).
 *
 *   ipc_helper add  <file> <count>   fetch_add 1 on the long at byte 0 and the int
 *                                    at byte 64, count times each, once the JVM is
 *                                    ready too (the int at byte 128 counts arrivals)
 *   ipc_helper wake <file> <index>   sets the int at index to 1, wakes all its waiters,
 *                                    prints "woken <n> at <CLOCK_MONOTONIC ns>"
 *   ipc_helper wait <file> <index>   prints "waiting", waits (at most 30 s) while the int
 *                                    at index is 0, prints "woken", "changed" or "timeout"
 *
 * Exit status 0 when the command did its part.
 */
#define _GNU_SOURCE 1
#include "mmap4j_futex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define LONG_COUNTER 0
#define INT_COUNTER 64
#define ARRIVALS 128
#define SIZE 4096
#define SECOND_NS INT64_C(1000000000)

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * SECOND_NS + ts.tv_nsec;
}

static char *map(const char *path) {
    int fd = open(path, O_RDWR);
    if (fd < 0) { perror(path); exit(2); }
    void *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) { perror("mmap"); exit(2); }
    return p;
}

static int add(char *page, long count) {
    uint32_t *arrivals = (uint32_t *) (page + ARRIVALS);
    __atomic_fetch_add(arrivals, 1, __ATOMIC_SEQ_CST);
    int64_t give_up = now_ns() + 60 * SECOND_NS;
    while (__atomic_load_n(arrivals, __ATOMIC_SEQ_CST) < 2) {
        if (now_ns() > give_up) { fprintf(stderr, "the JVM never arrived\n"); return 1; }
    }
    int64_t *l = (int64_t *) (page + LONG_COUNTER);
    int32_t *i = (int32_t *) (page + INT_COUNTER);
    for (long n = 0; n < count; n++) {
        __atomic_fetch_add(l, 1, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(i, 1, __ATOMIC_SEQ_CST);
    }
    return 0;
}

static int wake(char *page, long index) {
    uint32_t *word = (uint32_t *) (page + index);
    __atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
    int64_t at = now_ns();
    int64_t woken = mm4j_futex_wake(word, INT32_MAX);
    printf("woken %lld at %lld\n", (long long) woken, (long long) at);
    return woken < 0 ? 1 : 0;
}

static int wait_while_zero(char *page, long index) {
    uint32_t *word = (uint32_t *) (page + index);
    printf("waiting\n");
    fflush(stdout);
    int64_t rc = mm4j_futex_wait(word, 0, 30 * SECOND_NS);
    const char *said = rc == 0 ? "woken" : rc == -EAGAIN ? "changed" : rc == -ETIMEDOUT ? "timeout" : NULL;
    if (said == NULL) { fprintf(stderr, "wait: %s\n", strerror((int) -rc)); return 1; }
    printf("%s\n", said);
    return rc == -ETIMEDOUT ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: ipc_helper add|wake|wait <file> <count|index>\n");
        return 2;
    }
    char *page = map(argv[2]);
    long n = strtol(argv[3], NULL, 10);
    if (strcmp(argv[1], "add") == 0) return add(page, n);
    if (strcmp(argv[1], "wake") == 0) return wake(page, n);
    if (strcmp(argv[1], "wait") == 0) return wait_while_zero(page, n);
    fprintf(stderr, "unknown command %s\n", argv[1]);
    return 2;
}
