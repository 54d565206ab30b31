/*
 * The shim's code translation (mmap4j_codes.c) checked against the platform
 * headers, restated here independently: for every advice and map flag code of
 * io.github.mmap4j.Native, prints "code name -> header value" and
 * checks that the shim returns the header's constant where the header defines
 * it, refuses the code where it does not, and reports the same in its
 * supported masks. A code added to Native.java without a row here fails the
 * coverage check. Run by ctest; its output is the Linux columns of docs/platforms.md.
 */
#define _GNU_SOURCE 1
#include "mmap4j_codes.h"
#include "io_github_mmap4j_Native.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <linux/mman.h> /* MAP_HUGE_2MB, MAP_HUGE_1GB: the shim computes them from MAP_HUGE_SHIFT */
#endif

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

#define CODE(name) io_github_mmap4j_Native_##name
#define MISSING (-1)

struct row {
    int code;
    const char *code_name;
    const char *header_name;
    long long header_value; /* MISSING when the headers lack it */
};

static int failed, passed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } \
    else { failed++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); \
           fputc('\n', stderr); } \
} while (0)

#define ROW(code, macro, value) { CODE(code), #code, #macro, value }

#ifdef MADV_FREE
#define V_MADV_FREE MADV_FREE
#else
#define V_MADV_FREE MISSING
#endif
#ifdef MADV_REMOVE
#define V_MADV_REMOVE MADV_REMOVE
#else
#define V_MADV_REMOVE MISSING
#endif
#ifdef MADV_DONTFORK
#define V_MADV_DONTFORK MADV_DONTFORK
#else
#define V_MADV_DONTFORK MISSING
#endif
#ifdef MADV_DOFORK
#define V_MADV_DOFORK MADV_DOFORK
#else
#define V_MADV_DOFORK MISSING
#endif
#ifdef MADV_MERGEABLE
#define V_MADV_MERGEABLE MADV_MERGEABLE
#else
#define V_MADV_MERGEABLE MISSING
#endif
#ifdef MADV_UNMERGEABLE
#define V_MADV_UNMERGEABLE MADV_UNMERGEABLE
#else
#define V_MADV_UNMERGEABLE MISSING
#endif
#ifdef MADV_HUGEPAGE
#define V_MADV_HUGEPAGE MADV_HUGEPAGE
#else
#define V_MADV_HUGEPAGE MISSING
#endif
#ifdef MADV_NOHUGEPAGE
#define V_MADV_NOHUGEPAGE MADV_NOHUGEPAGE
#else
#define V_MADV_NOHUGEPAGE MISSING
#endif
#ifdef MADV_DONTDUMP
#define V_MADV_DONTDUMP MADV_DONTDUMP
#else
#define V_MADV_DONTDUMP MISSING
#endif
#ifdef MADV_DODUMP
#define V_MADV_DODUMP MADV_DODUMP
#else
#define V_MADV_DODUMP MISSING
#endif
#ifdef MADV_COLD
#define V_MADV_COLD MADV_COLD
#else
#define V_MADV_COLD MISSING
#endif
#ifdef MADV_PAGEOUT
#define V_MADV_PAGEOUT MADV_PAGEOUT
#else
#define V_MADV_PAGEOUT MISSING
#endif
#ifdef MADV_POPULATE_READ
#define V_MADV_POPULATE_READ MADV_POPULATE_READ
#else
#define V_MADV_POPULATE_READ MISSING
#endif
#ifdef MADV_POPULATE_WRITE
#define V_MADV_POPULATE_WRITE MADV_POPULATE_WRITE
#else
#define V_MADV_POPULATE_WRITE MISSING
#endif
#ifdef MADV_WIPEONFORK
#define V_MADV_WIPEONFORK MADV_WIPEONFORK
#else
#define V_MADV_WIPEONFORK MISSING
#endif
#ifdef MADV_KEEPONFORK
#define V_MADV_KEEPONFORK MADV_KEEPONFORK
#else
#define V_MADV_KEEPONFORK MISSING
#endif
#ifdef MADV_COLLAPSE
#define V_MADV_COLLAPSE MADV_COLLAPSE
#else
#define V_MADV_COLLAPSE MISSING
#endif
#ifdef MADV_FREE_REUSABLE
#define V_MADV_FREE_REUSABLE MADV_FREE_REUSABLE
#else
#define V_MADV_FREE_REUSABLE MISSING
#endif
#ifdef MADV_FREE_REUSE
#define V_MADV_FREE_REUSE MADV_FREE_REUSE
#else
#define V_MADV_FREE_REUSE MISSING
#endif
#ifdef MADV_ZERO_WIRED_PAGES
#define V_MADV_ZERO_WIRED_PAGES MADV_ZERO_WIRED_PAGES
#else
#define V_MADV_ZERO_WIRED_PAGES MISSING
#endif

static const struct row advice[] = {
    ROW(ADV_NORMAL, MADV_NORMAL, MADV_NORMAL),
    ROW(ADV_RANDOM, MADV_RANDOM, MADV_RANDOM),
    ROW(ADV_SEQUENTIAL, MADV_SEQUENTIAL, MADV_SEQUENTIAL),
    ROW(ADV_WILLNEED, MADV_WILLNEED, MADV_WILLNEED),
    ROW(ADV_DONTNEED, MADV_DONTNEED, MADV_DONTNEED),
    ROW(ADV_FREE, MADV_FREE, V_MADV_FREE),
    ROW(ADV_REMOVE, MADV_REMOVE, V_MADV_REMOVE),
    ROW(ADV_DONTFORK, MADV_DONTFORK, V_MADV_DONTFORK),
    ROW(ADV_DOFORK, MADV_DOFORK, V_MADV_DOFORK),
    ROW(ADV_MERGEABLE, MADV_MERGEABLE, V_MADV_MERGEABLE),
    ROW(ADV_UNMERGEABLE, MADV_UNMERGEABLE, V_MADV_UNMERGEABLE),
    ROW(ADV_HUGEPAGE, MADV_HUGEPAGE, V_MADV_HUGEPAGE),
    ROW(ADV_NOHUGEPAGE, MADV_NOHUGEPAGE, V_MADV_NOHUGEPAGE),
    ROW(ADV_DONTDUMP, MADV_DONTDUMP, V_MADV_DONTDUMP),
    ROW(ADV_DODUMP, MADV_DODUMP, V_MADV_DODUMP),
    ROW(ADV_COLD, MADV_COLD, V_MADV_COLD),
    ROW(ADV_PAGEOUT, MADV_PAGEOUT, V_MADV_PAGEOUT),
    ROW(ADV_POPULATE_READ, MADV_POPULATE_READ, V_MADV_POPULATE_READ),
    ROW(ADV_POPULATE_WRITE, MADV_POPULATE_WRITE, V_MADV_POPULATE_WRITE),
    ROW(ADV_WIPEONFORK, MADV_WIPEONFORK, V_MADV_WIPEONFORK),
    ROW(ADV_KEEPONFORK, MADV_KEEPONFORK, V_MADV_KEEPONFORK),
    ROW(ADV_COLLAPSE, MADV_COLLAPSE, V_MADV_COLLAPSE),
    ROW(ADV_FREE_REUSABLE, MADV_FREE_REUSABLE, V_MADV_FREE_REUSABLE),
    ROW(ADV_FREE_REUSE, MADV_FREE_REUSE, V_MADV_FREE_REUSE),
    ROW(ADV_ZERO_WIRED_PAGES, MADV_ZERO_WIRED_PAGES, V_MADV_ZERO_WIRED_PAGES),
};

#ifdef MAP_NORESERVE
#define V_MAP_NORESERVE MAP_NORESERVE
#else
#define V_MAP_NORESERVE MISSING
#endif
#ifdef MAP_POPULATE
#define V_MAP_POPULATE MAP_POPULATE
#else
#define V_MAP_POPULATE MISSING
#endif
#ifdef MAP_LOCKED
#define V_MAP_LOCKED MAP_LOCKED
#else
#define V_MAP_LOCKED MISSING
#endif
#ifdef MAP_HUGETLB
#define V_MAP_HUGETLB MAP_HUGETLB
#else
#define V_MAP_HUGETLB MISSING
#endif
#if defined(MAP_HUGETLB) && defined(MAP_HUGE_2MB)
#define V_MAP_HUGE_2MB (MAP_HUGETLB | MAP_HUGE_2MB)
#else
#define V_MAP_HUGE_2MB MISSING
#endif
#if defined(MAP_HUGETLB) && defined(MAP_HUGE_1GB)
#define V_MAP_HUGE_1GB (MAP_HUGETLB | MAP_HUGE_1GB)
#else
#define V_MAP_HUGE_1GB MISSING
#endif
#ifdef MAP_32BIT
#define V_MAP_32BIT MAP_32BIT
#else
#define V_MAP_32BIT MISSING
#endif
#ifdef MAP_NOCACHE
#define V_MAP_NOCACHE MAP_NOCACHE
#else
#define V_MAP_NOCACHE MISSING
#endif
#ifdef MAP_JIT
#define V_MAP_JIT MAP_JIT
#else
#define V_MAP_JIT MISSING
#endif

static const struct row flags[] = {
    ROW(FLAG_NORESERVE, MAP_NORESERVE, V_MAP_NORESERVE),
    ROW(FLAG_POPULATE, MAP_POPULATE, V_MAP_POPULATE),
    ROW(FLAG_LOCKED, MAP_LOCKED, V_MAP_LOCKED),
    ROW(FLAG_HUGETLB, MAP_HUGETLB, V_MAP_HUGETLB),
    ROW(FLAG_HUGE_2MB, MAP_HUGETLB|MAP_HUGE_2MB, V_MAP_HUGE_2MB),
    ROW(FLAG_HUGE_1GB, MAP_HUGETLB|MAP_HUGE_1GB, V_MAP_HUGE_1GB),
    ROW(FLAG_32BIT, MAP_32BIT, V_MAP_32BIT),
    ROW(FLAG_NOCACHE, MAP_NOCACHE, V_MAP_NOCACHE),
    ROW(FLAG_JIT, MAP_JIT, V_MAP_JIT),
};

#define COUNT(a) ((int) (sizeof(a) / sizeof((a)[0])))

static void print_value(const char *code_name, const char *header_name, long long value) {
    if (value == MISSING) {
        printf("  %-22s -> %-26s not defined\n", code_name, header_name);
    } else {
        printf("  %-22s -> %-26s 0x%llx\n", code_name, header_name, value);
    }
}

static void check_advice(void) {
    uint64_t mask = mm4j_supported_advice();
    int seen[64] = {0};
    printf("advice (%s):\n", mm4j_platform());
    CHECK(COUNT(advice) == CODE(ADV_COUNT), "advice table has %d rows, Native.ADV_COUNT is %d",
          COUNT(advice), (int) CODE(ADV_COUNT));
    for (int i = 0; i < COUNT(advice); i++) {
        const struct row *r = &advice[i];
        print_value(r->code_name, r->header_name, r->header_value);
        CHECK(r->code >= 0 && r->code < CODE(ADV_COUNT) && !seen[r->code], "%s: code %d out of range or repeated",
              r->code_name, r->code);
        if (r->code >= 0 && r->code < 64) seen[r->code] = 1;
        int shim = mm4j_advice_of(r->code);
        int supported = (int) ((mask >> r->code) & 1);
        if (r->header_value == MISSING) {
            CHECK(shim == MM4J_UNSUPPORTED, "%s: headers lack %s but the shim maps it to %d", r->code_name,
                  r->header_name, shim);
            CHECK(!supported, "%s: headers lack %s but the supported mask has it", r->code_name, r->header_name);
        } else {
            CHECK(shim == r->header_value, "%s: shim gives %d, %s is %lld", r->code_name, shim, r->header_name,
                  r->header_value);
            CHECK(supported, "%s: %s is defined but missing from the supported mask", r->code_name,
                  r->header_name);
        }
    }
    CHECK(mask >> CODE(ADV_COUNT) == 0, "supported advice mask 0x%llx has bits beyond ADV_COUNT",
          (unsigned long long) mask);
    CHECK(mm4j_advice_of(CODE(ADV_COUNT)) == MM4J_UNSUPPORTED, "a code past ADV_COUNT must be refused");
}

static void check_flags(void) {
    uint64_t mask = mm4j_supported_map_flags();
    int seen[64] = {0};
    printf("map flags (%s):\n", mm4j_platform());
    CHECK(COUNT(flags) == CODE(FLAG_COUNT), "flag table has %d rows, Native.FLAG_COUNT is %d",
          COUNT(flags), (int) CODE(FLAG_COUNT));
    for (int i = 0; i < COUNT(flags); i++) {
        const struct row *r = &flags[i];
        print_value(r->code_name, r->header_name, r->header_value);
        CHECK(r->code >= 0 && r->code < CODE(FLAG_COUNT) && !seen[r->code], "%s: code %d out of range or repeated",
              r->code_name, r->code);
        if (r->code >= 0 && r->code < 64) seen[r->code] = 1;
        int shared = mm4j_map_flags_of(CODE(SHARE_SHARED), 1 << r->code);
        int anon = mm4j_map_flags_of(CODE(SHARE_PRIVATE) | CODE(SHARE_ANONYMOUS), 1 << r->code);
        int supported = (int) ((mask >> r->code) & 1);
        if (r->header_value == MISSING) {
            CHECK(shared == MM4J_UNSUPPORTED && anon == MM4J_UNSUPPORTED,
                  "%s: headers lack %s but the shim maps it", r->code_name, r->header_name);
            CHECK(!supported, "%s: headers lack %s but the supported mask has it", r->code_name, r->header_name);
        } else {
            CHECK(shared == (MAP_SHARED | (int) r->header_value), "%s: shim gives 0x%x for MAP_SHARED|%s (0x%llx)",
                  r->code_name, shared, r->header_name, r->header_value);
            CHECK(anon == (MAP_PRIVATE | MAP_ANONYMOUS | (int) r->header_value),
                  "%s: shim gives 0x%x for MAP_PRIVATE|MAP_ANONYMOUS|%s", r->code_name, anon, r->header_name);
            CHECK(supported, "%s: %s is defined but missing from the supported mask", r->code_name,
                  r->header_name);
        }
    }
    CHECK(mask >> CODE(FLAG_COUNT) == 0, "supported flag mask 0x%llx has bits beyond FLAG_COUNT",
          (unsigned long long) mask);
    /* All flags at once: the OR of every defined one, or refused when any is missing. */
    int all = 0, any_missing = 0;
    for (int i = 0; i < COUNT(flags); i++) {
        if (flags[i].header_value == MISSING) any_missing = 1; else all |= (int) flags[i].header_value;
    }
    int shim_all = mm4j_map_flags_of(CODE(SHARE_SHARED), (1 << CODE(FLAG_COUNT)) - 1);
    CHECK(any_missing ? shim_all == MM4J_UNSUPPORTED : shim_all == (MAP_SHARED | all),
          "all flags together: shim gives 0x%x", shim_all);
}

static void check_other_codes(void) {
    printf("protection, sharing, msync, open:\n");
    print_value("PROT_READ|WRITE|EXEC", "PROT_READ|PROT_WRITE|PROT_EXEC", PROT_READ | PROT_WRITE | PROT_EXEC);
    CHECK(mm4j_prot_of(CODE(PROT_READ) | CODE(PROT_WRITE) | CODE(PROT_EXEC)) == (PROT_READ | PROT_WRITE | PROT_EXEC),
          "protection bits");
    CHECK(mm4j_prot_of(0) == PROT_NONE, "no protection is PROT_NONE");
    print_value("SYNC_SYNC", "MS_SYNC", MS_SYNC);
    print_value("SYNC_ASYNC", "MS_ASYNC", MS_ASYNC);
    print_value("SYNC_INVALIDATE", "MS_INVALIDATE", MS_INVALIDATE);
    CHECK(mm4j_sync_flags_of(CODE(SYNC_SYNC)) == MS_SYNC, "MS_SYNC");
    CHECK(mm4j_sync_flags_of(0) == MS_SYNC, "MS_SYNC is the default");
    CHECK(mm4j_sync_flags_of(CODE(SYNC_ASYNC) | CODE(SYNC_INVALIDATE)) == (MS_ASYNC | MS_INVALIDATE), "MS_ASYNC");
    CHECK(mm4j_open_flags_of(CODE(OPEN_READ_WRITE) | CODE(OPEN_CREATE) | CODE(OPEN_EXCLUSIVE))
          == (O_RDWR | O_CREAT | O_EXCL), "O_ flags");
    printf("  %-22s -> %-26s %d\n", "shm name limit", "bytes, leading / included", mm4j_shm_name_max());
    CHECK(mm4j_shm_name_max() >= 31, "shm name limit");
}

int main(void) {
    check_advice();
    check_flags();
    check_other_codes();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
