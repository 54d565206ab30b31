# CMake toolchain file: build the JNI shim for macOS x86_64 (>= 11.0) with zig cc.
#
#   bash native/scripts/install-zig.sh          # once; or export MMAP4J_ZIG=/path/to/zig (0.11.0)
#   cmake -S native -B build/osx_64 -DCMAKE_TOOLCHAIN_FILE=$PWD/native/toolchains/macos-x86_64.cmake
#
# The library lands in natives/osx_64/. The rest is shared: ./zig.cmake.

set(CMAKE_SYSTEM_NAME Darwin)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(MMAP4J_ZIG_TARGET "x86_64-macos.11.0")
set(MMAP4J_NATIVE_DIR "osx_64")
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
