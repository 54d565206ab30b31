# CMake toolchain file: build the JNI shim for Linux aarch64 with musl libc (Alpine) with zig cc.
#
#   bash native/scripts/install-zig.sh          # once; or export MMAP4J_ZIG=/path/to/zig (0.11.0)
#   cmake -S native -B build/linux_arm64_musl -DCMAKE_TOOLCHAIN_FILE=$PWD/native/toolchains/linux-aarch64-musl.cmake
#
# The library lands in natives/linux_arm64_musl/. The rest is shared: ./zig.cmake.
#
# Linked dynamically against musl's libc.so, with zig's compiler-rt instead of libgcc, and
# without outline atomics: their helpers (__aarch64_cas4_acq, ...) pick LSE or LL/SC at run time
# from the CPU's features, which libgcc's version reads through __getauxval: netty's musl aarch64
# library crashed the JVM at load there. zig 0.11 inlines atomics by default; the flag keeps it
# so whatever the default becomes. native/scripts/check-binaries.sh checks the result.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(MMAP4J_ZIG_TARGET "aarch64-linux-musl")
set(MMAP4J_ZIG_FLAGS -mno-outline-atomics)
set(MMAP4J_NATIVE_DIR "linux_arm64_musl")
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
