# Sourced (not run) by the .ci scripts that test the built jar.
# main_jar [JAR]: prints JAR, or else the one main jar in target/ (not -sources, -javadoc or
# -tests), as an absolute path; fails with a hint when there is none. Use as
#   jar=$(main_jar "${1:-}") || exit 2
main_jar() {
  local jar=${1:-} f
  if [ -z "$jar" ]; then
    for f in target/mmap4j-*.jar; do
      case "$f" in *-sources.jar|*-javadoc.jar|*-tests.jar) ;; *) jar=$f ;; esac
    done
  fi
  if [ ! -f "$jar" ]; then
    echo "${0##*/}: no jar${jar:+ at $jar} (build with ./mvnw -B -Pall-platforms verify)" >&2
    return 2
  fi
  realpath "$jar"
}
