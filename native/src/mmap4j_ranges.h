/*
 * Every range mmap4j holds (from its mmap until just before its munmap), in a
 * table a signal handler can read: the fault handlers (mmap4j_guard.c) ask it
 * whether a faulting address is mmap4j's, and what to do there.
 *
 * Slots live in segments of MM4J_RANGES_PER_SEGMENT, allocated on demand and
 * never freed, so a handler can read any slot at any time. Each slot is a
 * seqlock (odd while written): a reader retries a slot that changed under it.
 * Writers (add, flags, remove) run on Java threads and are serialized by a
 * mutex; a reader never blocks and never allocates (async-signal-safe).
 *
 * Removal waits until no handler is inside the table, so once
 * mm4j_ranges_remove returned no handler can still act on that range: only
 * then may the caller munmap it (the address may then be reused by anyone).
 */
#ifndef MMAP4J_RANGES_H
#define MMAP4J_RANGES_H

#include <stdint.h>

#define MM4J_RANGES_PER_SEGMENT (1 << 12)
#define MM4J_RANGES_SEGMENTS (1 << 10)

/* Slot flags. */
/* A SIGBUS in the range (a page past the end of the file) is covered with zero memory. */
#define MM4J_RANGE_COVER_SIGBUS 1u
/* mmap4j reduced the range's protection: a SIGSEGV there is forwarded to HotSpot as SIGBUS. */
#define MM4J_RANGE_GUARDED 2u
/* Set by the SIGBUS handler: it covered a page of the range (the file was truncated under it,
 * or had no room for a page). */
#define MM4J_RANGE_TRUNCATED 4u
/* Set by the SIGSEGV handler: a protection fault HotSpot could not turn into an exception (JDK
 * native code, an intrinsic) was let through by restoring the page's original protection. */
#define MM4J_RANGE_UNPROTECTED 8u

/* Adds [start, end) with flags and the protection to restore on an unrecoverable protection
 * fault; returns the slot, or -ENOMEM when no segment can be had. */
int64_t mm4j_ranges_add(uintptr_t start, uintptr_t end, uint32_t flags, int prot);
/* Sets and clears flags of a slot; returns the flags before. */
uint32_t mm4j_ranges_update(int64_t slot, uint32_t set, uint32_t clear);
/* A slot's flags (0 for a free slot). */
uint32_t mm4j_ranges_flags(int64_t slot);
/* The first address the SIGBUS handler covered in a slot's range, or 0. */
uintptr_t mm4j_ranges_fault_address(int64_t slot);
/* Frees a slot; returns once no fault handler can still act on its range. */
void mm4j_ranges_remove(int64_t slot);

/* What a handler learned of the range holding an address. */
struct mm4j_range_hit {
    int64_t slot;
    uintptr_t start;
    uintptr_t end;
    uint32_t flags;
    int prot;
};
/* Async-signal-safe: finds the live range holding address with any of want's flags; 1 and *hit
 * filled when found, else 0. Call between mm4j_ranges_enter and mm4j_ranges_leave. */
int mm4j_ranges_find(uintptr_t address, uint32_t want, struct mm4j_range_hit *hit);
/* Handler side: marks a handler inside the table (removal waits for it). */
void mm4j_ranges_enter(void);
void mm4j_ranges_leave(void);
/* Handler side: records that the handler covered address in a slot (sets TRUNCATED, keeps the
 * first address) or restored its protection (UNPROTECTED); counts it. */
void mm4j_ranges_mark(int64_t slot, uint32_t flag, uintptr_t address);
/* How many faults the handlers recovered from since the library loaded. */
uint64_t *mm4j_ranges_fault_count(void);
/* How many slots are in use now (tests). */
int64_t mm4j_ranges_live(void);

#endif
