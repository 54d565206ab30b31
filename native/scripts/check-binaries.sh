#!/usr/bin/env bash
# Checks the cross-built JNI libraries without running them: the things that
# otherwise only show up as an UnsatisfiedLinkError on a user's machine
# (too-new glibc symbol, stray dependency, wrong arch, absolute install name,
# broken arm64 signature, extra exported symbols, a musl build that needs glibc).
#
#   native/scripts/check-binaries.sh [--require-all] DIR|JAR
#
# DIR holds natives/{linux_64,linux_arm64,linux_64_musl,linux_arm64_musl,osx_64,
# osx_arm64}/libmmap4j.{so,dylib} (e.g. target/classes); a jar with that layout
# works too. Each library present is checked; --require-all also fails when one
# of the six is missing. The only thing run: on a Linux x86_64 host, musl's own
# dynamic loader resolves every symbol of the x86_64 musl build (ldd mode,
# nothing of the library executes). Installs binutils, llvm (llvm-objdump) and
# musl (its loader) with apt when missing.
set -euo pipefail

LIB=mmap4j
GLIBC_MAX=2.17
MACOS_MIN_MAX=11.0
# Exports allowed besides JNI_OnLoad (natives are bound with RegisterNatives).
OPTIONAL_EXPORTS="JNI_OnUnload"
LINUX_NEEDED_OK=" libc.so.6 libpthread.so.0 librt.so.1 libdl.so.2 ld-linux-x86-64.so.2 ld-linux-aarch64.so.1 "
# musl is one library: its loader answers to libc.so (what zig links against) for itself.
MUSL_NEEDED_OK=" libc.so "
MUSL_LOADER=/lib/ld-musl-x86_64.so.1

usage() { echo "usage: $0 [--require-all] DIR|JAR" >&2; exit 2; }
require_all=false
dir=
while [ $# -gt 0 ]; do
  case "$1" in
    --require-all) require_all=true ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) [ -z "$dir" ] || usage; dir=$1 ;;
  esac
  shift
done
[ -n "$dir" ] || usage

if [ -f "$dir" ]; then
  # A jar: look at exactly what ships.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$dir" 'natives/*' -d "$tmp" 2>/dev/null || true
  else
    python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith("natives/")])' "$dir" "$tmp"
  fi
  dir=$tmp
elif [ ! -d "$dir" ]; then
  echo "check-binaries: '$dir' is neither a directory nor a jar" >&2
  exit 2
fi

. "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"

READELF=
need_readelf() {
  [ -n "$READELF" ] && return
  apt_install readelf binutils
  READELF=readelf
}

OBJDUMP=
need_objdump() {
  [ -n "$OBJDUMP" ] && return
  local c
  # Debian's `llvm` package owns /usr/bin/llvm-objdump (-> llvm-NN); versioned
  # names come from llvm-NN; Xcode's objdump is llvm-objdump too.
  for c in llvm-objdump llvm-objdump-{21,20,19,18,17,16,15,14} /usr/lib/llvm-*/bin/llvm-objdump objdump; do
    if command -v "$c" >/dev/null 2>&1 && "$c" --version 2>/dev/null | grep -q LLVM; then
      OBJDUMP=$c; return
    fi
  done
  apt_install llvm-objdump llvm
  OBJDUMP=llvm-objdump
}

fail=0
errors=()
rows=()
err() { errors+=("$1: $2"); fail=1; }

# Verifies the ad-hoc signature's page hashes: a post-link strip or any other
# edit leaves LC_CODE_SIGNATURE in place but makes macOS kill the process on load.
verify_codesign() {
  python3 - "$1" <<'PY'
import hashlib, struct, sys
p = sys.argv[1]
d = open(p, 'rb').read()
ncmds = struct.unpack_from('<I', d, 16)[0]
off, sig = 32, None
for _ in range(ncmds):
    cmd, size = struct.unpack_from('<II', d, off)
    if cmd == 0x1d:  # LC_CODE_SIGNATURE
        sig = struct.unpack_from('<II', d, off + 8)
    off += size
if sig is None:
    sys.exit('no LC_CODE_SIGNATURE')
sb = d[sig[0]:sig[0] + sig[1]]
magic, _, count = struct.unpack_from('>III', sb, 0)
if magic != 0xfade0cc0:
    sys.exit('bad SuperBlob magic %#x' % magic)
for i in range(count):
    slot, o = struct.unpack_from('>II', sb, 12 + 8 * i)
    if slot != 0:
        continue
    magic, _, _, _, hoff, _, _, nslots, limit = struct.unpack_from('>9I', sb, o)
    hsize, htype, _, pshift = struct.unpack_from('>BBBB', sb, o + 36)
    if magic != 0xfade0c02 or htype not in (1, 2):
        sys.exit('unexpected CodeDirectory (magic %#x, hash type %d)' % (magic, htype))
    if limit != sig[0]:
        sys.exit('signature covers %d bytes, code ends at %d' % (limit, sig[0]))
    algo = hashlib.sha1 if htype == 1 else hashlib.sha256
    ps = 1 << pshift
    for n in range(nslots):
        want = sb[o + hoff + n * hsize:o + hoff + (n + 1) * hsize]
        if algo(d[n * ps:min((n + 1) * ps, limit)]).digest()[:hsize] != want:
            sys.exit('page %d hash mismatch: modified after signing' % n)
    sys.exit(0)
sys.exit('no CodeDirectory')
PY
}

check_exports() { # platform, actual exports (space separated), prefix
  local t=$1 got=$2 pre=$3 s extra=()
  [[ " $got " == *" ${pre}JNI_OnLoad "* ]] || err "$t" "does not export ${pre}JNI_OnLoad"
  for s in $got; do
    case " ${pre}JNI_OnLoad ${OPTIONAL_EXPORTS/#/$pre} " in
      *" $s "*) ;;
      *) extra+=("$s") ;;
    esac
  done
  if [ ${#extra[@]} -gt 0 ]; then
    err "$t" "exports ${#extra[@]} unexpected symbol(s): $(short_list "${extra[@]}") (only ${pre}JNI_OnLoad/${pre}JNI_OnUnload may be exported: hide the rest, -fvisibility=hidden / static)"
  fi
}

size_of() { wc -c < "$1" | tr -d ' '; }

short_list() { # at most 8 names, then a count
  if [ $# -le 8 ]; then echo "$*"; else echo "${*:1:8} ... (+$(( $# - 8 )) more)"; fi
}

check_linux() { # platform, file, machine, libc (glibc|musl)
  local t=$1 f=$2 machine=$3 libc=$4 hdr dyn max needed n exports undef checks=-
  need_readelf
  hdr=$("$READELF" -h "$f" 2>&1) || { err "$t" "not an ELF file"; rows+=("| $t | $(size_of "$f") | - | - | - | - |"); return; }
  grep -q 'Class:[[:space:]]*ELF64' <<<"$hdr" || err "$t" "not ELF64"
  grep -q 'Type:[[:space:]]*DYN' <<<"$hdr" || err "$t" "not a shared object (ELF type DYN)"
  grep -q "Machine:[[:space:]]*$machine\$" <<<"$hdr" || err "$t" "wrong machine: $(sed -n 's/.*Machine:[[:space:]]*//p' <<<"$hdr") (want $machine)"

  # Highest GLIBC_x.y any symbol needs: loading fails on older glibc.
  max=$("$READELF" -V -W "$f" | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } | sed 's/GLIBC_//' | sort -V | tail -n1)
  max=${max:-none}
  if [ "$libc" = musl ]; then
    # musl has no symbol versions: a GLIBC_ version can only bind to glibc.
    [ "$max" = none ] || err "$t" "a musl build that needs glibc symbol versions: $("$READELF" --dyn-syms -W "$f" | grep -oE '[A-Za-z0-9_]+@GLIBC_[0-9.]+' | tr '\n' ' ')"
  elif [ "$max" != none ] && [ "$(printf '%s\n%s\n' "$max" "$GLIBC_MAX" | sort -V | tail -n1)" != "$GLIBC_MAX" ]; then
    err "$t" "needs GLIBC_$max (> $GLIBC_MAX): $("$READELF" --dyn-syms -W "$f" | grep -oE "[A-Za-z0-9_]+@GLIBC_$max" | tr '\n' ' ')"
  fi
  if "$READELF" -V -W "$f" | grep -qE 'GLIBCXX_|CXXABI_|GCC_[0-9]'; then
    err "$t" "depends on libstdc++/libgcc_s symbol versions"
  fi

  needed=$("$READELF" -d -W "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  for n in $needed; do
    if [ "$libc" = musl ]; then
      [[ "$MUSL_NEEDED_OK" == *" $n "* ]] || err "$t" "NEEDED $n (a musl build may need only libc.so)"
    else
      [[ "$LINUX_NEEDED_OK" == *" $n "* ]] || err "$t" "NEEDED $n (only glibc's libc/libpthread/librt/libdl/ld-linux allowed)"
    fi
  done

  dyn=$("$READELF" --dyn-syms -W "$f")
  # Defined (Ndx not UND), global/weak, default/protected visibility = exported.
  exports=$(awk '$1 ~ /^[0-9]+:$/ && $7 != "UND" && ($5 == "GLOBAL" || $5 == "WEAK" || $5 == "UNIQUE") && ($6 == "DEFAULT" || $6 == "PROTECTED") && $4 != "SECTION" && $4 != "FILE" { sub(/@.*/, "", $8); print $8 }' <<<"$dyn" | sort -u | tr '\n' ' ')
  exports=${exports% }
  check_exports "$t" "$exports" ""
  if [ "$libc" = musl ]; then
    check_musl "$t" "$f" "$machine" "$dyn"
  else
    # A non-weak undefined symbol without a version binds to nothing we link
    # (e.g. shm_open without -lrt on glibc < 2.34): fails at load on old hosts.
    undef=$(awk '$1 ~ /^[0-9]+:$/ && $7 == "UND" && $5 == "GLOBAL" && $8 != "" && $8 !~ /@/ { print $8 }' <<<"$dyn" | tr '\n' ' ')
    [ -z "$undef" ] || err "$t" "unversioned undefined symbols (missing library?): $undef"
  fi
  # An executable-stack request makes glibc >= 2.41 refuse dlopen and older ones
  # flip the whole JVM's stacks to executable.
  if "$READELF" -l -W "$f" | awk '$1 == "GNU_STACK" { exit ($7 ~ /E/ ? 0 : 1) }'; then
    err "$t" "requests an executable stack (GNU_STACK RWE)"
  fi
  if [ "$libc" = musl ]; then
    max="musl (no symbol versions)"
  elif [ "$max" != none ]; then
    max=GLIBC_$max
  fi
  # shellcheck disable=SC2086 # split the symbol and library lists into arguments
  rows+=("| $t | $(size_of "$f") | $max | $(short_list $needed) | $(short_list $exports) | $checks |")
}

# check_musl PLATFORM FILE MACHINE DYNSYMS: what a musl build must not carry beyond the checks
# above; sets the caller's (check_linux's) "checks", the table's last cell.
check_musl() {
  local t=$1 f=$2 machine=$3 dyn=$4 bad cell=() out
  # libgcc's outline-atomics helpers read the CPU's features through __getauxval, which
  # crashed netty's musl aarch64 library at load; no helper or auxv reader may be linked.
  bad=$(awk '$1 ~ /^[0-9]+:$/ { sub(/@.*/, "", $8); print $8 }' <<<"$dyn" \
    | grep -E '^(__aarch64_|__getauxval$|getauxval$|__aarch64_have_lse_atomics$)' | tr '\n' ' ' || true)
  [ -z "$bad" ] || err "$t" "outline-atomics helpers or getauxval in the dynamic symbols: $bad"
  if [ "$machine" = AArch64 ]; then
    # The target is plain ARMv8.0, so compiled code never uses LSE atomics (casal, ldaddal,
    # swpal, ...): only an outline-atomics helper, which holds both forms, brings them in.
    # The library is stripped, so look at the code rather than at names.
    need_objdump
    bad=$("$OBJDUMP" -d --no-show-raw-insn --mattr=+lse "$f" \
      | awk '$2 ~ /^(cas|casp|ldadd|ldclr|ldeor|ldset|ldsmax|ldsmin|ldumax|ldumin|swp)(a|al|l)?[bh]?$/ { print $2 }' \
      | sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')
    [ -z "$bad" ] || err "$t" "LSE atomics in the code ($bad): an outline-atomics helper is linked (build with -mno-outline-atomics)"
    cell+=("no outline atomics")
  fi
  cell+=("no getauxval")
  if [ "$machine" = "Advanced Micro Devices X86-64" ] && [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ]; then
    # musl's loader in ldd mode maps the library and resolves every relocation against musl
    # itself, printing "Error relocating ...: symbol not found" for anything musl lacks.
    [ -x "$MUSL_LOADER" ] || apt_install "$MUSL_LOADER" musl
    if out=$("$MUSL_LOADER" --list "$f" 2>&1) && ! grep -q 'Error' <<<"$out"; then
      cell+=("musl loader: $(awk '$1 ~ /^[0-9]+:$/ && $7 == "UND" && $8 != "" { n++ } END { print n + 0 }' <<<"$dyn") symbols resolved")
    else
      err "$t" "musl's loader ($MUSL_LOADER --list) refuses it: $(tr '\n' ' ' <<<"$out")"
    fi
  fi
  checks=$(printf '%s; ' "${cell[@]}")
  checks=${checks%; }
}

check_macos() { # platform, file, cputype
  local t=$1 f=$2 cpu=$3 hdr ph minos libs id exports l
  need_objdump
  hdr=$("$OBJDUMP" --macho --private-header "$f" 2>&1) || { err "$t" "not a Mach-O file"; rows+=("| $t | $(size_of "$f") | - | - | - | - |"); return; }
  awk -v cpu="$cpu" '$1 ~ /^MH_/ { n++; ok = ($1 == "MH_MAGIC_64" && $2 == cpu && $5 == "DYLIB") } END { exit !(n == 1 && ok) }' <<<"$hdr" \
    || err "$t" "not a thin 64-bit $cpu MH_DYLIB: $(grep MH_ <<<"$hdr" | tr -s ' ')"

  ph=$("$OBJDUMP" --macho --private-headers "$f")
  # LC_BUILD_VERSION minos, or LC_VERSION_MIN_MACOSX version on old linkers.
  minos=$(awk '/cmd LC_BUILD_VERSION/ { b = 1 } b && $1 == "minos" { print $2; exit }
               /cmd LC_VERSION_MIN_MACOSX/ { v = 1 } v && $1 == "version" { print $2; exit }' <<<"$ph")
  if [ -z "$minos" ]; then
    err "$t" "no LC_BUILD_VERSION / LC_VERSION_MIN_MACOSX"; minos=none
  elif [ "$(printf '%s\n%s\n' "$minos" "$MACOS_MIN_MAX" | sort -V | tail -n1)" != "$MACOS_MIN_MAX" ]; then
    err "$t" "minimum macOS $minos (> $MACOS_MIN_MAX)"
  fi
  grep -q 'platform macos' <<<"$ph" || ! grep -q 'cmd LC_BUILD_VERSION' <<<"$ph" || err "$t" "LC_BUILD_VERSION platform is not macos"

  libs=$(awk '/cmd LC_(LOAD|LOAD_WEAK|REEXPORT|LAZY_LOAD|LOAD_UPWARD)_DYLIB/ { d = 1; next } d && $1 == "name" { print $2; d = 0 }' <<<"$ph")
  for l in $libs; do
    [ "$l" = /usr/lib/libSystem.B.dylib ] || err "$t" "links $l (only /usr/lib/libSystem.B.dylib allowed)"
  done
  grep -qx /usr/lib/libSystem.B.dylib <<<"$libs" || err "$t" "does not link /usr/lib/libSystem.B.dylib"
  id=$(awk '/cmd LC_ID_DYLIB/ { d = 1; next } d && $1 == "name" { print $2; exit }' <<<"$ph")
  [[ "$id" == @rpath/* ]] || err "$t" "install name '$id' does not start with @rpath/"

  exports=$("$OBJDUMP" --macho --exports-trie "$f" | awk '$1 ~ /^0x/ { print $2 }' | sort -u | tr '\n' ' ')
  exports=${exports% }
  check_exports "$t" "$exports" "_"

  if grep -q 'cmd LC_CODE_SIGNATURE' <<<"$ph"; then
    if command -v python3 >/dev/null 2>&1; then
      msg=$(verify_codesign "$f" 2>&1) || err "$t" "code signature invalid: $msg"
    else
      echo "check-binaries: python3 missing, $t signature present but hashes not verified" >&2
    fi
  elif [ "$cpu" = ARM64 ]; then
    # arm64 macOS refuses to map unsigned code.
    err "$t" "no LC_CODE_SIGNATURE (arm64 needs at least an ad-hoc signature)"
  fi
  # shellcheck disable=SC2086 # split the symbol list into arguments
  rows+=("| $t | $(size_of "$f") | macOS $minos | $(short_list $libs) | $(short_list $exports) | - |")
}

found=0
for spec in "linux_64:so:linux:Advanced Micro Devices X86-64:glibc" "linux_arm64:so:linux:AArch64:glibc" \
            "linux_64_musl:so:linux:Advanced Micro Devices X86-64:musl" "linux_arm64_musl:so:linux:AArch64:musl" \
            "osx_64:dylib:macos:X86_64" "osx_arm64:dylib:macos:ARM64"; do
  IFS=: read -r t ext kind arch libc <<<"$spec"
  f=$dir/natives/$t/lib$LIB.$ext
  if [ ! -f "$f" ]; then
    if $require_all; then err "$t" "missing $f"; fi
    rows+=("| $t | - | - | - | (missing) | - |")
    continue
  fi
  found=$((found + 1))
  "check_$kind" "$t" "$f" "$arch" "$libc"
done
[ "$found" -gt 0 ] || err "all" "no natives/*/lib$LIB.* found under $dir"

echo "| platform | size (bytes) | max glibc / min macOS | needs | exports | checks |"
echo "| --- | ---: | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
if [ "$fail" -ne 0 ]; then
  echo
  printf 'FAIL %s\n' "${errors[@]}"
  exit 1
fi
echo
echo "OK: $found native librar$([ "$found" = 1 ] && echo y || echo ies) checked"
