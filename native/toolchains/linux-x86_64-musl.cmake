# CMake toolchain file: build the JNI shim for Linux x86_64 with musl libc (Alpine) with zig cc.
#
#   bash native/scripts/install-zig.sh          # once; or export MMAP4J_ZIG=/path/to/zig (0.11.0)
#   cmake -S native -B build/linux_64_musl -DCMAKE_TOOLCHAIN_FILE=$PWD/native/toolchains/linux-x86_64-musl.cmake
#
# The library lands in natives/linux_64_musl/. The rest is shared: ./zig.cmake.
#
# Linked dynamically against musl's libc.so (the one NEEDED entry; musl's loader also answers to
# libc.so for itself): no glibc symbol versions, and zig's own compiler-rt instead of libgcc.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(MMAP4J_ZIG_TARGET "x86_64-linux-musl")
set(MMAP4J_NATIVE_DIR "linux_64_musl")
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
