/*
 * Wait and wake on a 32-bit word shared between processes: plain C, no JNI
 * types, -errno on failure (see mmap4j_os.h).
 *
 * Linux: futex(2) FUTEX_WAIT / FUTEX_WAKE without FUTEX_PRIVATE_FLAG, so the
 * kernel keys the wait by the page's backing object (inode and offset of a
 * file or shared memory object) and a process mapping the same word elsewhere
 * meets it. macOS 14.4+: os_sync_wait_on_address_with_timeout and
 * os_sync_wake_by_address_any/all with the SHARED flags, found with dlsym (the
 * library's floor is macOS 11). Older macOS: mm4j_futex_poll_wait, below.
 */
#ifndef MMAP4J_FUTEX_H
#define MMAP4J_FUTEX_H

#include <stdint.h>

/* Sleeps while *word == expected, for at most timeout_ns (negative: no limit).
 * Returns 0 when woken (or woken spuriously; on the polling fallback: when the
 * word changed), -EAGAIN when *word != expected at the start, -ETIMEDOUT,
 * -EINTR when a signal interrupted the sleep, another -errno otherwise. */
int64_t mm4j_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns);

/* Wakes at most count (>= 1) waiters on word, in any process; INT32_MAX wakes
 * all. Returns how many were woken: exact on Linux and, for count < INT32_MAX,
 * on macOS 14.4+; for all on macOS 14.4+, 1 if any was; 0 on the polling
 * fallback (its waiters see the change of the word themselves). */
int64_t mm4j_futex_wake(uint32_t *word, int32_t count);

/* The fallback where the platform has no cross-process wait (macOS before
 * 14.4): same results as mm4j_futex_wait, by watching the word: a short spin,
 * then naps that double from 1 us to at most 1 ms. Compiled everywhere so the
 * C tests check it on Linux too. */
int64_t mm4j_futex_poll_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns);

#endif
