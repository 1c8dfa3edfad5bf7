# shellcheck shell=bash
# Sourced by scripts/pbx.sh and scripts/docker-base.sh (they define die()): the Debian mirror this
# machine's apt already uses, for debootstrap; never a host written into the repo.
mirror() {
  local m
  m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$m" ] || m=$(grep -hsE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$m" ] || die "cannot find the Debian mirror in /etc/apt/sources.list*"
  printf '%s' "$m"
}
