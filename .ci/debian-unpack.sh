# Sourced (not run) by the scripts that take programs from Debian packages without
# installing them: .ci/setup-arm64-jre.sh (an arm64 JRE from the host's suite) and
# .ci/install-jdks.sh (amd64 JDKs from sid). The .debs are fetched by an apt-get with
# private lists, cache and an empty dpkg status, and unpacked with dpkg-deb -x into a
# folder of the tool cache: no dpkg --add-architecture, no new sources in /etc/apt, no
# change to the host's package database. Only the host's keyring and mirror are used.
# Debian hosts only.

. "$(dirname "${BASH_SOURCE[0]}")/../native/scripts/apt-install.sh" # apt_install CMD PKG, for the host's own tools

# deb_require_debian: refuses hosts whose apt cannot reach Debian's archive.
deb_require_debian() {
  if ! grep -qx 'ID=debian' /etc/os-release 2>/dev/null; then
    echo "${0##*/}: needs a Debian host (its apt sources and keyring are used)." >&2
    exit 1
  fi
}

# deb_mirror: the URI of the host's Debian mirror (the first source that carries suite
# main without -security), deb.debian.org if none is found.
deb_mirror() {
  local uri
  uri=$( { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
           grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'
         } | grep -v -e security -e '^$' | grep '/debian/\?$' | head -n1) || true
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# deb_private_apt DIR ARCH [SUITE]: sets the array DEB_APT to an apt-get whose state lives
# in DIR, with ARCH as the only architecture. Without SUITE it reads the host's sources;
# with SUITE, only that suite's main component on the host's mirror.
deb_private_apt() {
  local dir=$1 arch=$2 suite=${3:-}
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/sources"
  : > "$dir/status"
  DEB_APT=(apt-get -q
    -o APT::Architecture="$arch" -o APT::Architectures::="$arch"
    -o Dir::State::Lists="$dir/lists" -o Dir::State::status="$dir/status"
    -o Dir::Cache="$dir/cache" -o Debug::NoLocking=true -o Acquire::Languages=none
    -o APT::Sandbox::User="$(id -un)")
  if [ -n "$suite" ]; then
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$(deb_mirror)" "$suite" > "$dir/sources/$suite.sources"
    DEB_APT+=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$dir/sources")
  fi
}

# deb_unpack ROOT PKG...: downloads the packages with DEB_APT (after "${DEB_APT[@]}" update)
# and unpacks each into ROOT. Prints the .deb file names (name_version_arch) on stdout.
deb_unpack() {
  local root=$1 debs deb
  shift
  debs=$(mktemp -d)
  (cd "$debs" && "${DEB_APT[@]}" download "$@" >&2)
  mkdir -p "$root"
  for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$root"
    basename "$deb"
  done
  rm -rf "$debs"
}

# deb_relink ROOT: absolute symlinks whose target was unpacked into ROOT (a JDK's links into
# /etc/java-N-openjdk, say) become relative, so they stay inside ROOT wherever it lies and
# never reach the host's files of the same name. Links to what was not unpacked are left
# (lib/security/cacerts -> /etc/ssl/certs/java/cacerts: only TLS needs it).
deb_relink() {
  local root=$1 link target
  while IFS= read -r -d '' link; do
    target=$(readlink "$link")
    if [ -e "$root$target" ]; then
      ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$root$target")" "$link"
    fi
  done < <(find "$root" -type l -lname '/*' -print0)
}
