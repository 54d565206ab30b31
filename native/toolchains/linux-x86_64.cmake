# CMake toolchain file: build the JNI shim for Linux x86_64 (glibc >= 2.17) with zig cc.
#
#   bash native/scripts/install-zig.sh          # once; or export MMAP4J_ZIG=/path/to/zig (0.11.0)
#   cmake -S native -B build/linux_64 -DCMAKE_TOOLCHAIN_FILE=$PWD/native/toolchains/linux-x86_64.cmake
#
# The library lands in natives/linux_64/. The rest is shared: ./zig.cmake.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(MMAP4J_ZIG_TARGET "x86_64-linux-gnu.2.17")
set(MMAP4J_NATIVE_DIR "linux_64")
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
