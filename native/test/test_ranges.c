/*
 * Tests of the fault handlers' range table (mmap4j_ranges.c) without a JVM:
 * lookups across segments, freed slots reused, flags and marks, removal while
 * a "handler" is inside, and a reader thread probing while writers add and
 * remove. Run by ctest.
 */
#define _GNU_SOURCE 1
#include "mmap4j_ranges.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int passed, failed;

#define CHECK(cond) do { \
    if (cond) { passed++; } \
    else { failed++; fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, __func__, #cond); } \
} while (0)

#define BASE ((uintptr_t) 0x100000000ULL)
#define SPAN ((uintptr_t) 0x10000)
#define COUNT (3 * MM4J_RANGES_PER_SEGMENT + 17) /* more than one segment */

static int64_t slots[COUNT];

static uintptr_t start_of(int i) { return BASE + (uintptr_t) i * 2 * SPAN; }

static void test_add_find_remove(void) {
    int64_t live = mm4j_ranges_live();
    for (int i = 0; i < COUNT; i++) {
        slots[i] = mm4j_ranges_add(start_of(i), start_of(i) + SPAN, MM4J_RANGE_COVER_SIGBUS, 3);
        CHECK(slots[i] >= 0);
    }
    CHECK(mm4j_ranges_live() == live + COUNT);
    struct mm4j_range_hit hit;
    int found = 0;
    for (int i = 0; i < COUNT; i++) {
        found += mm4j_ranges_find(start_of(i) + SPAN / 2, MM4J_RANGE_COVER_SIGBUS, &hit)
                 && hit.slot == slots[i] && hit.start == start_of(i) && hit.end == start_of(i) + SPAN
                 && hit.prot == 3;
    }
    CHECK(found == COUNT);
    /* Between ranges, and a flag the range lacks: not found. */
    CHECK(!mm4j_ranges_find(start_of(5) + SPAN, MM4J_RANGE_COVER_SIGBUS, &hit));
    CHECK(!mm4j_ranges_find(start_of(5), MM4J_RANGE_GUARDED, &hit));
    /* The end is exclusive, the start inclusive. */
    CHECK(mm4j_ranges_find(start_of(7), MM4J_RANGE_COVER_SIGBUS, &hit) && hit.slot == slots[7]);
    CHECK(!mm4j_ranges_find(start_of(7) + SPAN, MM4J_RANGE_COVER_SIGBUS, &hit));

    /* Flags: set, clear, marks from a handler. */
    CHECK(mm4j_ranges_update(slots[3], MM4J_RANGE_GUARDED, 0) == MM4J_RANGE_COVER_SIGBUS);
    CHECK(mm4j_ranges_find(start_of(3), MM4J_RANGE_GUARDED, &hit) && hit.slot == slots[3]);
    uint64_t faults = *mm4j_ranges_fault_count();
    mm4j_ranges_mark(slots[3], MM4J_RANGE_TRUNCATED, start_of(3) + 4096);
    mm4j_ranges_mark(slots[3], MM4J_RANGE_TRUNCATED, start_of(3) + 8192);
    CHECK((mm4j_ranges_flags(slots[3]) & MM4J_RANGE_TRUNCATED) != 0);
    CHECK(mm4j_ranges_fault_address(slots[3]) == start_of(3) + 4096); /* the first one stays */
    CHECK(*mm4j_ranges_fault_count() == faults + 2);

    /* Remove every other one: gone from lookups; their slots are reused, flags reset. */
    for (int i = 0; i < COUNT; i += 2) mm4j_ranges_remove(slots[i]);
    CHECK(mm4j_ranges_live() == live + COUNT / 2);
    CHECK(!mm4j_ranges_find(start_of(0), MM4J_RANGE_COVER_SIGBUS, &hit));
    CHECK(mm4j_ranges_find(start_of(1), MM4J_RANGE_COVER_SIGBUS, &hit) && hit.slot == slots[1]);
    int64_t again = mm4j_ranges_add(BASE - 4 * SPAN, BASE - 3 * SPAN, 0, 1);
    CHECK(again >= 0 && again < COUNT + 1 && mm4j_ranges_flags(again) == 0);
    CHECK(mm4j_ranges_fault_address(again) == 0);
    mm4j_ranges_remove(again);
    for (int i = 1; i < COUNT; i += 2) mm4j_ranges_remove(slots[i]);
    CHECK(mm4j_ranges_live() == live);
    /* A bad range is refused; removing a free or unknown slot is harmless. */
    CHECK(mm4j_ranges_add(0, 10, 0, 0) == -EINVAL);
    CHECK(mm4j_ranges_add(20, 10, 0, 0) == -EINVAL);
    mm4j_ranges_remove(slots[0]);
    mm4j_ranges_remove(-1);
    mm4j_ranges_remove(INT64_C(1) << 40);
    CHECK(mm4j_ranges_live() == live);
}

/* A "handler" inside the table holds up a removal until it leaves. */
static _Atomic int removed;

static void *remover(void *slot) {
    mm4j_ranges_remove(*(int64_t *) slot);
    atomic_store(&removed, 1);
    return NULL;
}

static void test_remove_waits_for_handlers(void) {
    int64_t slot = mm4j_ranges_add(BASE, BASE + SPAN, MM4J_RANGE_COVER_SIGBUS, 3);
    mm4j_ranges_enter();
    pthread_t t;
    pthread_create(&t, NULL, remover, &slot);
    for (volatile long i = 0; i < 50000000L && !atomic_load(&removed); i++) {
    }
    CHECK(atomic_load(&removed) == 0);
    mm4j_ranges_leave();
    pthread_join(t, NULL);
    CHECK(atomic_load(&removed) == 1);
}

/* Readers probing while writers add and remove: a hit is always a range that was added whole. */
static _Atomic int stop;
static _Atomic long torn;

static void *reader(void *arg) {
    (void) arg;
    struct mm4j_range_hit hit;
    while (!atomic_load(&stop)) {
        for (int i = 0; i < 64; i++) {
            uintptr_t at = start_of(i) + 100;
            if (mm4j_ranges_find(at, MM4J_RANGE_COVER_SIGBUS, &hit)
                    && (hit.start != start_of(i) || hit.end != start_of(i) + SPAN || hit.prot != 3)) {
                atomic_fetch_add(&torn, 1);
            }
        }
    }
    return NULL;
}

static void test_concurrent_readers(void) {
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    int64_t mine[64];
    for (int round = 0; round < 2000; round++) {
        for (int i = 0; i < 64; i++) mine[i] = mm4j_ranges_add(start_of(i), start_of(i) + SPAN, MM4J_RANGE_COVER_SIGBUS, 3);
        for (int i = 0; i < 64; i++) mm4j_ranges_remove(mine[i]);
    }
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    CHECK(atomic_load(&torn) == 0);
}

int main(void) {
    test_add_find_remove();
    test_remove_waits_for_handlers();
    test_concurrent_readers();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
