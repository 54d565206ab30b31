#!/usr/bin/env bash
# The smoke suite (java/test/java/io/github/mmap4j/SmokeMain.java) against the all-platforms jar,
# once on the host JVM (loads natives/linux_64) and on arm64 JVMs 17 and 8 under qemu-user
# (load natives/linux_arm64, through the normal loader path), then each arm64 output compared
# with the host's line for line (the '#' lines carry platform facts and are compared separately).
#
#   bash .ci/smoke.sh [JAR [TEST_CLASSES]]   # after ./mvnw -B -Pall-platforms verify
#
# Env: JAVA_HOME (host JVM), MMAP4J_TOOLS (tool cache, see setup-arm64-jre.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

. .ci/main-jar.sh
jar=$(main_jar "${1:-}") || exit 2
classes=${2:-target/test-classes}
[ -f "$classes/io/github/mmap4j/SmokeMain.class" ] || { echo "smoke.sh: no SmokeMain.class in $classes" >&2; exit 2; }
if ! python3 -c 'import sys, zipfile; sys.exit("natives/linux_arm64/libmmap4j.so" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$jar"; then
  echo "smoke.sh: $jar has no natives/linux_arm64/libmmap4j.so: build it with -Pall-platforms" >&2
  exit 2
fi

host_java=${JAVA_HOME:+$JAVA_HOME/bin/}java
arm_java=$(bash .ci/setup-arm64-jre.sh | tail -n1)
arm8_java=$(bash .ci/setup-arm64-jre.sh 8 | tail -n1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp=$jar:$classes
main=io.github.mmap4j.SmokeMain

run() { # name, output file, java command...
  local name=$1 out=$2 start end rc=0
  shift 2
  start=$(date +%s%N)
  "$@" -cp "$cp" "$main" "$work/$name" > "$out" 2> "$out.err" || rc=$?
  end=$(date +%s%N)
  echo "== smoke on $name: exit $rc, $(( (end - start) / 1000000 )) ms"
  sed 's/^/   /' "$out"
  if [ "$rc" -ne 0 ]; then
    sed 's/^/   stderr: /' "$out.err"
  fi
  return "$rc"
}

status=0
# shellcheck disable=SC2086 # arm_java is a command prefix (qemu, -L root, java)
run host "$work/host.out" $host_java || status=1
# C1 only: the suite is short, and C2 compiling under emulation costs more than it saves.
# shellcheck disable=SC2086
run qemu-arm64 "$work/arm.out" $arm_java -XX:TieredStopAtLevel=1 || status=1
# shellcheck disable=SC2086
run qemu-arm64-jdk8 "$work/arm-jdk8.out" $arm8_java -XX:TieredStopAtLevel=1 || status=1

grep -q '^# native natives/linux_64/' "$work/host.out" || { echo "smoke.sh: the host run did not load natives/linux_64" >&2; status=1; }
for name in qemu-arm64 qemu-arm64-jdk8; do
  out=$work/${name/qemu-arm64/arm}.out
  grep -q '^# native natives/linux_arm64/libmmap4j.so, ELF machine aarch64' "$out" \
    || { echo "smoke.sh: the $name run did not load natives/linux_arm64" >&2; status=1; }
  if diff -u --label host <(grep -v '^#' "$work/host.out") --label "$name" <(grep -v '^#' "$out"); then
    echo "== smoke: host and $name outputs identical ($(grep -c '^ok ' "$work/host.out") checks each)"
  else
    echo "smoke.sh: host and $name outputs differ (diff above)" >&2
    status=1
  fi
done
exit "$status"
