/*
 * The fault handlers: SIGBUS in a range mmap4j holds (a page past the end of its
 * file) is covered with zero memory and the access completes; SIGSEGV in a range
 * mmap4j protected is forwarded to HotSpot as the SIGBUS it turns into
 * InternalError, or, where HotSpot cannot throw (JDK native code, intrinsics), the
 * page's protection is restored and the access completes. Linux only; elsewhere
 * both installs return -ENOSYS.
 *
 * Both are installed lazily, after HotSpot installed its own handlers, which they
 * chain to for every fault that is not in a range of mmap4j_ranges.h with the
 * matching flag. Installing twice returns the first result.
 */
#ifndef MMAP4J_GUARD_H
#define MMAP4J_GUARD_H

#include <stdint.h>

/* Installs the SIGSEGV forwarder once; 0 or -errno: -ENOSYS off Linux or when the JVM does
 * not export JVM_handle_linux_signal. */
int64_t mm4j_guard_install(void);
/* Installs the SIGBUS handler once (0 or -errno) and sets the quarantine descriptor its covers
 * map (-1: private anonymous memory). */
int64_t mm4j_bus_install(int quarantine_fd);

#endif
