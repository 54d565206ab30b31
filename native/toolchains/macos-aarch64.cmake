# CMake toolchain file: build the JNI shim for macOS arm64 (>= 11.0) with zig cc.
#
#   bash native/scripts/install-zig.sh          # once; or export MMAP4J_ZIG=/path/to/zig (0.11.0)
#   cmake -S native -B build/osx_arm64 -DCMAKE_TOOLCHAIN_FILE=$PWD/native/toolchains/macos-aarch64.cmake
#
# The library lands in natives/osx_arm64/. The rest is shared: ./zig.cmake.

set(CMAKE_SYSTEM_NAME Darwin)
set(CMAKE_SYSTEM_PROCESSOR arm64)
set(MMAP4J_ZIG_TARGET "aarch64-macos.11.0")
set(MMAP4J_NATIVE_DIR "osx_arm64")
include("${CMAKE_CURRENT_LIST_DIR}/zig.cmake")
