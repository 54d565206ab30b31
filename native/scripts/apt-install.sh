# Sourced (not run) by the scripts that need a Debian package on the host.
# apt_install CMD PKG: installs PKG with apt unless CMD is on PATH already; fails with a hint
# where there is no apt-get. A fresh machine may have no package lists yet: apt-get update
# only when the install fails.
apt_install() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "${0##*/}: need '$1' and cannot install it here (no apt-get); install $2 yourself." >&2
    exit 1
  fi
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "${0##*/}: installing $2 (for $1)" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q --no-install-recommends "$2" >&2 \
    || { $sudo apt-get update -q >&2 && $sudo apt-get install -y -q --no-install-recommends "$2" >&2; }
}
