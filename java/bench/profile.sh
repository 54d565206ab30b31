#!/usr/bin/env bash
# Profiles one benchmark with async-profiler (issue 14): where the CPU time or the allocations of
# a case go, as a flame graph and as the frames that cost most.
#
#   java/bench/profile.sh [cpu|alloc] [JMH regex] [JMH options...]
#   java/bench/profile.sh cpu 'MapCycle.mmap4j' -p size=4096     # the default
#   java/bench/profile.sh alloc 'CallOverhead.mmap4jAdvise'
#
# async-profiler comes from Maven Central (tools.profiler:async-profiler, its native library inside
# the jar). CPU samples use the itimer event, which needs no perf_event access (works in containers
# and VMs where perf_event_paranoid is 2). Writes target/bench/profile/<benchmark>/ (collapsed stacks
# and flame graph) and prints the 25 frames with the most samples of their own and the 40 mmap4j
# frames with the most samples below them. Run java/bench/run.sh --quick once first (it builds
# the benchmarks and the data file).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
EVENT=${1:-cpu}
REGEX=${2:-MapCycle.mmap4j}
shift $(( $# >= 2 ? 2 : $# ))
[[ $# -eq 0 && $REGEX == MapCycle.mmap4j ]] && set -- -p size=4096
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
AP_VERSION=4.2
OUT=$ROOT/target/bench
AP_DIR=$OUT/async-profiler
case $(uname -m) in
  x86_64) AP_ARCH=linux-x64 ;;
  aarch64) AP_ARCH=linux-arm64 ;;
  *) echo "profile.sh: no async-profiler library for $(uname -m)" >&2; exit 2 ;;
esac
LIB=$AP_DIR/$AP_ARCH/libasyncProfiler.so
if [[ ! -f $LIB ]]; then
  ./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:$AP_VERSION -DoutputDirectory="$AP_DIR"
  (cd "$AP_DIR" && "$JAVA_HOME/bin/jar" xf "async-profiler-$AP_VERSION.jar" "$AP_ARCH/libasyncProfiler.so")
fi
JAR=$(ls "$ROOT"/target/mmap4j-*.jar | grep -v -e sources -e javadoc | head -1)
CP=$ROOT/target/bench-classes:$JAR:$(cat "$OUT/classpath.txt")
DATA=$(ls "$OUT"/data/bench-*.bin | head -1)
case $EVENT in
  cpu) AP_EVENT="event=itimer" ;;
  alloc) AP_EVENT="event=alloc" ;;
  *) echo "profile.sh: event is cpu or alloc, not $EVENT" >&2; exit 2 ;;
esac
DIR=$OUT/profile
rm -rf "$DIR"
for output in collapsed flamegraph; do
  "$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main -f 1 -wi 1 -w 2s -i 1 -r 5s "$@" \
    -prof "async:libPath=$LIB;output=$output;$AP_EVENT;dir=$DIR" -jvmArgsAppend "-Dbench.file=$DATA" \
    "$REGEX" | grep -E "^(Benchmark|[A-Za-z]+\.)" || true
done
STACKS=$(find "$DIR" -name 'collapsed-*.csv' | head -1)
echo "== $EVENT: frames with the most samples of their own ($STACKS)"
awk '{n=$NF; $NF=""; k=split($0, f, ";"); self[f[k]]+=n; total+=n} END {for (s in self) printf "%6.1f%%  %s\n", 100*self[s]/total, s}' \
  "$STACKS" | sort -rn | head -25
echo "== $EVENT: mmap4j frames, samples at or below them"
awk '{n=$NF; $NF=""; k=split($0, f, ";"); delete seen; for (i=1; i<=k; i++) if (f[i] ~ /io\/github\/mmap4j\/(internal\/)?[A-Z]/ && !(f[i] in seen)) {seen[f[i]]=1; incl[f[i]]+=n}; total+=n}
     END {for (s in incl) printf "%6.1f%%  %s\n", 100*incl[s]/total, s}' "$STACKS" | sort -rn | head -40
echo "== flame graph: $(find "$DIR" -name '*.html' | head -1)"
