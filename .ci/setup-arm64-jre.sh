#!/usr/bin/env bash
# Provides an arm64 (aarch64) Java runtime that runs on this x86_64 Linux
# host under qemu user-mode emulation, to load and test the linux_arm64 JNI
# library for real: Java 17 from the host's Debian suite (default), or Java 8
# from Debian sid, the only suite that still has it.
#
#   bash .ci/setup-arm64-jre.sh [17|8]   # last stdout line: command prefix that runs arm64 java
#   $(bash .ci/setup-arm64-jre.sh | tail -n1) -cp classes Main
#
# Env: MMAP4J_TOOLS  tool cache root (default $HOME/.cache/mmap4j-tools)
#
# Debian hosts only (uses the host's apt sources; Ubuntu's main archive has no
# arm64). Installing openjdk-17-jre-headless:arm64 through dpkg multiarch would
# upgrade the host JDK and dozens of system packages, so instead the arm64
# .debs are fetched with a private apt state (no dpkg --add-architecture, no
# change to the host's package database) and unpacked into a private root.
# Only qemu-user-static is installed on the host.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/../native/scripts/tools-dir.sh"
. "$(dirname "${BASH_SOURCE[0]}")/debian-unpack.sh"
# Enough for the JVM to start and for java.base/NIO/JNI. Left out on purpose:
# freetype, harfbuzz, jpeg, lcms2, alsa, pcsclite (only AWT fonts/imaging,
# sound and smart cards need them).
case "${1:-17}" in
  17)
    SUITE=   # the host's own sources
    PKGS=(openjdk-17-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g gcc-12-base)
    JVM_REL=usr/lib/jvm/java-17-openjdk-arm64
    ROOT=$TOOLS/arm64-jre ;;
  8)
    # sid's JDK needs sid's glibc: a root of its own. musl's aarch64 loader rides along:
    # .ci/arm64-suite.sh resolves natives/linux_arm64_musl with it.
    SUITE=sid
    PKGS=(openjdk-8-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g musl)
    JVM_REL=usr/lib/jvm/java-8-openjdk-arm64/jre
    ROOT=$TOOLS/arm64-jre8 ;;
  *) echo "usage: $0 [17|8]" >&2; exit 2 ;;
esac
STAMP=$ROOT/.mmap4j-ready
WANT="${SUITE:+$SUITE: }${PKGS[*]}"

print_cmd() {
  printf '%s\n' "$(command -v qemu-aarch64-static) -L $ROOT $ROOT/$JVM_REL/bin/java"
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && command -v qemu-aarch64-static >/dev/null 2>&1; then
  print_cmd
  exit 0
fi

if [ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]; then
  echo "setup-arm64-jre.sh: meant for Linux x86_64 hosts (on arm64, use a native JDK)." >&2
  exit 1
fi
deb_require_debian

mkdir -p "$TOOLS"
# One installer at a time; the others wait and then take the fast path.
exec 9>"$TOOLS/.$(basename "$ROOT").lock"
flock 9
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && command -v qemu-aarch64-static >/dev/null 2>&1; then
  print_cmd
  exit 0
fi

start=$(date +%s)
apt_install qemu-aarch64-static qemu-user-static

STAGE=$(mktemp -d "$TOOLS/.arm64-jre-stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
chmod 755 "$STAGE"
# arm64 as the only architecture of a private apt state over the host's sources (or sid's main).
deb_private_apt "$STAGE/apt" arm64 "$SUITE"
echo "setup-arm64-jre.sh: fetching arm64 packages: $WANT" >&2
"${DEB_APT[@]}" update >&2
deb_unpack "$STAGE/root" "${PKGS[@]/%/:arm64}" >/dev/null
# sid's packages are merged-/usr: the loader path the JVM names (/lib/ld-linux-aarch64.so.1)
# exists only through the /lib -> usr/lib link that base-files would make.
[ -e "$STAGE/root/lib" ] || ln -s usr/lib "$STAGE/root/lib"
# The JDK's config files are absolute symlinks into /etc/java-N-openjdk, which
# the kernel would resolve on the host (amd64 config, or nothing).
deb_relink "$STAGE/root"

# Smoke test before publishing the root.
if ! qemu-aarch64-static -L "$STAGE/root" "$STAGE/root/$JVM_REL/bin/java" -version >/dev/null 2>&1; then
  echo "setup-arm64-jre.sh: the unpacked arm64 JVM does not start under qemu:" >&2
  qemu-aarch64-static -L "$STAGE/root" "$STAGE/root/$JVM_REL/bin/java" -version >&2 || true
  exit 1
fi

rm -rf "$ROOT"
mv "$STAGE/root" "$ROOT"
printf '%s\n' "$WANT" > "$STAMP"
echo "setup-arm64-jre.sh: ready in $(( $(date +%s) - start )) s ($(du -sh "$ROOT" | cut -f1)); JVM start under qemu is ~1 s, add -XX:TieredStopAtLevel=1 for short runs" >&2
print_cmd
