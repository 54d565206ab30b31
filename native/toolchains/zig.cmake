# The part every toolchain file of this folder shares: zig cc (through ./zig-cc) as the C
# compiler for one target, in Release mode, with the link flags of that OS. Included at the end
# of a toolchain file that has set:
#
#   CMAKE_SYSTEM_NAME, CMAKE_SYSTEM_PROCESSOR
#   MMAP4J_ZIG_TARGET  zig's target triple; the OS/libc floor lives in it (x86_64-linux-gnu.2.17,
#                      aarch64-macos.11.0): zig ignores CMAKE_OSX_DEPLOYMENT_TARGET
#   MMAP4J_NATIVE_DIR  the jar folder the library belongs in (natives/<dir>/)
#   MMAP4J_ZIG_FLAGS   optional: more compiler flags the target must always get
#
# zig is located by ./zig-cc ($MMAP4J_ZIG, else the install-zig.sh cache under $MMAP4J_TOOLS or
# $HOME/.cache/mmap4j-tools).

# Without any -O flag zig cc builds in its Debug mode, with UBSan traps (SIGILL
# inside the JVM). Default to Release when the caller names no build type.
set(CMAKE_BUILD_TYPE_INIT Release)
set(MMAP4J_NATIVE_DIR "${MMAP4J_NATIVE_DIR}" CACHE STRING "resource folder (natives/<dir>/) for this target" FORCE)

# Toolchain files are re-read for every try_compile; resolve zig each time, cheaply.
execute_process(
  COMMAND "${CMAKE_CURRENT_LIST_DIR}/zig-cc" --mmap4j-locate
  OUTPUT_VARIABLE _mmap4j_zig ERROR_VARIABLE _mmap4j_zig_err
  RESULT_VARIABLE _mmap4j_zig_rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _mmap4j_zig_rc EQUAL 0)
  # zig-cc explains where it looked and to run native/scripts/install-zig.sh.
  message(FATAL_ERROR "zig 0.11.0 is needed to build for ${MMAP4J_ZIG_TARGET}.\n${_mmap4j_zig_err}")
endif()
if(_mmap4j_zig MATCHES "[ \t;]")
  message(FATAL_ERROR "zig path '${_mmap4j_zig}' contains a space or ';', which CMake cannot pass "
    "through CMAKE_C_COMPILER; set MMAP4J_TOOLS or MMAP4J_ZIG to a path without them.")
endif()
# The extra list items become mandatory compiler arguments on every compile and
# link line (CMAKE_C_COMPILER_ARG1), so the target, its flags and the zig path
# survive any CMAKE_C_FLAGS the caller sets, and the build step needs no environment.
set(CMAKE_C_COMPILER "${CMAKE_CURRENT_LIST_DIR}/zig-cc" "--mmap4j-zig=${_mmap4j_zig}"
  -target "${MMAP4J_ZIG_TARGET}" ${MMAP4J_ZIG_FLAGS})

# CMake's compiler checks link a test program. For a musl target zig links programs
# statically, which first compiles all of musl's libc.a (over 20 minutes on a busy 2-core
# machine); the library itself links against a libc.so stub. Let the checks stop at an archive.
if(MMAP4J_ZIG_TARGET MATCHES "-musl")
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
