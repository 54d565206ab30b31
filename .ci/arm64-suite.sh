#!/usr/bin/env bash
# The linux_arm64 and linux_arm64_musl libraries run and resolved for real on this x86_64 host,
# against the jar of a -Pall-platforms build:
#  1. natives/linux_arm64_musl: every symbol resolved by musl's own aarch64 loader (ldd mode,
#     under qemu-user; nothing of the library runs);
#  2. the whole Surefire suite on Debian's arm64 JDK 17 under qemu-user, loading
#     natives/linux_arm64 through the normal loader path, minus .ci/arm64-excludes.txt (the long
#     soaks, and what qemu-user does not emulate). The smoke suite on the arm64 JDK 8 is
#     .ci/smoke.sh's.
#
#   bash .ci/arm64-suite.sh [JAR]   # after ./mvnw -B -Pall-platforms verify (test classes compiled)
#
# Env: MMAP4J_TOOLS (tool cache, see setup-arm64-jre.sh). Debian x86_64 hosts.
set -euo pipefail
cd "$(dirname "$0")/.."

. .ci/main-jar.sh
jar=$(main_jar "${1:-}") || exit 2
[ -d target/test-classes/io/github/mmap4j ] || { echo "arm64-suite.sh: no compiled tests in target/test-classes" >&2; exit 2; }

# 1. musl's aarch64 loader (Debian's musl:arm64, in the JDK 8 root) on the musl build.
jre8=$(bash .ci/setup-arm64-jre.sh 8 | tail -n1)
root8=$(awk '{ print $3 }' <<<"$jre8")   # "qemu -L ROOT ROOT/.../java"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("natives/linux_arm64_musl/libmmap4j.so"))' \
  "$jar" "$work/libmmap4j.so" \
  || { echo "arm64-suite.sh: $jar has no natives/linux_arm64_musl/libmmap4j.so" >&2; exit 2; }
if out=$(qemu-aarch64-static -L "$root8" "$root8/lib/ld-musl-aarch64.so.1" --list "$work/libmmap4j.so" 2>&1) \
    && ! grep -q Error <<<"$out"; then
  echo "arm64-suite.sh: natives/linux_arm64_musl: every symbol resolved by musl's aarch64 loader:"
  sed 's/^/   /' <<<"$out"
else
  echo "arm64-suite.sh: musl's aarch64 loader refuses natives/linux_arm64_musl:" >&2
  sed 's/^/   /' <<<"$out" >&2
  exit 1
fi

# 2. Surefire forks the test JVM from a path, and tests start more JVMs from the same path
#    (mmap4j.testJvm): a wrapper that runs the arm64 JDK under qemu. C1 only (C2 compiling
#    under emulation costs more than it saves in short test JVMs); FORK because the default
#    posix_spawn starts the arm64 jspawnhelper, which the kernel cannot run without binfmt_misc,
#    while fork then exec starts host programs (prlimit, the wrapper) directly.
jre17=$(bash .ci/setup-arm64-jre.sh 17 | tail -n1)
jvm=$PWD/target/qemu-arm64-jdk17
mkdir -p "$jvm/bin"
printf '#!/bin/sh\nexec %s -XX:TieredStopAtLevel=1 -Djdk.lang.Process.launchMechanism=FORK "$@"\n' "$jre17" > "$jvm/bin/java"
chmod +x "$jvm/bin/java"
"$jvm/bin/java" -version 2>&1 | sed 's/^/   /'
# IpcTest's C process is the host build's ipc_helper (an x86_64 program sharing futex words
# with the emulated JVM: qemu passes futex calls to the kernel); without it those tests skip.
helper=$PWD/target/native/host/ipc_helper
[ -x "$helper" ] || helper=none
# Only the goal (no lifecycle): an initialize phase would clean target/classes/natives, which
# later steps test. The jar replaces target/classes (pom profile test-jar).
./mvnw -B -o -Dmmap4j.testJar="$jar" -Dmmap4j.testJvm="$jvm/bin/java" -Dmmap4j.ipcHelper="$helper" \
  -Dsurefire.excludesFile="$PWD/.ci/arm64-excludes.txt" \
  -Dsurefire.reportsDirectory="$PWD/target/surefire-reports-arm64" \
  surefire:test
