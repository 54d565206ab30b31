/*
 * The platform's one name: native-lib-loader's folder for it (linux_64,
 * linux_arm64, osx_64, osx_arm64), with "_musl" after it for a musl build, as
 * the jar holds it (natives/<name>/). mm4j_platform() reports it to Java, and
 * CMakeLists.txt reads it from a compiled probe (cmake/platform.c) for the
 * folder the library goes to, so the two cannot differ. Chosen by the
 * compiler's predefined macros: the name says what the code was compiled for.
 */
#ifndef MMAP4J_PLATFORM_H
#define MMAP4J_PLATFORM_H

/* Any libc header: glibc's pull in <features.h>, which defines __GLIBC__. */
#include <sys/types.h>

#if defined(__APPLE__)
#define MM4J_PLATFORM_OS "osx"
#elif defined(__linux__)
#define MM4J_PLATFORM_OS "linux"
#else
#define MM4J_PLATFORM_OS "unknown"
#endif

#if defined(__x86_64__)
#define MM4J_PLATFORM_ARCH "_64"
#elif defined(__aarch64__)
#define MM4J_PLATFORM_ARCH "_arm64"
#else
#define MM4J_PLATFORM_ARCH "_unknown"
#endif

/* musl deliberately defines no macro of its own: a Linux C library that is
 * neither glibc nor Android's bionic is taken for musl. */
#if defined(__linux__) && !defined(__GLIBC__) && !defined(__BIONIC__)
#define MM4J_PLATFORM_LIBC "_musl"
#else
#define MM4J_PLATFORM_LIBC ""
#endif

#define MM4J_PLATFORM MM4J_PLATFORM_OS MM4J_PLATFORM_ARCH MM4J_PLATFORM_LIBC

#endif
