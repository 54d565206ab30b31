#!/usr/bin/env bash
# The first map in fresh JVMs with and without an application class-data archive (issue 27;
# docs/loading.md): mmap4j (cached library copy) and the JDK's FileChannel.map, each archived
# from a training run of its own. AppCDS dynamic archive where the JDK has it (13+), the AOT cache
# on JDK 25+. Needs a built tree (java/bench/run.sh, or ./mvnw -Pbench package) for the classes.
#
#   java/bench/cds.sh [JVMS_PER_ROW] [java ...]     default 11, JAVA_HOME's and MMAP4J_SECOND_JDK's java
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
N=${1:-11}
shift || true
JVMS=("$@")
if (( ${#JVMS[@]} == 0 )); then
  JVMS=("${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
        "${MMAP4J_SECOND_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java")
fi
JAR=$(ls "$ROOT"/target/mmap4j-*.jar | grep -v -e sources -e javadoc | head -1)
DATA=$(ls "$ROOT"/target/bench/data/bench-*.bin | head -1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# An archive takes application classes from jars only.
(cd "$ROOT/target/bench-classes" && "${JVMS[0]%/java}/jar" cf "$WORK/bench.jar" .)
CP=$WORK/bench.jar:$JAR:$(cat "$ROOT/target/bench/classpath.txt")

median() { sort -n | awk '{v[NR]=$1} END {printf "%.1f", v[int((NR+1)/2)] / 1e6}'; }

echo "| JDK | JDK FileChannel.map: default CDS, with archive (ms) | mmap4j: default CDS, with archive (ms) | gap: default, with archive (ms) |"
echo "| --- | ---: | ---: | ---: |"
for java in "${JVMS[@]}"; do
  feature=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  feature=${feature#1.}
  if (( feature < 13 )); then
    echo "| $feature | no application class-data sharing on this JDK | | |"
    continue
  fi
  opts=(-Dmmap4j.tmpdir="$WORK/lib" -Dbench.file="$DATA")
  (( feature >= 22 )) && opts+=(--enable-native-access=ALL-UNNAMED)
  "$java" "${opts[@]}" -cp "$CP" io.github.mmap4j.bench.LoadTime child > /dev/null # extracts once
  declare -A use=()
  for child in child child-jdk; do
    if (( feature >= 25 )); then
      "$java" "${opts[@]}" -XX:AOTCacheOutput="$WORK/$child.aot" -cp "$CP" io.github.mmap4j.bench.LoadTime \
        "$child" > /dev/null 2> "$WORK/$child.log"
      use[$child]=-XX:AOTCache="$WORK/$child.aot"
    else
      "$java" "${opts[@]}" -XX:ArchiveClassesAtExit="$WORK/$child.jsa" -cp "$CP" io.github.mmap4j.bench.LoadTime \
        "$child" > /dev/null 2> "$WORK/$child.log"
      use[$child]=-XX:SharedArchiveFile="$WORK/$child.jsa"
    fi
  done
  for kind in jdk mmap4j jdk-archive mmap4j-archive; do : > "$WORK/$kind.txt"; done
  for ((i = 0; i < N; i++)); do  # the four take turns, so drift hits all alike
    "$java" "${opts[@]}" -cp "$CP" io.github.mmap4j.bench.LoadTime child-jdk >> "$WORK/jdk.txt"
    "$java" "${opts[@]}" -cp "$CP" io.github.mmap4j.bench.LoadTime child >> "$WORK/mmap4j.txt"
    "$java" "${opts[@]}" "${use[child-jdk]}" -cp "$CP" io.github.mmap4j.bench.LoadTime child-jdk >> "$WORK/jdk-archive.txt"
    "$java" "${opts[@]}" "${use[child]}" -cp "$CP" io.github.mmap4j.bench.LoadTime child >> "$WORK/mmap4j-archive.txt"
  done
  jdk=$(median < "$WORK/jdk.txt"); m=$(median < "$WORK/mmap4j.txt")
  jdka=$(median < "$WORK/jdk-archive.txt"); ma=$(median < "$WORK/mmap4j-archive.txt")
  gap=$(awk -v a="$m" -v b="$jdk" 'BEGIN {printf "%+.1f", a - b}')
  gapa=$(awk -v a="$ma" -v b="$jdka" 'BEGIN {printf "%+.1f", a - b}')
  echo "| $feature | $jdk, $jdka | $m, $ma | $gap, $gapa |"
  unset use
done
