/*
 * The fault handlers (see mmap4j_guard.h for the contract).
 *
 * SIGBUS: a page of a file mapping that lies past the file's end (another process
 * truncated it; or a tmpfs or disk had no room for a page written) raises SIGBUS.
 * HotSpot turns that into InternalError only inside the accesses it knows may fault;
 * in an intrinsic stub (CRC32), zlib, a VM native (the interpreter's
 * Unsafe_CompareAndSetInt) or JDK 8's VM copy it kills the JVM. For such a fault in
 * a range mmap4j holds, this handler maps zero memory over the faulting page (the
 * quarantine memfd at file offset = address, as close does, else private anonymous
 * memory), marks the range truncated and returns: the access completes, on every
 * JDK, and HotSpot never sees the signal. Every other SIGBUS goes to the saved
 * handler.
 *
 * SIGSEGV: a page mmap4j made PROT_READ or PROT_NONE (protect) faults with
 * SIGSEGV/SEGV_ACCERR, which HotSpot treats as a crash even inside a direct-buffer
 * access. For such a fault in a guarded range, HotSpot's own handler
 * (JVM_handle_linux_signal, exported by libjvm from JDK 8 to 25) is handed the fault
 * as SIGBUS with abort_if_unrecognized=0: it redirects the thread to its
 * InternalError continuation, or returns 0 when the access is not one it can throw
 * from (CRC32's stub, zlib's adler32, a VM native). Then, instead of letting the JVM
 * die, the page gets back the protection the range was mapped with (plus READ) and
 * the access completes; the range is marked unprotected. Every other SIGSEGV (null
 * checks, stack banging, safepoint polls) goes straight to the saved handler.
 */
#define _GNU_SOURCE
#include "mmap4j_guard.h"
#include "mmap4j_ranges.h"

#include <errno.h>

#if defined(__linux__)

#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int (*jvm_handler_t)(int, siginfo_t *, void *, int);
static jvm_handler_t jvm_handle;
static struct sigaction saved_segv;
static struct sigaction saved_bus;
static int64_t segv_result = 1; /* 1: not tried yet */
static int64_t bus_result = 1;
static uintptr_t page_size;
static _Atomic int quarantine_fd = -1;
/* The page whose protection the SIGSEGV handler restored last, and for which thread: the same
 * thread faulting there again means the restored protection does not allow the access either
 * (a write to a page mapped without WRITE), and the fault goes on to HotSpot. */
static _Atomic uintptr_t last_restored;
static _Atomic long last_restored_by;

static void chain(int sig, const struct sigaction *saved, siginfo_t *info, void *uc) {
    if (saved->sa_flags & SA_SIGINFO) {
        saved->sa_sigaction(sig, info, uc);
    } else if (saved->sa_handler == SIG_DFL || saved->sa_handler == SIG_IGN) {
        /* Restore the default action: returning re-executes the access, which then
         * terminates the process exactly as it would have without mmap4j. */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(sig, &dfl, NULL);
    } else {
        saved->sa_handler(sig);
    }
}

static void segv_handler(int sig, siginfo_t *info, void *uc) {
    int saved_errno = errno;
    if (info != NULL && info->si_code == SEGV_ACCERR) {
        uintptr_t address = (uintptr_t) info->si_addr;
        struct mm4j_range_hit hit;
        mm4j_ranges_enter();
        if (mm4j_ranges_find(address, MM4J_RANGE_GUARDED, &hit)) {
            siginfo_t bus = *info;
            bus.si_signo = SIGBUS;
            bus.si_code = BUS_ADRERR;
            /* 0: return false for a fault HotSpot does not recognise instead of dying. */
            if (jvm_handle != NULL && jvm_handle(SIGBUS, &bus, uc, 0)) {
                mm4j_ranges_leave();
                errno = saved_errno; /* uc now resumes at HotSpot's InternalError continuation */
                return;
            }
            uintptr_t page = address & ~(page_size - 1);
            long tid = syscall(SYS_gettid);
            int again = atomic_exchange(&last_restored, page) == page
                    && atomic_exchange(&last_restored_by, tid) == tid;
            atomic_store(&last_restored_by, tid);
            if (!again && mprotect((void *) page, page_size, hit.prot | PROT_READ) == 0) {
                mm4j_ranges_mark(hit.slot, MM4J_RANGE_UNPROTECTED, address);
                mm4j_ranges_leave();
                errno = saved_errno; /* the access runs again, now allowed */
                return;
            }
        }
        mm4j_ranges_leave();
    }
    chain(sig, &saved_segv, info, uc);
    errno = saved_errno;
}

static void bus_handler(int sig, siginfo_t *info, void *uc) {
    int saved_errno = errno;
    if (info != NULL && info->si_code == BUS_ADRERR) {
        uintptr_t address = (uintptr_t) info->si_addr;
        struct mm4j_range_hit hit;
        mm4j_ranges_enter();
        if (mm4j_ranges_find(address, MM4J_RANGE_COVER_SIGBUS, &hit)) {
            uintptr_t page = address & ~(page_size - 1);
            int fd = atomic_load_explicit(&quarantine_fd, memory_order_relaxed);
            /* The range is mmap4j's and stays so until the handler leaves (removal waits). */
            void *p = fd >= 0
                    ? mmap((void *) page, page_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, (off_t) page)
                    : mmap((void *) page, page_size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            if (p != MAP_FAILED) {
                mm4j_ranges_mark(hit.slot, MM4J_RANGE_TRUNCATED, address);
                mm4j_ranges_leave();
                errno = saved_errno; /* the access runs again, on zero memory */
                return;
            }
        }
        mm4j_ranges_leave();
    }
    chain(sig, &saved_bus, info, uc);
    errno = saved_errno;
}

/* Unloading the library would leave the kernel pointing at freed code: keep it
 * loaded for the life of the process (RTLD_NODELETE on a handle to ourselves). */
static int pin_library(void) {
    Dl_info self;
    if (dladdr((void *) &segv_handler, &self) == 0 || self.dli_fname == NULL) return -1;
    return dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) == NULL ? -1 : 0;
}

static int64_t install(int sig, void (*handler)(int, siginfo_t *, void *), struct sigaction *saved) {
    if (pin_library() != 0) return -ENOSYS;
    long ps = sysconf(_SC_PAGESIZE);
    if (ps <= 0) return -EINVAL;
    page_size = (uintptr_t) ps;
    if (sigaction(sig, NULL, saved) != 0) return -errno;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_mask = saved->sa_mask; /* HotSpot's mask and stack choice */
    sa.sa_flags = (saved->sa_flags & (SA_ONSTACK | SA_RESTART)) | SA_SIGINFO;
    if (sigaction(sig, &sa, NULL) != 0) return -errno;
    return 0;
}

int64_t mm4j_guard_install(void) {
    /* Called under the Java-side lock: no race on segv_result. */
    if (segv_result != 1) return segv_result;
    jvm_handle = (jvm_handler_t) dlsym(RTLD_DEFAULT, "JVM_handle_linux_signal");
    if (jvm_handle == NULL) return segv_result = -ENOSYS;
    return segv_result = install(SIGSEGV, segv_handler, &saved_segv);
}

int64_t mm4j_bus_install(int fd) {
    /* Called under the Java-side lock. */
    atomic_store(&quarantine_fd, fd);
    if (bus_result != 1) return bus_result;
    return bus_result = install(SIGBUS, bus_handler, &saved_bus);
}

#else /* macOS and others: to be confirmed on a Mac which signal each fault raises there. */

int64_t mm4j_guard_install(void) { return -ENOSYS; }
int64_t mm4j_bus_install(int fd) { (void) fd; return -ENOSYS; }

#endif
