/*
 * The SIGSEGV forwarder: makes a fault on a page mmap4j protected (a write to a
 * PROT_READ page, a read of a PROT_NONE page) reach the JVM as the SIGBUS it
 * already turns into InternalError for direct-buffer access, instead of the
 * SIGSEGV that kills it. Linux only; elsewhere every call returns -ENOSYS.
 *
 * Installed lazily (mm4j_guard_install), after HotSpot installed its own
 * handlers, which it chains to for every fault that is not in a registered
 * range. The range table is a fixed array read by the signal handler without
 * locks (a seqlock per slot); callers serialize mm4j_guard_add/remove, and must
 * remove a range before the address can be unmapped and reused.
 */
#ifndef MMAP4J_GUARD_H
#define MMAP4J_GUARD_H

#include <stdint.h>

/* How many ranges can be registered at once. */
#define MM4J_GUARD_SLOTS (1 << 12)

/* Installs the handler once (later calls return the first result); 0 or -errno:
 * -ENOSYS off Linux or when the JVM does not export JVM_handle_linux_signal. */
int64_t mm4j_guard_install(void);
/* Registers [start, end); returns the slot, or -ENOSPC when the table is full. */
int64_t mm4j_guard_add(uintptr_t start, uintptr_t end);
/* Unregisters a slot returned by mm4j_guard_add. */
void mm4j_guard_remove(int slot);
/* Whether address lies in a registered range (what the handler asks). */
int mm4j_guard_covers(uintptr_t address);

#endif
