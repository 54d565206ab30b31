/*
 * The SIGSEGV forwarder (see mmap4j_guard.h for the contract).
 *
 * HotSpot turns SIGBUS raised by an Unsafe access (how direct ByteBuffers read
 * and write) into InternalError, but treats SIGSEGV there as a crash. A page
 * made PROT_READ or PROT_NONE by mprotect faults with SIGSEGV/SEGV_ACCERR. For
 * such a fault at an address mmap4j registered, this handler hands HotSpot's
 * own handler (JVM_handle_linux_signal, exported by libjvm from JDK 8 to 25)
 * the fault as SIGBUS with abort_if_unrecognized=0: HotSpot redirects the
 * thread to its InternalError continuation, or returns 0 when the fault is not
 * an Unsafe access, and then the fault goes to the saved handler as if this
 * one were not installed. Every other SIGSEGV (null checks, stack banging,
 * safepoint polls) goes straight to the saved handler.
 */
#define _GNU_SOURCE
#include "mmap4j_guard.h"

#include <errno.h>

#if defined(__linux__)

#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

/* One registered range. seq is odd while the slot is being written (a seqlock:
 * the handler retries or skips a slot that changed under it); start == 0 marks
 * a free slot. */
struct guard_slot {
    _Atomic uint64_t seq;
    _Atomic uintptr_t start;
    _Atomic uintptr_t end;
};

static struct guard_slot slots[MM4J_GUARD_SLOTS];
/* Slots at or above this index were never used: the handler stops there. */
static _Atomic int used;

typedef int (*jvm_handler_t)(int, siginfo_t *, void *, int);
static jvm_handler_t jvm_handle;
static struct sigaction saved;
static int64_t install_result = 1; /* 1: not tried yet */

static void slot_write(struct guard_slot *s, uintptr_t start, uintptr_t end) {
    uint64_t seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
    atomic_store_explicit(&s->seq, seq + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&s->end, end, memory_order_relaxed);
    atomic_store_explicit(&s->start, start, memory_order_relaxed);
    atomic_store_explicit(&s->seq, seq + 2, memory_order_release);
}

int mm4j_guard_covers(uintptr_t address) {
    int n = atomic_load_explicit(&used, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        struct guard_slot *s = &slots[i];
        for (int attempt = 0; attempt < 64; attempt++) {
            uint64_t before = atomic_load_explicit(&s->seq, memory_order_acquire);
            uintptr_t start = atomic_load_explicit(&s->start, memory_order_relaxed);
            uintptr_t end = atomic_load_explicit(&s->end, memory_order_relaxed);
            atomic_thread_fence(memory_order_acquire);
            if ((before & 1) == 0 && atomic_load_explicit(&s->seq, memory_order_relaxed) == before) {
                if (start != 0 && address >= start && address < end) return 1;
                break;
            }
        }
    }
    return 0;
}

int64_t mm4j_guard_add(uintptr_t start, uintptr_t end) {
    int n = atomic_load_explicit(&used, memory_order_relaxed);
    for (int i = 0; i < MM4J_GUARD_SLOTS; i++) {
        if (i < n && atomic_load_explicit(&slots[i].start, memory_order_relaxed) != 0) continue;
        slot_write(&slots[i], start, end);
        if (i >= n) atomic_store_explicit(&used, i + 1, memory_order_release);
        return i;
    }
    return -ENOSPC;
}

void mm4j_guard_remove(int slot) {
    if (slot >= 0 && slot < MM4J_GUARD_SLOTS) slot_write(&slots[slot], 0, 0);
}

static void chain(int sig, siginfo_t *info, void *uc) {
    if (saved.sa_flags & SA_SIGINFO) {
        saved.sa_sigaction(sig, info, uc);
    } else if (saved.sa_handler == SIG_DFL || saved.sa_handler == SIG_IGN) {
        /* Restore the default action: returning re-executes the access, which then
         * terminates the process exactly as it would have without mmap4j. */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(SIGSEGV, &dfl, NULL);
    } else {
        saved.sa_handler(sig);
    }
}

static void segv_handler(int sig, siginfo_t *info, void *uc) {
    int saved_errno = errno;
    if (info != NULL && info->si_code == SEGV_ACCERR && mm4j_guard_covers((uintptr_t) info->si_addr)) {
        siginfo_t bus = *info;
        bus.si_signo = SIGBUS;
        bus.si_code = BUS_ADRERR;
        /* 0: return false for a fault HotSpot does not recognise instead of dying. */
        if (jvm_handle(SIGBUS, &bus, uc, 0)) {
            errno = saved_errno; /* uc now resumes at HotSpot's InternalError continuation */
            return;
        }
    }
    chain(sig, info, uc);
    errno = saved_errno;
}

/* Unloading the library would leave the kernel pointing at freed code: keep it
 * loaded for the life of the process (RTLD_NODELETE on a handle to ourselves). */
static int pin_library(void) {
    Dl_info self;
    if (dladdr((void *) &segv_handler, &self) == 0 || self.dli_fname == NULL) return -1;
    return dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) == NULL ? -1 : 0;
}

int64_t mm4j_guard_install(void) {
    /* Called under the Java-side lock: no race on install_result. */
    if (install_result != 1) return install_result;
    jvm_handle = (jvm_handler_t) dlsym(RTLD_DEFAULT, "JVM_handle_linux_signal");
    if (jvm_handle == NULL || pin_library() != 0) return install_result = -ENOSYS;
    if (sigaction(SIGSEGV, NULL, &saved) != 0) return install_result = -errno;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv_handler;
    sa.sa_mask = saved.sa_mask; /* HotSpot's mask and stack choice */
    sa.sa_flags = (saved.sa_flags & (SA_ONSTACK | SA_RESTART)) | SA_SIGINFO;
    if (sigaction(SIGSEGV, &sa, NULL) != 0) return install_result = -errno;
    return install_result = 0;
}

#else /* macOS and others: HotSpot's BSD port is expected to see SIGBUS already (to confirm on a Mac). */

int64_t mm4j_guard_install(void) { return -ENOSYS; }
int64_t mm4j_guard_add(uintptr_t start, uintptr_t end) { (void) start; (void) end; return -ENOSYS; }
void mm4j_guard_remove(int slot) { (void) slot; }
int mm4j_guard_covers(uintptr_t address) { (void) address; return 0; }

#endif
