#!/usr/bin/env bash
# Builds and runs mmap4j's benchmarks (issue 7) and writes target/bench/results.md.
#
#   java/bench/run.sh           the full run (about 25 minutes on 2 cores)
#   java/bench/run.sh --quick   every case once, briefly: proves the benchmarks build and run (CI)
#   java/bench/run.sh --pagecache   case 9 only (issue 17: page-cache residency against fincore and
#                                   vmtouch, target/bench/pagecache.md); combines with --quick
#
# Environment: JAVA_HOME (default JDK 17) runs the JDK 17 rows, MMAP4J_SECOND_JDK (default
# Temurin 25) the JDK 25 and FFM rows, MMAP4J_JDK8 (default the tool cache's OpenJDK 8; skipped
# when absent) the JDK 8 rows of the IPC cases and of the load time. Nothing here judges the numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${MMAP4J_SECOND_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDK8=${MMAP4J_JDK8:-$HOME/.cache/mmap4j-tools/jdk/openjdk-8}

QUICK=0
ONLY_PAGECACHE=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --pagecache) ONLY_PAGECACHE=1 ;;
    *) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

# Recorded parameters (they go into the report).
if (( QUICK )); then
  FILE_SIZE=$((256 << 20)); FORKS=1; WARMUPS=1; WARMUP_TIME=100ms; ITERATIONS=1; ITERATION_MS=100
  C_ITERATION_MS=100; LOAD_SAMPLES=3; SPARSE_CACHED=$((64 << 20)); TOOL_RUNS=1; SYSCALL_CYCLES=10000
  CYCLE_PAIRS=1; CYCLE_COUNT=2000
else
  FILE_SIZE=$((1 << 30)); FORKS=2; WARMUPS=2; WARMUP_TIME=1s; ITERATIONS=3; ITERATION_MS=1000
  C_ITERATION_MS=1000; LOAD_SAMPLES=11; SPARSE_CACHED=$((1 << 30)); TOOL_RUNS=11; SYSCALL_CYCLES=1000000
  CYCLE_PAIRS=5; CYCLE_COUNT=200000
fi
ITERATION_TIME=${ITERATION_MS}ms
SIZES=4096,1048576,268435456
# Issue 16: appends of APPEND_BYTES in 64 KiB records, one timed append per operation, on a tmpfs by
# default (MMAP4J_APPEND_DIR for another file system): the page cache's cost, not the disk's.
APPEND_DIR=${MMAP4J_APPEND_DIR:-/dev/shm}
if (( QUICK )); then
  APPEND_BYTES=$((64 << 20)); APPEND_WARMUPS=1; APPEND_OPS=1
else
  APPEND_BYTES=$((1 << 30)); APPEND_WARMUPS=2; APPEND_OPS=6
fi

OUT=$ROOT/target/bench
DATA=$OUT/data/bench-$FILE_SIZE.bin
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT"/results.md

echo "== build (./mvnw -Pbench): library jar, C baseline, JMH classes for JDK 17 and JDK 25"
./mvnw -B -q -Pbench -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -Dmmap4j.jdk25="$JDK25" package

JAR=$(ls "$ROOT"/target/mmap4j-*.jar | grep -v -e sources -e javadoc | head -1)
DEPS=$(cat "$OUT/classpath.txt")
CP17=$ROOT/target/bench-classes:$JAR:$DEPS
CP25=$ROOT/target/bench-ffm-classes:$JAR:$DEPS
CP8=$ROOT/target/bench-8-classes:$JAR:$DEPS
BASELINE=$ROOT/target/native/bench/mmap4j_baseline
GROWABLE=$ROOT/target/native/bench/mmap4j_growable

echo "== data: $DATA ($FILE_SIZE bytes) on $(findmnt -n -o FSTYPE -T "$OUT" | head -1)"
"$JAVA_HOME/bin/java" -cp "$CP17" -Dbench.file="$DATA" io.github.mmap4j.bench.Fixture create "$FILE_SIZE"

{
  echo "quick=$QUICK"
  echo "cores=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "kernel=$(uname -sr)"
  echo "memory=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "jdk17=$("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
  echo "jdk25=$("$JDK25/bin/java" -version 2>&1 | sed -n 2p)"
  [[ -x "$JDK8/bin/java" ]] && echo "jdk8=$("$JDK8/bin/java" -version 2>&1 | sed -n 2p)"
  echo "cc=$(cc --version | head -1)"
  echo "filesystem=$(findmnt -n -o FSTYPE -T "$OUT" | head -1)"
  echo "file_size=$FILE_SIZE"
  echo "jmh=-f $FORKS -wi $WARMUPS -w $WARMUP_TIME -i $ITERATIONS -r $ITERATION_TIME -prof gc"
  echo "jmh_measured_ms=$((FORKS * ITERATIONS * ITERATION_MS))"
  echo "c=$WARMUPS warm-up and $((FORKS * ITERATIONS)) measured iterations of $C_ITERATION_MS ms"
  echo "load_samples=$LOAD_SAMPLES"
  echo "cycle_pairs=$CYCLE_PAIRS"
  echo "append=$APPEND_BYTES bytes in 64 KiB records on $(findmnt -n -o FSTYPE -T "$APPEND_DIR" | head -1) ($APPEND_DIR), $APPEND_WARMUPS warm-up and $APPEND_OPS measured appends"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

JMH_ARGS=(-f "$FORKS" -wi "$WARMUPS" -w "$WARMUP_TIME" -i "$ITERATIONS" -r "$ITERATION_TIME" -prof gc -foe true)

# Case 9 (issue 17): PageCache.stats by cachestat and by its mincore path (JMH), then fincore and
# vmtouch wall times on the same files in the same states, into pagecache.md.
pagecache() {
  local props=(-Dbench.file="$DATA" -Dbench.sparse="$OUT/data/sparse-64g.bin" -Dbench.sparseCached="$SPARSE_CACHED"
    -Dbench.tree="$OUT/data/tree-10k")
  echo "== page-cache residency: a $FILE_SIZE-byte file, a 64 GiB sparse file, 10,000 files"
  "$JAVA_HOME/bin/java" -cp "$CP17" "${props[@]}" io.github.mmap4j.bench.PageCacheBench create
  "$JAVA_HOME/bin/java" -cp "$CP17" org.openjdk.jmh.Main -f "$FORKS" -wi "$WARMUPS" -w "$WARMUP_TIME" \
    -i "$ITERATIONS" -r "$ITERATION_TIME" -foe true -jvmArgsAppend "${props[*]}" -rf csv \
    -rff "$OUT/pagecache-jdk17.csv" '^io\.github\.mmap4j\.bench\.PageCacheBench\.' > "$OUT/pagecache-jdk17.log"
  tail -n 8 "$OUT/pagecache-jdk17.log"
  "$JAVA_HOME/bin/java" -cp "$CP17" "${props[@]}" io.github.mmap4j.bench.PageCacheBench tools \
    "$OUT/pagecache-tools.csv" "$TOOL_RUNS"
  (( ONLY_PAGECACHE )) && echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
  "$JAVA_HOME/bin/java" -cp "$CP17" "${props[@]}" io.github.mmap4j.bench.PageCacheBench report \
    "$OUT/pagecache-jdk17.csv" "$OUT/pagecache-tools.csv" "$OUT/machine.txt" "$OUT/pagecache.md" > /dev/null
  echo "== wrote $OUT/pagecache.md"
}
if (( ONLY_PAGECACHE )); then
  pagecache
  exit 0
fi

echo "== C baseline"
"$BASELINE" "$DATA" "$OUT/c.csv" "$WARMUPS" $((FORKS * ITERATIONS)) "$C_ITERATION_MS" "$SIZES" 2> "$OUT/c.log"

echo "== growable append (issue 16): C, then JMH GrowAppend on JDK 17"
"$GROWABLE" "$APPEND_DIR" "$OUT/growable-c.csv" "$APPEND_WARMUPS" "$APPEND_OPS" "$APPEND_BYTES" 2> "$OUT/growable-c.log"
grep -v warmup "$OUT/growable-c.log"
"$JAVA_HOME/bin/java" -cp "$CP17" org.openjdk.jmh.Main -bm ss -f 1 -wi "$APPEND_WARMUPS" -i "$APPEND_OPS" -foe true \
  -jvmArgsAppend "-Dbench.appendDir=$APPEND_DIR -Dbench.appendBytes=$APPEND_BYTES" -rf csv \
  -rff "$OUT/growable-jdk17.csv" '^io\.github\.mmap4j\.bench\.GrowAppend\.' > "$OUT/growable-jdk17.log"
tail -n 8 "$OUT/growable-jdk17.log"

echo "== JMH on JDK 17"
"$JAVA_HOME/bin/java" -cp "$CP17" org.openjdk.jmh.Main "${JMH_ARGS[@]}" \
  -jvmArgsAppend "-Dbench.file=$DATA" -rf csv -rff "$OUT/jdk17.csv" \
  '^io\.github\.mmap4j\.bench\.(MapCycle|SeqRead|RandomRead|Residency|CallOverhead)\.' > "$OUT/jdk17.log"
tail -n 40 "$OUT/jdk17.log"

if [[ -x "$JDK8/bin/java" ]]; then
  echo "== JMH on JDK 8 (cases 1-5 again: the JVM legacy users run)"
  # Not -foe true here: JDK 8's FileChannel.map dropped without a collection keeps every mapping
  # until vm.max_map_count, and then the JVM itself dies (its own heap commit fails with ENOMEM).
  # That death is a result, not a broken run: the report names the forks that died.
  "$JDK8/bin/java" -cp "$CP8" org.openjdk.jmh.Main "${JMH_ARGS[@]/%true/false}" \
    -jvmArgsAppend "-Dbench.file=$DATA" -rf csv -rff "$OUT/jdk8.csv" \
    '^io\.github\.mmap4j\.bench\.(MapCycle|SeqRead|RandomRead|Residency|CallOverhead)\.' > "$OUT/jdk8.log"
  tail -n 40 "$OUT/jdk8.log"
  died=$(awk '/^# Benchmark: /{b=$3; sub(/.*bench\./, "", b)} /^# Parameters: /{p=$NF; sub(/\)/, "", p)}
    /<forked VM failed/{printf "%s/%s ", b, p}' "$OUT/jdk8.log")
  if [[ -n $died ]]; then
    echo "jdk8_died=$died" >> "$OUT/machine.txt"
    mv -f hs_err_pid*.log replay_pid*.log "$OUT/" 2> /dev/null || true  # the evidence, out of the tree
  fi
  for fork in $died; do
    # Only the JDK's own contenders (methods named jdk...) may die: an mmap4j benchmark never may.
    if [[ $fork != *.jdk* ]]; then
      echo "run.sh: a JDK 8 fork of $fork died: mmap4j must never crash the JVM (see $OUT/jdk8.log)" >&2
      exit 1
    fi
  done
else
  echo "== no JDK 8 at $JDK8 (MMAP4J_JDK8): the JDK 8 rows are skipped"
fi

# System calls per map+unmap cycle over SYSCALL_CYCLES cycles minus a run of none (the JVM's own
# start and exit), for mmap4j and the JDK's FileChannel.map (issue 14): perf's syscall tracepoints
# where perf works (cheap), else strace -f -c (slow: a tenth of the cycles).
counter=()
if perf stat -e 'syscalls:sys_enter_mmap' -o /dev/null true > /dev/null 2>&1; then
  counter=(perf stat -x, -e 'syscalls:sys_enter_*' -o)
elif command -v strace > /dev/null; then
  counter=(strace -f -c -o)
  SYSCALL_CYCLES=$((SYSCALL_CYCLES / 10))
fi
if (( ${#counter[@]} )); then
  echo "== system calls per map+unmap cycle (${counter[0]}, $SYSCALL_CYCLES cycles)"
  echo "syscall_counter=${counter[0]} over $SYSCALL_CYCLES cycles" >> "$OUT/machine.txt"
  report_args=()
  for who in mmap4j jdk; do
    for n in "$SYSCALL_CYCLES" 0; do
      "${counter[@]}" "$OUT/syscalls-$who-$n.txt" "$JAVA_HOME/bin/java" -cp "$CP17" -Dbench.file="$DATA" \
        io.github.mmap4j.bench.SyscallCount cycle "$who" "$n" > /dev/null
    done
    report_args+=("$who=$OUT/syscalls-$who-$SYSCALL_CYCLES.txt,$OUT/syscalls-$who-0.txt,$SYSCALL_CYCLES")
  done
  "$JAVA_HOME/bin/java" -cp "$CP17" io.github.mmap4j.bench.SyscallCount report "$OUT/syscalls.csv" "${report_args[@]}"
  cat "$OUT/syscalls.csv"
else
  echo "== neither perf nor strace: system calls per cycle are not counted"
fi

echo "== JMH on JDK 25 (FFM, and mmap4j / MappedByteBuffer again on the same JVM)"
"$JDK25/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP25" org.openjdk.jmh.Main "${JMH_ARGS[@]}" \
  -jvmArgsAppend "-Dbench.file=$DATA --enable-native-access=ALL-UNNAMED" -rf csv -rff "$OUT/jdk25.csv" \
  '^io\.github\.mmap4j\.bench\.(MapCycle|SeqRead|RandomRead|Ffm)\.' > "$OUT/jdk25.log"
tail -n 40 "$OUT/jdk25.log"

# Issue 15: ping-pong round trips between two processes (C's are in c.csv), and single-thread
# atomics against AtomicLong (JMH), on each JDK.
ipc() { # <jdk label> <java> <class path> <JMH regex> [JVM options...]
  local label=$1 java=$2 cp=$3 regex=$4
  shift 4
  local jmh_jvm=()
  (( $# )) && jmh_jvm=(-jvmArgsAppend "$*")
  echo "== IPC on JDK $label: ping-pong (C's just before and just after), then atomics (JMH)"
  # A round trip is mostly the machine's cross-CPU wake-up, which on a VM drifts by 2x within
  # minutes: the report compares each JDK's round trips with C's taken around them.
  "$BASELINE" --pingpong "$OUT/pingpong-c-before-jdk$label.csv" "$WARMUPS" $((FORKS * ITERATIONS)) \
    "$C_ITERATION_MS" 2> "$OUT/pingpong-c-before-jdk$label.log"
  "$java" "$@" -cp "$cp" io.github.mmap4j.bench.PingPong "$OUT/pingpong-jdk$label.csv" "$WARMUPS" \
    $((FORKS * ITERATIONS)) "$C_ITERATION_MS" spin yield futex tcp unix 2> "$OUT/pingpong-jdk$label.log"
  "$BASELINE" --pingpong "$OUT/pingpong-c-after-jdk$label.csv" "$WARMUPS" $((FORKS * ITERATIONS)) \
    "$C_ITERATION_MS" 2> "$OUT/pingpong-c-after-jdk$label.log"
  grep -v warmup "$OUT/pingpong-jdk$label.log" | tail -n 20
  "$java" "$@" -cp "$cp" org.openjdk.jmh.Main "${JMH_ARGS[@]}" "${jmh_jvm[@]}" -rf csv \
    -rff "$OUT/atomics-jdk$label.csv" "$regex" > "$OUT/atomics-jdk$label.log"
  tail -n 12 "$OUT/atomics-jdk$label.log"
}
ipc 17 "$JAVA_HOME/bin/java" "$CP17" '^io\.github\.mmap4j\.bench\.(AtomicsBench|AtomicsRaw)\.'
ipc 25 "$JDK25/bin/java" "$CP25" '^io\.github\.mmap4j\.bench\.(AtomicsBench|AtomicsRaw)\.' \
  --enable-native-access=ALL-UNNAMED
if [[ -x "$JDK8/bin/java" ]]; then
  ipc 8 "$JDK8/bin/java" "$CP8" '^io\.github\.mmap4j\.bench\.AtomicsBench\.'
else
  echo "== no JDK 8 at $JDK8 (MMAP4J_JDK8): the IPC cases' JDK 8 rows are skipped"
fi

pagecache

echo "== library load (fresh JVMs)"
rm -rf "$OUT/load"
mkdir -p "$OUT/load"
# mmap4j fresh, mmap4j cached and the JDK's own FileChannel.map alternate, each a fresh JVM; JDK 8's
# children run from the release-8 classes.
LOAD_JVMS=("$JAVA_HOME/bin/java" "$JDK25/bin/java")
[[ -x "$JDK8/bin/java" ]] && LOAD_JVMS=("$JDK8/bin/java" "${LOAD_JVMS[@]}")
"$JAVA_HOME/bin/java" -cp "$CP17" -Dbench.file="$DATA" -Dbench.classpath8="$CP8" io.github.mmap4j.bench.LoadTime \
  "$OUT/load.csv" "$LOAD_SAMPLES" "$OUT/load" "${LOAD_JVMS[@]}"

echo "== map + read 1 byte + unmap, 4 KiB, each contender in its own JVM (issue 27)"
# Alternating pairs of fresh JVMs (mmap4j, the JDK's FileChannel.map): each pays for its own unmapping.
"$JAVA_HOME/bin/java" -cp "$CP17" -Dbench.file="$DATA" -Dbench.classpath8="$CP8" io.github.mmap4j.bench.CycleJvm \
  "$OUT/cycle.csv" "$CYCLE_PAIRS" "$CYCLE_COUNT" "${LOAD_JVMS[@]}"

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
"$JAVA_HOME/bin/java" -cp "$CP17" io.github.mmap4j.bench.Report "$OUT"
echo "== wrote $OUT/results.md"
