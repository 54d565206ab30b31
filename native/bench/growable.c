/*
 * The C side of the growable-region benchmark (issue 16, java/bench GrowAppend): append
 * <total> bytes to a new file in 64 KiB records, one timed operation per append, the file
 * deleted (untimed) before each, the cases taking turns, written as CSV in the columns of
 * JMH's -rf csv (mean; the minimum goes to stderr).
 *
 *   mmap4j_growable <dir> <out.csv> <warmup ops> <measured ops> <total bytes>
 *
 * Cases:
 *   GrowAppend.c       the reservation trick: mmap(PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE)
 *                      of 4 GiB, then every 16 MiB ftruncate + mmap(MAP_FIXED|MAP_SHARED) of the new
 *                      part right after the old, records memcpy'd in; munmap at the end
 *   GrowAppend.cPopulate  the same with MAP_POPULATE on each new part (Linux)
 *   GrowAppend.cRemap  every 16 MiB munmap the whole mapping, ftruncate, mmap the whole file again
 *   GrowAppend.cMremap (Linux) every 16 MiB ftruncate, then mremap(MREMAP_MAYMOVE) the mapping to the
 *                      new length: the kernel grows it in place when the addresses after it are free
 *   GrowAppend.cWrite  write(2) of each record
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

#define RECORD (64 << 10)
#define STEP ((size_t) 16 << 20)
#define RESERVE ((size_t) 4 << 30)

static char path[4096];
static int64_t total;
static unsigned char record[RECORD];

static void die(const char *what) {
    fprintf(stderr, "growable: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int fresh(void) {
    if (unlink(path) != 0 && errno != ENOENT) die("unlink");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) die("open");
    return fd;
}

static void reserve_and_grow(int fd, int populate) {
    char *base = mmap(NULL, RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) die("mmap(PROT_NONE)");
    size_t mapped = 0;
    for (int64_t end = 0; end < total; end += RECORD) {
        if ((size_t) end + RECORD > mapped) {
            if (ftruncate(fd, (off_t) (mapped + STEP)) != 0) die("ftruncate");
            if (mmap(base + mapped, STEP, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | populate, fd,
                     (off_t) mapped) == MAP_FAILED) die("mmap(MAP_FIXED)");
            mapped += STEP;
        }
        memcpy(base + end, record, RECORD);
    }
    if (munmap(base, RESERVE) != 0) die("munmap");
}

static void reservation(int fd) {
    reserve_and_grow(fd, 0);
}

#ifdef MAP_POPULATE
/* MAP_POPULATE on each new part: its pages are faulted in by the mmap call, in the kernel. */
static void reservation_populate(int fd) {
    reserve_and_grow(fd, MAP_POPULATE);
}
#endif

static void remap(int fd) {
    char *map = NULL;
    size_t length = 0;
    for (int64_t end = 0; end < total; end += RECORD) {
        if ((size_t) end + RECORD > length) {
            if (map != NULL && munmap(map, length) != 0) die("munmap");
            length += STEP;
            if (ftruncate(fd, (off_t) length) != 0) die("ftruncate");
            map = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (map == MAP_FAILED) die("mmap");
        }
        memcpy(map + end, record, RECORD);
    }
    if (munmap(map, length) != 0) die("munmap");
}

#ifdef __linux__
/* What C on Linux would write: mremap grows the mapping, in place when it can, else moves it. */
static void mremap_grow(int fd) {
    char *map = NULL;
    size_t length = 0;
    for (int64_t end = 0; end < total; end += RECORD) {
        if ((size_t) end + RECORD > length) {
            if (ftruncate(fd, (off_t) (length + STEP)) != 0) die("ftruncate");
            map = map == NULL ? mmap(NULL, STEP, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                              : mremap(map, length, length + STEP, MREMAP_MAYMOVE);
            if (map == MAP_FAILED) die(length == 0 ? "mmap" : "mremap");
            length += STEP;
        }
        memcpy(map + end, record, RECORD);
    }
    if (munmap(map, length) != 0) die("munmap");
}
#endif

static void writes(int fd) {
    for (int64_t end = 0; end < total; end += RECORD) {
        if (write(fd, record, RECORD) != RECORD) die("write");
    }
}

struct op_case {
    const char *name;
    void (*op)(int);
    double sum, sq, min;
};

/* One append per case in turn, round after round: on a shared machine every case sees the
 * same load, instead of one case getting a quiet minute and the next a busy one. */
static void measure(FILE *csv, struct op_case *cases, int n, int warmups, int measured) {
    for (int i = 0; i < warmups + measured; i++) {
        for (int k = 0; k < n; k++) {
            int fd = fresh();
            int64_t t0 = now_ns();
            cases[k].op(fd);
            if (close(fd) != 0) die("close");
            double ns = (double) (now_ns() - t0);
            fprintf(stderr, "%s %s %d: %.1f ms\n", cases[k].name, i < warmups ? "warmup" : "measured", i, ns / 1e6);
            if (i >= warmups) {
                cases[k].sum += ns;
                cases[k].sq += ns * ns;
                if (cases[k].min == 0 || ns < cases[k].min) cases[k].min = ns;
            }
        }
    }
    for (int k = 0; k < n; k++) {
        double sum = cases[k].sum, sq = cases[k].sq;
        double mean = sum / measured;
        double sd = measured > 1 ? sqrt((sq - sum * sum / measured) / (measured - 1)) : NAN;
        fprintf(csv, "\"io.github.mmap4j.bench.%s\",\"ss\",1,%d,%.6f,%.6f,\"ns/op\"\n", cases[k].name, measured, mean,
                measured > 1 ? 3.0 * sd : NAN);
        fprintf(stderr, "%s: mean %.1f ms, min %.1f ms\n", cases[k].name, mean / 1e6, cases[k].min / 1e6);
    }
    fflush(csv);
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s <dir> <out.csv> <warmup ops> <measured ops> <total bytes>\n", argv[0]);
        return 2;
    }
    snprintf(path, sizeof path, "%s/mmap4j-grow-append-c-%d.bin", argv[1], (int) getpid());
    total = strtoll(argv[5], NULL, 10);
    for (int i = 0; i < RECORD; i++) record[i] = (unsigned char) (i * 31 + 7);
    FILE *csv = fopen(argv[2], "w");
    if (csv == NULL) die(argv[2]);
    fprintf(csv, "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%%)\",\"Unit\"\n");
    int warmups = atoi(argv[3]), measured = atoi(argv[4]);
    struct op_case cases[] = {
        {"GrowAppend.c", reservation, 0, 0, 0},
#ifdef MAP_POPULATE
        {"GrowAppend.cPopulate", reservation_populate, 0, 0, 0},
#endif
        {"GrowAppend.cRemap", remap, 0, 0, 0},
#ifdef __linux__
        {"GrowAppend.cMremap", mremap_grow, 0, 0, 0},
#endif
        {"GrowAppend.cWrite", writes, 0, 0, 0},
    };
    measure(csv, cases, (int) (sizeof cases / sizeof cases[0]), warmups, measured);
    unlink(path);
    fclose(csv);
    return 0;
}
