#!/usr/bin/env bash
# A consumer's view of the built jar: installed into a throwaway local Maven repository with the
# pom users would get (the shade plugin's dependency-reduced pom), a tiny project that depends
# on io.github.mmap4j:mmap4j is built against it offline, its resolved runtime class path must be
# mmap4j alone (from the throwaway repository), and its main maps a file and reads it back.
#
#   bash .ci/consumer.sh [JAR]   # after ./mvnw -B verify (or -Pall-platforms verify)
#
# Maven plugins come from the user's own local repository, read-only behind the throwaway one
# (maven.repo.local.tail, Maven 3.9+); the two it needs beyond the build's own are fetched into
# it first (a no-op once there). Gradle is not tried: its distribution is on none of the
# registries this project's machines reach.
set -euo pipefail
cd "$(dirname "$0")/.."

. .ci/main-jar.sh
jar=$(main_jar "${1:-}") || exit 2
pom=$PWD/target/dependency-reduced-pom.xml
[ -f "$pom" ] || { echo "consumer.sh: no $pom (the shade plugin writes it at package)" >&2; exit 2; }
version=$(basename "$jar" .jar)
version=${version#mmap4j-}
mvnw=$PWD/mvnw
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repository
user_repo=${MAVEN_USER_REPO:-$HOME/.m2/repository}
INSTALL=org.apache.maven.plugins:maven-install-plugin:3.1.4
DEPENDENCY=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

"$mvnw" -B -q "$INSTALL:help" "$DEPENDENCY:help" >/dev/null
offline=(-B -o -Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="$user_repo")
"$mvnw" "${offline[@]}" -q "$INSTALL:install-file" -Dfile="$jar" -DpomFile="$pom"
echo "consumer.sh: installed $(basename "$jar") into $repo"

mkdir -p "$work/app/src/main/java/example"
cat > "$work/app/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>consumer</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>8</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency>
      <groupId>io.github.mmap4j</groupId>
      <artifactId>mmap4j</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
    </plugins>
  </build>
</project>
POM
cat > "$work/app/src/main/java/example/Main.java" <<'JAVA'
package example;

import io.github.mmap4j.MapMode;
import io.github.mmap4j.MapOptions;
import io.github.mmap4j.Mmap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

public class Main {
    public static void main(String[] args) throws Exception {
        Path file = Paths.get(args[0]);
        byte[] text = "hello from a consumer".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer map = Mmap.map(file, 0, (int) Mmap.pageSize(), MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        map.put(text);
        Mmap.force(map);
        Mmap.unmap(map);
        String back = new String(Files.readAllBytes(file), 0, text.length, StandardCharsets.US_ASCII);
        if (!back.equals("hello from a consumer")) {
            throw new AssertionError("read back '" + back + "'");
        }
        System.out.println("consumer: mapped " + Files.size(file) + " bytes, wrote and read back '" + back + "'");
    }
}
JAVA

(cd "$work/app" && "$mvnw" "${offline[@]}" -q compile "$DEPENDENCY:build-classpath" \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath.txt")
echo "consumer.sh: the consumer's runtime class path:"
printf '   %s\n' $(tr ':' ' ' < "$work/classpath.txt")
want=$repo/io/github/mmap4j/mmap4j/$version/mmap4j-$version.jar
if [ "$(cat "$work/classpath.txt")" != "$want" ]; then
  echo "consumer.sh: expected exactly $want" >&2
  exit 1
fi
"$java" -cp "$work/app/target/classes:$(cat "$work/classpath.txt")" example.Main "$work/mapped.bin"
