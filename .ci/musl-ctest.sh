#!/usr/bin/env bash
# The C tests of the POSIX layer (native/test/test_*.c) built against musl with
# Debian's musl-gcc and run on this host: what the musl builds in the jar call, checked for
# behaviour and not only for symbols (glibc and musl differ in the wrappers, e.g. musl's mprotect
# rounds an unaligned start down). No JVM is involved: a musl JVM is not available here.
#
#   bash .ci/musl-ctest.sh    # after a build that ran javac -h (./mvnw compile or more)
#
# Linux x86_64 or aarch64, Debian/Ubuntu hosts: installs musl-tools, cmake and linux-libc-dev
# with apt when missing (native/scripts/apt-install.sh). Builds in target/native/musl-gcc.
set -euo pipefail
cd "$(dirname "$0")/.."

headers=$PWD/target/jni-headers
build=$PWD/target/native/musl-gcc
[ -f "$headers/io_github_mmap4j_Native.h" ] \
  || { echo "musl-ctest.sh: no $headers/io_github_mmap4j_Native.h: run ./mvnw -B compile first" >&2; exit 2; }
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

. native/scripts/apt-install.sh
apt_install musl-gcc musl-tools
apt_install cmake cmake
# The kernel's headers are no command: a name that never is makes apt_install install them.
[ -d /usr/include/linux ] || apt_install /usr/include/linux/mman.h linux-libc-dev

# musl-gcc sees musl's headers only, and the shim includes kernel ones (linux/mman.h,
# linux/falloc.h). Give it the host's kernel headers alone, not glibc's next to them.
kernel=$build/kernel-headers
multiarch=$(gcc -dumpmachine 2>/dev/null || echo "$(uname -m)-linux-gnu")
mkdir -p "$kernel"
ln -sfn /usr/include/linux "$kernel/linux"
ln -sfn /usr/include/asm-generic "$kernel/asm-generic"
ln -sfn "/usr/include/$multiarch/asm" "$kernel/asm"

cmake -S native -B "$build" -DCMAKE_C_COMPILER=musl-gcc "-DCMAKE_C_FLAGS=-isystem $kernel" \
  -DCMAKE_BUILD_TYPE=Release -DMMAP4J_JNI_HEADERS="$headers" -DMMAP4J_JAVA_HOME="$java_home" \
  -DMMAP4J_OUTPUT_DIR="$build/out" >/dev/null
cmake --build "$build" -j 2 >/dev/null
# The binaries must really be musl's: their interpreter is musl's loader.
interp=$(readelf -l -W "$build/test_os" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
case "$interp" in
  */ld-musl-*) echo "musl-ctest.sh: test_os runs on $interp (musl $(dpkg-query -W -f '${Version}' musl 2>/dev/null || echo "?"))" ;;
  *) echo "musl-ctest.sh: test_os is not a musl program (interpreter '${interp:-none}')" >&2; exit 1 ;;
esac
ctest --test-dir "$build" --output-on-failure
