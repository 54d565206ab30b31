/* Wait and wake on a shared word: see mmap4j_futex.h. No JNI here. */
#define _GNU_SOURCE 1
#include "mmap4j_futex.h"

#include <errno.h>
#include <time.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#ifdef __APPLE__
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#endif

#define NANOS_PER_SECOND INT64_C(1000000000)
/* Polling fallback: checks before the first nap, and the nap bounds. */
#define POLL_SPINS 1000
#define POLL_FIRST_NAP_NS INT64_C(1000)
#define POLL_LONGEST_NAP_NS INT64_C(1000000)

static uint32_t load(const uint32_t *word) {
    return __atomic_load_n(word, __ATOMIC_SEQ_CST);
}

static int64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * NANOS_PER_SECOND + now.tv_nsec;
}

int64_t mm4j_futex_poll_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns) {
    if (load(word) != expected) return -EAGAIN;
    for (int i = 0; i < POLL_SPINS; i++) {
        if (load(word) != expected) return 0;
    }
    int64_t start = monotonic_ns();
    int64_t nap = POLL_FIRST_NAP_NS;
    for (;;) {
        if (load(word) != expected) return 0;
        int64_t left = timeout_ns < 0 ? nap : timeout_ns - (monotonic_ns() - start);
        if (left <= 0) return -ETIMEDOUT;
        int64_t ns = left < nap ? left : nap;
        struct timespec ts = {(time_t) (ns / NANOS_PER_SECOND), (long) (ns % NANOS_PER_SECOND)};
        /* A signal only shortens a nap: the loop checks the word and the time again. */
        nanosleep(&ts, NULL);
        if (nap < POLL_LONGEST_NAP_NS) nap *= 2;
    }
}

#if defined(__linux__)

int64_t mm4j_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns) {
    struct timespec ts = {(time_t) (timeout_ns / NANOS_PER_SECOND), (long) (timeout_ns % NANOS_PER_SECOND)};
    /* FUTEX_WAIT's timeout is relative (CLOCK_MONOTONIC). No FUTEX_PRIVATE_FLAG: see the header. */
    long rc = syscall(SYS_futex, word, FUTEX_WAIT, expected, timeout_ns < 0 ? NULL : &ts, NULL, 0);
    if (rc != 0) return -(int64_t) errno;
    return 0;
}

int64_t mm4j_futex_wake(uint32_t *word, int32_t count) {
    long rc = syscall(SYS_futex, word, FUTEX_WAKE, count, NULL, NULL, 0);
    if (rc < 0) return -(int64_t) errno;
    return rc;
}

#elif defined(__APPLE__)

/* <os/os_sync_wait_on_address.h> (macOS 14.4 SDK), declared here: the library
 * is built against older SDKs and must load on macOS 11, so the functions are
 * looked up at run time. */
#define OS_SYNC_WAIT_ON_ADDRESS_SHARED 1u
#define OS_SYNC_WAKE_BY_ADDRESS_SHARED 1u
#define OS_CLOCK_MACH_ABSOLUTE_TIME 32u
typedef int (*wait_fn)(void *addr, uint64_t value, size_t size, uint32_t flags, uint32_t clockid,
                       uint64_t timeout_ns);
typedef int (*wait_forever_fn)(void *addr, uint64_t value, size_t size, uint32_t flags);
typedef int (*wake_fn)(void *addr, size_t size, uint32_t flags);

static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;
static wait_fn os_wait;
static wait_forever_fn os_wait_forever;
static wake_fn os_wake_any;
static wake_fn os_wake_all;

static void resolve(void) {
    wait_fn w = (wait_fn) dlsym(RTLD_DEFAULT, "os_sync_wait_on_address_with_timeout");
    wait_forever_fn f = (wait_forever_fn) dlsym(RTLD_DEFAULT, "os_sync_wait_on_address");
    wake_fn any = (wake_fn) dlsym(RTLD_DEFAULT, "os_sync_wake_by_address_any");
    wake_fn all = (wake_fn) dlsym(RTLD_DEFAULT, "os_sync_wake_by_address_all");
    /* All or none: a waiter and a waker must use the same mechanism. */
    if (w != NULL && f != NULL && any != NULL && all != NULL) {
        os_wait = w;
        os_wait_forever = f;
        os_wake_any = any;
        os_wake_all = all;
    }
}

int64_t mm4j_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns) {
    pthread_once(&resolve_once, resolve);
    if (os_wait == NULL) return mm4j_futex_poll_wait(word, expected, timeout_ns);
    /* os_sync returns success when the word differs: tell that case apart first. */
    if (load(word) != expected) return -EAGAIN;
    if (timeout_ns == 0) return -ETIMEDOUT;
    int rc = timeout_ns < 0
        ? os_wait_forever(word, expected, sizeof *word, OS_SYNC_WAIT_ON_ADDRESS_SHARED)
        : os_wait(word, expected, sizeof *word, OS_SYNC_WAIT_ON_ADDRESS_SHARED, OS_CLOCK_MACH_ABSOLUTE_TIME,
                  (uint64_t) timeout_ns);
    if (rc < 0) return -(int64_t) errno;
    return 0;
}

int64_t mm4j_futex_wake(uint32_t *word, int32_t count) {
    pthread_once(&resolve_once, resolve);
    if (os_wake_any == NULL) return 0;
    if (count == INT32_MAX) {
        if (os_wake_all(word, sizeof *word, OS_SYNC_WAKE_BY_ADDRESS_SHARED) == 0) return 1;
        return errno == ENOENT ? 0 : -(int64_t) errno;
    }
    int32_t woken = 0;
    while (woken < count) {
        if (os_wake_any(word, sizeof *word, OS_SYNC_WAKE_BY_ADDRESS_SHARED) != 0) {
            /* ENOENT: nobody (left) waiting. */
            if (errno == ENOENT) break;
            return -(int64_t) errno;
        }
        woken++;
    }
    return woken;
}

#else

int64_t mm4j_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns) {
    return mm4j_futex_poll_wait(word, expected, timeout_ns);
}

int64_t mm4j_futex_wake(uint32_t *word, int32_t count) {
    (void) word; (void) count;
    return 0;
}

#endif
