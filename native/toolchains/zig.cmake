# CMake toolchain file: the JNI shim for one platform, compiled with zig cc (0.11.0) on a Linux
# x86_64 host. The platform is the library's folder in the jar: native-lib-loader's name, plus
# _musl for the musl builds.
#
#   bash native/scripts/install-zig.sh     # once; or export MMAP4J_ZIG=/path/to/zig (0.11.0)
#   cmake -S native -B build/linux_arm64_musl -DMMAP4J_PLATFORM=linux_arm64_musl \
#     -DCMAKE_TOOLCHAIN_FILE=$PWD/native/toolchains/zig.cmake
#
# native/cross/CMakeLists.txt builds every platform this way (./mvnw -Pall-platforms). zig is
# located by ./zig-cc ($MMAP4J_ZIG, else the install-zig.sh cache under $MMAP4J_TOOLS or
# $HOME/.cache/mmap4j-tools).

# platform, CMAKE_SYSTEM_NAME, CMAKE_SYSTEM_PROCESSOR, zig target, compiler flags it always gets.
# The OS and C library floor is part of the zig target: glibc 2.17, macOS 11.0 (zig ignores
# CMAKE_OSX_DEPLOYMENT_TARGET). The musl builds link dynamically against musl's libc.so (its
# loader also answers to that name for itself), with zig's compiler-rt instead of libgcc;
# aarch64 musl without outline atomics, whose helpers (__aarch64_cas4_acq, ...) pick LSE or
# LL/SC at run time from the CPU's features, which libgcc's version reads through __getauxval:
# netty's musl aarch64 library crashed the JVM at load there. zig 0.11 inlines atomics by
# default; the flag keeps it so. native/scripts/check-binaries.sh checks all of this.
set(_mmap4j_platforms
  "linux_64          Linux   x86_64   x86_64-linux-gnu.2.17"
  "linux_arm64       Linux   aarch64  aarch64-linux-gnu.2.17"
  "linux_64_musl     Linux   x86_64   x86_64-linux-musl"
  "linux_arm64_musl  Linux   aarch64  aarch64-linux-musl      -mno-outline-atomics"
  "osx_64            Darwin  x86_64   x86_64-macos.11.0"
  "osx_arm64         Darwin  arm64    aarch64-macos.11.0")

# Toolchain files are read again for every try_compile, in a project of its own: pass the
# platform on to those.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MMAP4J_PLATFORM)
set(_mmap4j_names)
set(_mmap4j_zig_target)
set(_mmap4j_zig_flags)
foreach(_row IN LISTS _mmap4j_platforms)
  string(REGEX MATCHALL "[^ ]+" _fields "${_row}")
  list(GET _fields 0 _name)
  list(APPEND _mmap4j_names ${_name})
  if(_name STREQUAL "${MMAP4J_PLATFORM}")
    list(GET _fields 1 CMAKE_SYSTEM_NAME)
    list(GET _fields 2 CMAKE_SYSTEM_PROCESSOR)
    list(GET _fields 3 _mmap4j_zig_target)
    list(REMOVE_AT _fields 0 1 2 3)
    set(_mmap4j_zig_flags ${_fields})
  endif()
endforeach()
if(NOT _mmap4j_zig_target)
  string(REPLACE ";" ", " _mmap4j_names "${_mmap4j_names}")
  message(FATAL_ERROR "toolchains/zig.cmake: MMAP4J_PLATFORM is '${MMAP4J_PLATFORM}'; "
    "pass -DMMAP4J_PLATFORM=<one of ${_mmap4j_names}>")
endif()

# Without any -O flag zig cc builds in its Debug mode, with UBSan traps (SIGILL
# inside the JVM). Default to Release when the caller names no build type.
set(CMAKE_BUILD_TYPE_INIT Release)

# Resolved for every try_compile too, cheaply.
execute_process(
  COMMAND "${CMAKE_CURRENT_LIST_DIR}/zig-cc" --mmap4j-locate
  OUTPUT_VARIABLE _mmap4j_zig ERROR_VARIABLE _mmap4j_zig_err
  RESULT_VARIABLE _mmap4j_zig_rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _mmap4j_zig_rc EQUAL 0)
  # zig-cc explains where it looked and to run native/scripts/install-zig.sh.
  message(FATAL_ERROR "zig 0.11.0 is needed to build for ${MMAP4J_PLATFORM}.\n${_mmap4j_zig_err}")
endif()
if(_mmap4j_zig MATCHES "[ \t;]")
  message(FATAL_ERROR "zig path '${_mmap4j_zig}' contains a space or ';', which CMake cannot pass "
    "through CMAKE_C_COMPILER; set MMAP4J_TOOLS or MMAP4J_ZIG to a path without them.")
endif()
# The extra list items become mandatory compiler arguments on every compile and
# link line (CMAKE_C_COMPILER_ARG1), so the target, its flags and the zig path
# survive any CMAKE_C_FLAGS the caller sets, and the build step needs no environment.
set(CMAKE_C_COMPILER "${CMAKE_CURRENT_LIST_DIR}/zig-cc" "--mmap4j-zig=${_mmap4j_zig}"
  -target "${_mmap4j_zig_target}" ${_mmap4j_zig_flags})

# CMake's compiler checks link a test program. For a musl target zig links programs
# statically, which first compiles all of musl's libc.a (over 20 minutes on a busy 2-core
# machine); the library itself links against a libc.so stub. Let the checks stop at an archive.
if(MMAP4J_PLATFORM MATCHES "_musl$")
  set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
endif()

if(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
  # No sw_vers on a Linux host, so CMake turns rpath support off and would bake
  # the absolute build path in as install name; make it @rpath/libX.dylib.
  set(CMAKE_INSTALL_NAME_DIR "@rpath")
  set(CMAKE_BUILD_WITH_INSTALL_NAME_DIR ON)
  # zig ad-hoc signs arm64 dylibs at link time; stripping afterwards breaks the
  # signature (macOS then refuses to load it) and there is no codesign here.
  # So strip while linking, and give `cmake --install --strip` nothing to run.
  # (zig-cc links dylibs with `zig build-lib` and repairs their export table:
  # see the comment at its top.)
  set(CMAKE_SHARED_LINKER_FLAGS_INIT "-s")
  set(CMAKE_MODULE_LINKER_FLAGS_INIT "-s")
  set(CMAKE_STRIP "" CACHE FILEPATH "disabled: would break the code signature" FORCE)
else()
  # -s: strip at link time; zig otherwise ships its libc stubs' debug info, with build paths
  # (over three quarters of the file: 67 KB -> 15 KB).
  # Unresolved symbols fail the link instead of the first call on an old host
  # (e.g. shm_open lives in librt, not libc, on glibc 2.17: link rt).
  set(CMAKE_SHARED_LINKER_FLAGS_INIT "-Wl,-z,defs -s")
  set(CMAKE_MODULE_LINKER_FLAGS_INIT "-Wl,-z,defs -s")
endif()
