/*
 * The C baseline of mmap4j's benchmarks (java/bench, issue 7): the same work per
 * operation as each JMH case, on the same data file, in the same page-cache
 * state, timed with clock_gettime(CLOCK_MONOTONIC) in iterations like JMH's
 * (warm-up iterations, then measured ones of the same length), written as CSV
 * in the columns of JMH's -rf csv so one report reads both.
 *
 *   mmap4j_baseline <file> <out.csv> <warmup its> <measured its> <ms per it> <size,size,...>
 *   mmap4j_baseline --pingpong <out.csv> <warmup its> <measured its> <ms per it>   (case 7 only)
 *
 * Cases (Java counterpart in parentheses):
 *   MapCycle.c     mmap(PROT_READ, MAP_SHARED) of <size> bytes at offset 0 of an open
 *                  descriptor, then munmap                        (MapCycle, Ffm.mapCycle*)
 *   CycleJvm.c     the same for 4 KiB with a read of its first byte  (CycleJvm)
 *   CycleJvm.cSyscalls  mmap4j's system calls for that cycle, without a JVM: fstat, mmap, read,
 *                  the close's read-only cover, covers unmapped in runs  (CycleJvm, its floor)
 *   SeqRead.c      sum of every 64-bit word of the whole file       (SeqRead, Ffm.seqRead)
 *   RandomRead.c   4096 reads at xorshift64 offsets, same seed      (RandomRead, Ffm.randomRead)
 *   Residency.c    mincore of the whole mapping, count resident     (Residency)
 *   CallOverhead.cAdvise / .cSync  madvise(MADV_NORMAL) / msync(MS_ASYNC) on one page
 *   PingPongSpin.c / PingPongYield.c / PingPongFutex.c  one round trip between this process and a
 *                  forked one over one shared cache line: spinning, spinning with sched_yield, or with
 *                  futex wait and wake (PingPong)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

#define SEED UINT64_C(0x2545F4914F6CDD1D)
#define RANDOM_BATCH 4096

static const char *file_path;
static int fd = -1;
static size_t file_size;
static long page_size;
static int warmup_its, measured_its;
static int64_t iteration_ns;
static FILE *csv;
static volatile uint64_t sink;

static void die(const char *what) {
    fprintf(stderr, "baseline: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Reads the whole file through (page cache), then checks every page is resident. */
static void load(void) {
    static char chunk[1 << 20];
    off_t at = 0;
    ssize_t n;
    while ((n = pread(fd, chunk, sizeof chunk, at)) > 0) at += n;
    if (n < 0) die("pread");
    void *p = mmap(NULL, file_size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    size_t pages = (file_size + (size_t) page_size - 1) / (size_t) page_size;
    unsigned char *vec = malloc(pages);
    if (vec == NULL || mincore(p, file_size, vec) != 0) die("mincore");
    size_t resident = 0;
    for (size_t i = 0; i < pages; i++) resident += vec[i] & 1;
    if (resident < pages - pages / 100)
        fprintf(stderr, "baseline: WARNING: only %zu of %zu pages of %s stay in the page cache\n", resident, pages,
                file_path);
    free(vec);
    munmap(p, file_size);
}

/* Two-sided Student t quantile for 99.9% (JMH's error column), by degrees of freedom. */
static double t999(int df) {
    static const double t[] = {0, 636.62, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587,
                               4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850};
    return df < 1 ? NAN : df <= 20 ? t[df] : 3.291 + 2.0 / df;
}

typedef uint64_t (*op_fn)(void *ctx);

/* Runs op in JMH-like iterations; ops_per_call as JMH's OperationsPerInvocation. */
static void measure(const char *name, const char *size_param, op_fn op, void *ctx, int ops_per_call, int hot) {
    int64_t batch = 1;
    /* Batch calls between clock reads so that reading the clock costs < 1%. */
    for (;;) {
        int64_t t0 = now_ns();
        for (int64_t i = 0; i < batch; i++) sink += op(ctx);
        if (now_ns() - t0 >= 200000 || batch >= (INT64_C(1) << 40)) break;
        batch *= 2;
    }
    double *scores = calloc((size_t) measured_its, sizeof *scores);
    if (scores == NULL) die("calloc");
    for (int it = 0; it < warmup_its + measured_its; it++) {
        if (hot) load(); /* as Fixture.Hot: this machine reclaims idle page cache within seconds */
        int64_t start = now_ns(), end, calls = 0;
        do {
            for (int64_t i = 0; i < batch; i++) sink += op(ctx);
            calls += batch;
            end = now_ns();
        } while (end - start < iteration_ns);
        double score = (double) (end - start) / ((double) calls * ops_per_call);
        if (it >= warmup_its) scores[it - warmup_its] = score;
        fprintf(stderr, "baseline: %s%s%s %s %d: %.3f ns/op\n", name, size_param[0] ? " size=" : "", size_param,
                it < warmup_its ? "warmup" : "iteration", it < warmup_its ? it + 1 : it - warmup_its + 1, score);
    }
    double mean = 0, var = 0;
    for (int i = 0; i < measured_its; i++) mean += scores[i];
    mean /= measured_its;
    for (int i = 0; i < measured_its; i++) var += (scores[i] - mean) * (scores[i] - mean);
    double error = measured_its > 1 ? t999(measured_its - 1) * sqrt(var / (measured_its - 1)) / sqrt(measured_its)
                                    : NAN;
    fprintf(csv, "\"io.github.mmap4j.bench.%s\",\"avgt\",1,%d,%.6f,%.6f,\"ns/op\",%s\n", name, measured_its, mean,
            error, size_param);
    fflush(csv);
    free(scores);
}

/* ---- case 1: map + unmap ---- */
static uint64_t map_cycle(void *ctx) {
    size_t size = *(size_t *) ctx;
    void *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    if (munmap(p, size) != 0) die("munmap");
    return (uint64_t) (uintptr_t) p;
}

/* ---- case 1b: map + read one byte + unmap, as CycleJvm's children do ---- */
static uint64_t map_read_cycle(void *ctx) {
    size_t size = *(size_t *) ctx;
    const volatile unsigned char *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    uint64_t byte = p[0];
    if (munmap((void *) p, size) != 0) die("munmap");
    return byte;
}

/* ---- case 1b, mmap4j's own system calls, as a read-only cycle makes them: fstat (the size
 * check), mmap, read, the close's cover (MAP_FIXED of private anonymous memory that can only be
 * read), and, as the reclaimer does once a collection found the views gone, one munmap per run
 * of neighbouring covers (here every 4,096 cycles): the floor of mmap4j's cycle before any JVM. */
static struct covers {
    uintptr_t from, to;
    int count;
} covers;

static void unmap_covers(struct covers *c) {
    if (c->count > 0 && munmap((void *) c->from, c->to - c->from) != 0) die("munmap");
    c->count = 0;
}

static uint64_t syscalls_cycle(void *ctx) {
    size_t size = *(size_t *) ctx;
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t) st.st_size < size) die("fstat");
    const volatile unsigned char *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    uint64_t byte = p[0];
    uintptr_t at = (uintptr_t) p;
    if (mmap((void *) at, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0)
        == MAP_FAILED) die("mmap(MAP_FIXED)");
    if (covers.count > 0 && at + size != covers.from && at != covers.to) unmap_covers(&covers);
    if (covers.count == 0) {
        covers.from = at;
        covers.to = at + size;
    } else if (at < covers.from) {
        covers.from = at;
    } else {
        covers.to = at + size;
    }
    if (++covers.count == 4096) unmap_covers(&covers);
    return byte;
}

/* ---- cases 2-4 work on one mapping of the whole file ---- */
struct whole {
    const uint64_t *words;
    size_t count;
    uint64_t x;
    unsigned char *vec;
};

static uint64_t seq_read(void *ctx) {
    struct whole *w = ctx;
    uint64_t sum = 0;
    for (size_t i = 0; i < w->count; i++) sum += w->words[i];
    return sum;
}

static uint64_t random_read(void *ctx) {
    struct whole *w = ctx;
    uint64_t mask = (uint64_t) (w->count - 1);
    uint64_t x = w->x, sum = 0;
    for (int i = 0; i < RANDOM_BATCH; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* Java masks the byte offset with (size-1) & ~7; the same word index: */
        sum += w->words[(x & (mask << 3)) >> 3];
    }
    w->x = x;
    return sum;
}

static uint64_t residency(void *ctx) {
    struct whole *w = ctx;
    size_t pages = (file_size + (size_t) page_size - 1) / (size_t) page_size;
    if (mincore((void *) w->words, file_size, w->vec) != 0) die("mincore");
    uint64_t resident = 0;
    for (size_t i = 0; i < pages; i++) resident += w->vec[i] & 1;
    return resident;
}

/* ---- case 5: one page ---- */
static uint64_t advise_normal(void *ctx) {
    if (madvise(ctx, (size_t) page_size, MADV_NORMAL) != 0) die("madvise");
    return 0;
}

static uint64_t sync_async(void *ctx) {
    if (msync(ctx, (size_t) page_size, MS_ASYNC) != 0) die("msync");
    return 0;
}

/* ---- case 7: ping-pong between two processes (PingPong.java runs the same protocol) ----
 * The word starts at 0; the pinger writes last + 1 and waits for another value; the ponger
 * waits for a value other than the one it wrote last and answers it + 1; PING_STOP ends it.
 * Release stores, acquire loads. A waiter spins (SPIN), spins calling sched_yield (YIELD, for a
 * machine with fewer free cores than spinners), or (FUTEX) sleeps in FUTEX_WAIT while the word
 * holds what was read, every store being followed by FUTEX_WAKE(1) (shared, not private). */
#define PING_STOP UINT32_MAX

enum ping_wait { SPIN, YIELD, FUTEX };

struct pingpong {
    uint32_t *word;
    uint32_t last;
    enum ping_wait how;
};

static void publish(uint32_t *word, uint32_t value, enum ping_wait how) {
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
#ifdef __linux__
    if (how == FUTEX) syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
#endif
}

static uint32_t wait_other_than(uint32_t *word, uint32_t last, enum ping_wait how) {
    uint32_t v;
    while ((v = __atomic_load_n(word, __ATOMIC_ACQUIRE)) == last) {
        if (how == YIELD) sched_yield();
#ifdef __linux__
        if (how == FUTEX) syscall(SYS_futex, word, FUTEX_WAIT, last, NULL, NULL, 0);
#endif
    }
    return v;
}

static uint64_t round_trip(void *ctx) {
    struct pingpong *pp = ctx;
    uint32_t ping = pp->last + 1;
    publish(pp->word, ping, pp->how);
    pp->last = wait_other_than(pp->word, ping, pp->how);
    return pp->last;
}

static void ping_pong(const char *name, enum ping_wait how) {
    uint32_t *word = mmap(NULL, (size_t) page_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (word == MAP_FAILED) die("mmap");
    pid_t ponger = fork();
    if (ponger < 0) die("fork");
    if (ponger == 0) {
        uint32_t last = 0, v;
        while ((v = wait_other_than(word, last, how)) != PING_STOP) {
            last = v + 1;
            publish(word, last, how);
        }
        _exit(0);
    }
    struct pingpong pp = {word, 0, how};
    measure(name, "", round_trip, &pp, 1, 0);
    publish(word, PING_STOP, how);
    if (waitpid(ponger, NULL, 0) != ponger) die("waitpid");
    munmap(word, (size_t) page_size);
}

/* Case 7: spinning, yielding, and (Linux) futex wait/wake. */
static void ping_pongs(void) {
    ping_pong("PingPongSpin.c", SPIN);
    ping_pong("PingPongYield.c", YIELD);
#ifdef __linux__
    ping_pong("PingPongFutex.c", FUTEX);
#endif
}

/* The arguments both modes share (argv[2] the CSV, argv[3..5] the iterations): the page size,
 * the iteration counts and length, and the CSV opened with its header. */
static int start(char **argv) {
    warmup_its = atoi(argv[3]);
    measured_its = atoi(argv[4]);
    iteration_ns = (int64_t) atoll(argv[5]) * 1000000;
    page_size = sysconf(_SC_PAGESIZE);
    if (measured_its < 1 || iteration_ns <= 0) {
        fprintf(stderr, "baseline: need at least one measured iteration of positive length\n");
        return -1;
    }
    csv = fopen(argv[2], "w");
    if (csv == NULL) die(argv[2]);
    fprintf(csv, "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%%)\",\"Unit\","
                 "\"Param: size\"\n");
    return 0;
}

/* Only the ping-pong cases (--pingpong <out.csv> <warmup its> <measured its> <ms per it>): run.sh
 * runs them just before and just after each JDK's PingPong, because a round trip between two
 * processes is mostly the machine's cross-CPU wake-up, which on a VM drifts by 2x within minutes. */
static int ping_pong_only(char **argv) {
    if (start(argv) != 0) return 2;
    ping_pongs();
    fclose(csv);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 6 && strcmp(argv[1], "--pingpong") == 0) return ping_pong_only(argv);
    if (argc != 7) {
        fprintf(stderr, "usage: %s <file> <out.csv> <warmup its> <measured its> <ms per it> <size,size,...>\n",
                argv[0]);
        return 2;
    }
    file_path = argv[1];
    if (start(argv) != 0) return 2;
    fd = open(file_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(file_path);
    off_t end = lseek(fd, 0, SEEK_END);
    if (end <= 0) die("lseek");
    file_size = (size_t) end;

    char *sizes = strdup(argv[6]);
    for (char *s = strtok(sizes, ","); s != NULL; s = strtok(NULL, ",")) {
        size_t size = (size_t) strtoull(s, NULL, 10);
        load();
        measure("MapCycle.c", s, map_cycle, &size, 1, 0);
    }
    free(sizes);
    size_t one_page = 4096;
    load();
    measure("CycleJvm.c", "4096", map_read_cycle, &one_page, 1, 0);
    load();
    measure("CycleJvm.cSyscalls", "4096", syscalls_cycle, &one_page, 1, 0);
    unmap_covers(&covers); /* the last run, before the cases that follow */

    struct whole w;
    void *p = mmap(NULL, file_size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    w.words = p;
    w.count = file_size / 8;
    /* Locked, as Fixture.pin locks the Java contenders' mappings: a machine with proactive reclaim
     * takes idle pages of the file, and the reload puts them back in the page cache but not in this
     * mapping, whose reads would then measure page faults. */
    if (mlock(p, file_size) != 0)
        fprintf(stderr, "baseline: WARNING: reads run unlocked (mlock: %s; ulimit -l?)\n", strerror(errno));
    w.vec = malloc((file_size + (size_t) page_size - 1) / (size_t) page_size);
    if (w.vec == NULL) die("malloc");
    load();
    measure("SeqRead.c", "", seq_read, &w, 1, 1);
    load();
    w.x = SEED;
    measure("RandomRead.c", "", random_read, &w, RANDOM_BATCH, 1);
    munmap(p, file_size);
    /* Residency asks about a fresh mapping whose pages were never touched, as the Java cases
     * do (mincore then finds each page in the page cache, not through a page-table entry). */
    p = mmap(NULL, file_size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    w.words = p;
    load();
    measure("Residency.c", "", residency, &w, 1, 1);
    munmap(p, file_size);
    free(w.vec);

    load();
    void *page = mmap(NULL, (size_t) page_size, PROT_READ, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) die("mmap");
    measure("CallOverhead.cAdvise", "", advise_normal, page, 1, 0);
    measure("CallOverhead.cSync", "", sync_async, page, 1, 0);
    munmap(page, (size_t) page_size);

    ping_pongs();

    fclose(csv);
    close(fd);
    return 0;
}
