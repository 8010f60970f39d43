# Sourced by the test and benchmark scripts: `apt_install [APT-OPTION...] PACKAGE...` installs
# Debian packages as root, or through sudo, updating the package lists once per script.
# apt's output goes to stderr so a script's stdout (a benchmark's tables) stays clean.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=no
apt_install() {
  if [ "$apt_updated" = no ]; then
    as_root apt-get update -qq >&2
    apt_updated=yes
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
