#!/usr/bin/env bash
# The C tests of the POSIX layer (native/test/test_os.c, test_codes.c) built against musl with
# Debian's musl-gcc and run on this host: what the musl builds in the jar call, checked for
# behaviour and not only for symbols (glibc and musl differ in the wrappers, e.g. musl's mprotect
# rounds an unaligned start down). No JVM is involved: a musl JVM is not available here.
#
#   bash .ci/musl-ctest.sh    # after a build that ran javac -h (./mvnw compile or more)
#
# Linux x86_64 or aarch64, Debian/Ubuntu hosts: installs musl-tools, cmake and linux-libc-dev
# with apt when missing. Builds in target/native/musl-gcc.
set -euo pipefail
cd "$(dirname "$0")/.."

headers=$PWD/target/jni-headers
build=$PWD/target/native/musl-gcc
[ -f "$headers/io_github_mmap4j_internal_Native.h" ] \
  || { echo "musl-ctest.sh: no $headers/io_github_mmap4j_internal_Native.h: run ./mvnw -B compile first" >&2; exit 2; }
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

need=()
command -v musl-gcc >/dev/null 2>&1 || need+=(musl-tools)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
[ -d /usr/include/linux ] || need+=(linux-libc-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "musl-ctest.sh: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet: update only if the install fails.
  apt-get install -y -q --no-install-recommends "${need[@]}" >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
fi

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
cmake --build "$build" --target test_os test_codes -j 2 >/dev/null
# The binaries must really be musl's: their interpreter is musl's loader.
interp=$(readelf -l -W "$build/test_os" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
case "$interp" in
  */ld-musl-*) echo "musl-ctest.sh: test_os runs on $interp (musl $(dpkg-query -W -f '${Version}' musl 2>/dev/null || echo "?"))" ;;
  *) echo "musl-ctest.sh: test_os is not a musl program (interpreter '${interp:-none}')" >&2; exit 1 ;;
esac
ctest --test-dir "$build" --output-on-failure
