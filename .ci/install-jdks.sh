#!/usr/bin/env bash
# Installs OpenJDK 8, 11 and 21 into the tool cache, so the suite can run on every JDK
# .ci/run covers (17 and Temurin 25 are on the machine already). Idempotent: a JDK that is
# installed and still matches is not touched.
#
#   bash .ci/install-jdks.sh [NAME...]   # NAME: openjdk-8, openjdk-11, openjdk-21 (default: all)
#
# stdout: one line per JDK asked for, NAME=JAVA_HOME (JAVA_HOME is $TOOLS/jdk/NAME).
# Env: MMAP4J_TOOLS  tool cache root (default $HOME/.cache/mmap4j-tools)
#
# The JDKs are Debian sid's openjdk-N-jdk-headless (bookworm has only 17), fetched and
# unpacked with a private apt state (.ci/debian-unpack.sh): the host's apt setup and
# packages stay as they are. sid's binaries need sid's glibc, so sid's libc6 is unpacked
# beside each JDK and every ELF file of the JDK is patched (patchelf, installed on the host
# if missing) to use its loader and libraries. Each JDK is unpacked into its own root
# $TOOLS/jdk/.NAME.XXXXXX, never moved after the patch (the loader path is absolute), and
# published by switching the symlink $TOOLS/jdk/NAME to the JDK inside it.
set -euo pipefail

ALL=(openjdk-8 openjdk-11 openjdk-21)
HERE=$(dirname "${BASH_SOURCE[0]}")
. "$HERE/../native/scripts/tools-dir.sh"
. "$HERE/debian-unpack.sh"
JDKS=$TOOLS/jdk

names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
for name in "${names[@]}"; do
  case " ${ALL[*]} " in *" $name "*) ;; *)
    echo "install-jdks.sh: unknown JDK '$name' (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done

pkgs_of() { # NAME: the packages unpacked for it, which is also what its stamp records
  local n=${1#openjdk-}
  echo "openjdk-$n-jre-headless openjdk-$n-jdk-headless libc6"
}
ready() { # NAME: installed with the same packages, and its link resolves
  [ -f "$JDKS/.$1.ready" ] && [ "$(cat "$JDKS/.$1.ready")" = "$(pkgs_of "$1")" ] && [ -x "$JDKS/$1/bin/java" ]
}
todo() {
  local name
  for name in "${names[@]}"; do ready "$name" || echo "$name"; done
}
print_homes() {
  local name
  for name in "${names[@]}"; do printf '%s=%s\n' "$name" "$JDKS/$name"; done
}

if [ -z "$(todo)" ]; then
  print_homes
  exit 0
fi
if [ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]; then
  echo "install-jdks.sh: meant for Linux x86_64 hosts (elsewhere, install JDKs the usual way)." >&2
  exit 1
fi
deb_require_debian

mkdir -p "$JDKS"
# One installer at a time; the others wait and then find their JDKs ready.
exec 9>"$JDKS/.install.lock"
flock 9
mapfile -t missing < <(todo)
if [ ${#missing[@]} -eq 0 ]; then
  print_homes
  exit 0
fi

apt_install patchelf patchelf
APTDIR=$(mktemp -d "$JDKS/.apt.XXXXXX")
root=
trap 'rm -rf "$APTDIR" ${root:+"$root"}' EXIT
deb_private_apt "$APTDIR" amd64 sid
echo "install-jdks.sh: reading Debian sid's package index" >&2
"${DEB_APT[@]}" update >&2

# patch_elf ROOT JVM_DIR: every ELF file of the JDK loads sid's glibc from ROOT: executables
# get its loader as interpreter; all get its library folder first on their rpath (DT_RPATH,
# which unlike DT_RUNPATH also serves the libraries they load).
patch_elf() {
  local root=$1 jvm=$2 ld libdir f interp old
  ld=$(find "$root" -name 'ld-linux-x86-64.so.2' -type f | head -n1)
  libdir=$(dirname "$(find "$root" -name 'libc.so.6' -type f | head -n1)")
  [ -n "$ld" ] && [ "$libdir" != . ] || { echo "install-jdks.sh: no glibc in sid's libc6?" >&2; return 1; }
  while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
    if interp=$(patchelf --print-interpreter "$f" 2>/dev/null) && [ -n "$interp" ]; then
      patchelf --set-interpreter "$ld" "$f"
    fi
    old=$(patchelf --print-rpath "$f")
    patchelf --force-rpath --set-rpath "$libdir${old:+:$old}" "$f"
  done < <(find "$jvm" -type f -print0)
}

for name in "${missing[@]}"; do
  start=$SECONDS
  n=${name#openjdk-}
  root=$(mktemp -d "$JDKS/.$name.XXXXXX")
  chmod 755 "$root"
  read -r -a pkgs <<< "$(pkgs_of "$name")"
  echo "install-jdks.sh: $name: fetching ${pkgs[*]}" >&2
  debs=$(deb_unpack "$root" "${pkgs[@]}")
  jvm=$root/usr/lib/jvm/java-$n-openjdk-amd64
  [ -d "$jvm" ] || { echo "install-jdks.sh: $name: no $jvm in the packages" >&2; exit 1; }
  deb_relink "$root"
  patch_elf "$root" "$jvm"
  if ! version=$("$jvm/bin/java" -version 2>&1); then
    echo "install-jdks.sh: $name: the unpacked JDK does not start:" >&2
    printf '%s\n' "$version" >&2
    exit 1
  fi
  # Publish: the link switches atomically; then older roots of this JDK go.
  ln -sfn "${jvm#"$JDKS/"}" "$JDKS/.$name.link"
  mv -T "$JDKS/.$name.link" "$JDKS/$name"
  for old in "$JDKS/.$name".*; do
    [ "$old" = "$root" ] || [ ! -d "$old" ] || rm -rf "$old"
  done
  pkgs_of "$name" > "$JDKS/.$name.ready"
  root=
  echo "install-jdks.sh: $name ready in $(( SECONDS - start )) s: $(head -n1 <<< "$version"); from $(echo $debs)" >&2
done
print_homes
