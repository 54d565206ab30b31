/*
 * The table of every range mmap4j holds (see mmap4j_ranges.h for the contract).
 */
#define _GNU_SOURCE
#include "mmap4j_ranges.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/mman.h>

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

/* One range. seq is odd while start/end/prot are written; start == 0 marks a free slot. flags
 * are changed atomically on their own (the handlers set TRUNCATED/UNPROTECTED without the lock). */
struct slot {
    _Atomic uint64_t seq;
    _Atomic uintptr_t start;
    _Atomic uintptr_t end;
    _Atomic uint32_t flags;
    _Atomic int prot;
    _Atomic uintptr_t fault_address;
};

static struct slot *_Atomic segments[MM4J_RANGES_SEGMENTS];
/* Slots at or above this index were never used: readers stop there. */
static _Atomic int64_t used;
/* The slot the last lookup found: a run of faults in one range (a truncated file read in
 * order) finds it first. */
static _Atomic int64_t last_hit = -1;
/* Handlers inside the table now. */
static _Atomic int64_t active;
static _Atomic uint64_t fault_count;

/* Writers only (the mutex): free slots below `used`, as a stack in its own segments. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t *free_stack;
static int64_t free_top;
static int64_t free_capacity;
static int64_t live;

static struct slot *slot_at(int64_t index) {
    struct slot *segment = atomic_load_explicit(&segments[index / MM4J_RANGES_PER_SEGMENT], memory_order_acquire);
    return segment == NULL ? NULL : &segment[index % MM4J_RANGES_PER_SEGMENT];
}

static void *allocate(size_t bytes) {
    /* mmap, not malloc: zeroed, page-aligned, and never given back (a handler may read it). */
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void slot_write(struct slot *s, uintptr_t start, uintptr_t end, int prot) {
    uint64_t seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
    atomic_store_explicit(&s->seq, seq + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&s->end, end, memory_order_relaxed);
    atomic_store_explicit(&s->prot, prot, memory_order_relaxed);
    atomic_store_explicit(&s->start, start, memory_order_relaxed);
    atomic_store_explicit(&s->seq, seq + 2, memory_order_release);
}

/* A slot index to fill: a freed one, else the next never used (its segment allocated). */
static int64_t take_slot(void) {
    if (free_top > 0) return free_stack[--free_top];
    int64_t index = atomic_load_explicit(&used, memory_order_relaxed);
    if (index >= (int64_t) MM4J_RANGES_SEGMENTS * MM4J_RANGES_PER_SEGMENT) return -ENOMEM;
    int64_t n = index / MM4J_RANGES_PER_SEGMENT;
    if (atomic_load_explicit(&segments[n], memory_order_relaxed) == NULL) {
        struct slot *segment = allocate(sizeof(struct slot) * MM4J_RANGES_PER_SEGMENT);
        if (segment == NULL) return -ENOMEM;
        atomic_store_explicit(&segments[n], segment, memory_order_release);
    }
    if (free_capacity <= index) {
        /* The stack can hold every slot ever used; grow it a segment at a time. */
        int64_t capacity = (n + 1) * MM4J_RANGES_PER_SEGMENT;
        int64_t *stack = allocate(sizeof(int64_t) * (size_t) capacity);
        if (stack == NULL) return -ENOMEM;
        for (int64_t i = 0; i < free_top; i++) stack[i] = free_stack[i];
        if (free_stack != NULL) munmap(free_stack, sizeof(int64_t) * (size_t) free_capacity);
        free_stack = stack;
        free_capacity = capacity;
    }
    return index;
}

int64_t mm4j_ranges_add(uintptr_t start, uintptr_t end, uint32_t flags, int prot) {
    if (start == 0 || end <= start) return -EINVAL;
    pthread_mutex_lock(&lock);
    int64_t index = take_slot();
    if (index >= 0) {
        struct slot *s = slot_at(index);
        atomic_store_explicit(&s->flags, flags, memory_order_relaxed);
        atomic_store_explicit(&s->fault_address, 0, memory_order_relaxed);
        slot_write(s, start, end, prot);
        if (index >= atomic_load_explicit(&used, memory_order_relaxed)) {
            atomic_store_explicit(&used, index + 1, memory_order_release);
        }
        live++;
    }
    pthread_mutex_unlock(&lock);
    return index;
}

uint32_t mm4j_ranges_update(int64_t index, uint32_t set, uint32_t clear) {
    struct slot *s = index < 0 || index >= atomic_load_explicit(&used, memory_order_acquire) ? NULL : slot_at(index);
    if (s == NULL) return 0;
    uint32_t before = atomic_fetch_or_explicit(&s->flags, set, memory_order_acq_rel);
    if (clear != 0) before = atomic_fetch_and_explicit(&s->flags, ~clear, memory_order_acq_rel) | (before & clear);
    return before;
}

uint32_t mm4j_ranges_flags(int64_t index) {
    struct slot *s = index < 0 || index >= atomic_load_explicit(&used, memory_order_acquire) ? NULL : slot_at(index);
    return s == NULL ? 0 : atomic_load_explicit(&s->flags, memory_order_acquire);
}

uintptr_t mm4j_ranges_fault_address(int64_t index) {
    struct slot *s = index < 0 || index >= atomic_load_explicit(&used, memory_order_acquire) ? NULL : slot_at(index);
    return s == NULL ? 0 : atomic_load_explicit(&s->fault_address, memory_order_acquire);
}

void mm4j_ranges_remove(int64_t index) {
    struct slot *s = index < 0 || index >= atomic_load_explicit(&used, memory_order_acquire) ? NULL : slot_at(index);
    if (s == NULL) return;
    pthread_mutex_lock(&lock);
    if (atomic_load_explicit(&s->start, memory_order_relaxed) != 0) {
        slot_write(s, 0, 0, 0);
        atomic_store_explicit(&s->flags, 0, memory_order_relaxed);
        free_stack[free_top++] = index;
        live--;
    }
    pthread_mutex_unlock(&lock);
    /* A handler that entered before the slot was cleared may still act on the range: wait for
     * every handler inside now (they are a few system calls long). One that enters later cannot
     * find the slot. */
    atomic_thread_fence(memory_order_seq_cst);
    for (int spins = 0; atomic_load_explicit(&active, memory_order_seq_cst) != 0; spins++) {
        if (spins > 100) sched_yield();
    }
}

void mm4j_ranges_enter(void) {
    atomic_fetch_add_explicit(&active, 1, memory_order_seq_cst);
}

void mm4j_ranges_leave(void) {
    atomic_fetch_sub_explicit(&active, 1, memory_order_seq_cst);
}

/* Reads one slot consistently; 1 when it holds address with one of want's flags. */
static int probe(int64_t index, uintptr_t address, uint32_t want, struct mm4j_range_hit *hit) {
    struct slot *s = slot_at(index);
    if (s == NULL) return 0;
    for (int attempt = 0; attempt < 64; attempt++) {
        uint64_t before = atomic_load_explicit(&s->seq, memory_order_acquire);
        uintptr_t start = atomic_load_explicit(&s->start, memory_order_relaxed);
        uintptr_t end = atomic_load_explicit(&s->end, memory_order_relaxed);
        int prot = atomic_load_explicit(&s->prot, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        if ((before & 1) != 0 || atomic_load_explicit(&s->seq, memory_order_relaxed) != before) continue;
        if (start == 0 || address < start || address >= end) return 0;
        uint32_t flags = atomic_load_explicit(&s->flags, memory_order_acquire);
        if ((flags & want) == 0) return 0;
        hit->slot = index;
        hit->start = start;
        hit->end = end;
        hit->flags = flags;
        hit->prot = prot;
        return 1;
    }
    return 0;
}

int mm4j_ranges_find(uintptr_t address, uint32_t want, struct mm4j_range_hit *hit) {
    int64_t n = atomic_load_explicit(&used, memory_order_acquire);
    int64_t hint = atomic_load_explicit(&last_hit, memory_order_relaxed);
    if (hint >= 0 && hint < n && probe(hint, address, want, hit)) return 1;
    for (int64_t i = 0; i < n; i++) {
        if (probe(i, address, want, hit)) {
            atomic_store_explicit(&last_hit, i, memory_order_relaxed);
            return 1;
        }
    }
    return 0;
}

void mm4j_ranges_mark(int64_t index, uint32_t flag, uintptr_t address) {
    struct slot *s = slot_at(index);
    if (s == NULL) return;
    uintptr_t none = 0;
    if (flag == MM4J_RANGE_TRUNCATED) {
        atomic_compare_exchange_strong_explicit(&s->fault_address, &none, address, memory_order_acq_rel,
                                                memory_order_relaxed);
    }
    atomic_fetch_or_explicit(&s->flags, flag, memory_order_acq_rel);
    atomic_fetch_add_explicit(&fault_count, 1, memory_order_acq_rel);
}

uint64_t *mm4j_ranges_fault_count(void) {
    return (uint64_t *) &fault_count;
}

int64_t mm4j_ranges_live(void) {
    pthread_mutex_lock(&lock);
    int64_t n = live;
    pthread_mutex_unlock(&lock);
    return n;
}
