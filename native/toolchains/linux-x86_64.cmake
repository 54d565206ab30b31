# CMake toolchain file: build the JNI shim for Linux x86_64 (glibc >= 2.17) with zig cc.
#
#   bash native/scripts/install-zig.sh          # once; or export MMAP4J_ZIG=/path/to/zig (0.11.0)
#   cmake -S native -B build/linux_64 -DCMAKE_TOOLCHAIN_FILE=$PWD/native/toolchains/linux-x86_64.cmake
#
# Sets MMAP4J_NATIVE_DIR=linux_64: the native-lib-loader folder (natives/linux_64/) the
# library belongs in. zig is located by ./zig-cc ($MMAP4J_ZIG, else the
# install-zig.sh cache under $MMAP4J_TOOLS or $HOME/.cache/mmap4j-tools).

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
# The OS/glibc floor lives in the triple: zig ignores CMAKE_OSX_DEPLOYMENT_TARGET.
set(MMAP4J_ZIG_TARGET "x86_64-linux-gnu.2.17")
# Without any -O flag zig cc builds in its Debug mode, with UBSan traps (SIGILL
# inside the JVM). Default to Release when the caller names no build type.
set(CMAKE_BUILD_TYPE_INIT Release)
set(MMAP4J_NATIVE_DIR "linux_64" CACHE STRING "native-lib-loader resource folder for this target" FORCE)

# Toolchain files are re-read for every try_compile; resolve zig each time, cheaply.
execute_process(
  COMMAND "${CMAKE_CURRENT_LIST_DIR}/zig-cc" --mmap4j-locate
  OUTPUT_VARIABLE _mmap4j_zig ERROR_VARIABLE _mmap4j_zig_err
  RESULT_VARIABLE _mmap4j_zig_rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _mmap4j_zig_rc EQUAL 0)
  # zig-cc explains where it looked and to run native/scripts/install-zig.sh.
  message(FATAL_ERROR "zig 0.11.0 is needed to build for x86_64-linux-gnu.2.17.\n${_mmap4j_zig_err}")
endif()
if(_mmap4j_zig MATCHES "[ \t;]")
  message(FATAL_ERROR "zig path '${_mmap4j_zig}' contains a space or ';', which CMake cannot pass "
    "through CMAKE_C_COMPILER; set MMAP4J_TOOLS or MMAP4J_ZIG to a path without them.")
endif()
# The extra list items become mandatory compiler arguments on every compile and
# link line (CMAKE_C_COMPILER_ARG1), so the target and the zig path survive
# any CMAKE_C_FLAGS the caller sets, and the build step needs no environment.
set(CMAKE_C_COMPILER "${CMAKE_CURRENT_LIST_DIR}/zig-cc" "--mmap4j-zig=${_mmap4j_zig}" -target "x86_64-linux-gnu.2.17")

# -s: strip at link time; zig otherwise ships its libc stubs' debug info, with build paths
# (over three quarters of the file: 67 KB -> 15 KB).
# Unresolved symbols fail the link instead of the first call on an old host
# (e.g. shm_open lives in librt, not libc, on glibc 2.17: link rt).
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-Wl,-z,defs -s")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-Wl,-z,defs -s")
