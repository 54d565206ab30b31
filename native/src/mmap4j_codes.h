/*
 * Translation of mmap4j's portable codes (the constants of
 * io.github.mmap4j.Native, compiled into a header by javac -h) to the
 * values this platform's headers define. The one place that knows PROT_*,
 * MAP_*, MADV_*, MS_*, O_*, S_IF* and POSIX_FADV_* values.
 */
#ifndef MMAP4J_CODES_H
#define MMAP4J_CODES_H

#include <stdint.h>

/* Returned by the translators for a code the headers do not define. */
#define MM4J_UNSUPPORTED (-1)

int mm4j_prot_of(int prot_bits);
/* MAP_SHARED/MAP_PRIVATE [| MAP_ANONYMOUS] | flags; MM4J_UNSUPPORTED if any flag is missing. */
int mm4j_map_flags_of(int sharing, int flag_bits);
int mm4j_advice_of(int code);
int mm4j_sync_flags_of(int bits);
int mm4j_open_flags_of(int bits);
int mm4j_fadvice_of(int code);
/* File type bits (st_mode & S_IFMT) -> TYPE_* code. */
int mm4j_file_type_code(int64_t type_bits);

uint64_t mm4j_supported_advice(void);
uint64_t mm4j_supported_map_flags(void);
/* The platform's name, the jar folder: linux_64, linux_arm64_musl, osx_arm64, ... (mmap4j_platform.h). */
const char *mm4j_platform(void);
/* Longest POSIX shared memory name shm_open accepts, in bytes, leading '/' included. */
int mm4j_shm_name_max(void);

/* Symbolic name of an errno value ("EACCES"), NULL when unknown. */
const char *mm4j_errno_name(int err);
/* One more than the largest errno value mm4j_errno_name knows. */
int mm4j_errno_limit(void);

#endif
