#!/usr/bin/env bash
# Debian packages Hotline's sandbox, tests and demo need: debootstrap (the Asterisk chroot),
# sip-tester (SIPp: callers, phones, carrier), espeak-ng + sox (prompts), curl, chromium (the
# web app's browser test, headless), fonts-wqy-microhei (Chinese text in its screenshots) and
# tshark (the monitoring tests capture RTP on loopback to prove who hears whom).
# Run by `npm install` (postinstall) and by .ci/run. Installs only what is missing; needs root
# and apt-get, and says so instead of failing the install when it cannot.
set -u
need=()
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || need+=(debootstrap)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
command -v tshark >/dev/null 2>&1 || need+=(tshark)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "hotline: please install these Debian packages (needs root + apt-get): ${need[*]}" >&2
  exit 0
fi
echo "hotline: installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
  { echo "hotline: apt-get install ${need[*]} failed" >&2; exit 1; }
