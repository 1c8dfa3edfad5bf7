#!/usr/bin/env bash
# npm run docker:test — the Docker deployment end to end (not part of npm test: slow, needs docker
# and root). On this machine no image registry is reachable, so it builds from local bases:
#   1. docker.io installed if missing, dockerd started if not running (in the background, with
#      --bridge=none --iptables=false: every container here uses the host's network);
#      `docker compose`, else Debian's `docker-compose` (installed if neither is there)
#   2. scripts/docker-base.sh: local base images (debootstrap + docker import, Node 20 from the npm
#      registry, stand-ins for the postgres / redis images)
#   3. compose.yaml with docker/local.env: build the Hotline and Asterisk images, up
#   4. both instances answer /healthz: one "role": "leader" with "ari": true (it reached the
#      Asterisk container's ARI), the other "standby"
#   5. docker kill the leader's container; the standby must lead (with ARI) within
#      DOCKER_TEST_TAKEOVER_MS (5000), with epoch + 1; prints the takeover time
#   6. the killed container, started again, comes back as standby (the leader keeps its epoch)
#   7. compose down -v (containers and volumes removed, images kept) on every exit
# Exits non-zero on any failure. Secrets are random for each run.
# DOCKER_TEST_PUBLIC=1 builds from the public bases instead (a machine that reaches Docker Hub).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-hotline-docker-test}
TAKEOVER_MS=${DOCKER_TEST_TAKEOVER_MS:-5000}
UP_TIMEOUT_S=${DOCKER_TEST_UP_TIMEOUT_S:-180}
# The classic builder: Debian's docker.io has no buildx, and compose 1.x builds through the API.
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
A=http://127.0.0.1:3101 B=http://127.0.0.1:3102

log() { printf 'docker-test: %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

[ "$(id -u)" = 0 ] || die "needs root (apt-get, dockerd, debootstrap)"

# ---- 1. docker + compose ----
if ! command -v dockerd >/dev/null; then
  log "installing docker.io"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/hotline-dockerd.log)"
  setsid dockerd --bridge=none --iptables=false </dev/null >/var/log/hotline-dockerd.log 2>&1 &
  echo $! >/run/hotline-dockerd.pid
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -n 20 /var/log/hotline-dockerd.log >&2; die "dockerd did not start"; }
fi
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  command -v docker-compose >/dev/null || {
    log "installing docker-compose (Debian)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  }
  compose=(docker-compose)
fi
log "docker $(docker version --format '{{.Server.Version}}'), $("${compose[@]}" version --short 2>/dev/null || "${compose[@]}" version | head -n1)"

for port in 3101 3102 25432 26379 28088; do
  ss -ltn "sport = :$port" | grep -q LISTEN && die "port $port is already in use on this host"
done

# ---- 2. bases ----
envfile=()
if [ "${DOCKER_TEST_PUBLIC:-0}" != 1 ]; then
  bash scripts/docker-base.sh
  envfile=(--env-file docker/local.env)
fi
dc() { "${compose[@]}" "${envfile[@]}" -f compose.yaml "$@"; }

rnd() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
POSTGRES_PASSWORD=$(rnd) REDIS_PASSWORD=$(rnd) ARI_PASSWORD=$(rnd) PBX_AGENT_SECRET=$(rnd)
HOTLINE_ADMIN_PASSWORD=$(rnd)
export POSTGRES_PASSWORD REDIS_PASSWORD ARI_PASSWORD PBX_AGENT_SECRET HOTLINE_ADMIN_PASSWORD

cleanup() {
  local rc=$?
  if [ $rc != 0 ]; then
    log "logs of the failed run:"
    dc logs --tail 40 >&2 2>&1 || true
  fi
  log "compose down -v"
  dc down -v --remove-orphans >/dev/null 2>&1 || log "compose down failed"
  exit $rc
}
trap cleanup EXIT

# ---- 3. build + up ----
log "building the Hotline and Asterisk images"
t=$(now_ms)
dc build >/tmp/hotline-docker-build.log 2>&1 || { tail -n 40 /tmp/hotline-docker-build.log >&2; die "compose build failed (/tmp/hotline-docker-build.log)"; }
log "built in $(( ($(now_ms) - t) / 1000 )) s"
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^hotline/' | sort | sed 's/^/  image /' >&2
dc up -d

# ---- 4. both instances healthy, one leader with ARI, one standby ----
healthz() { curl -sS -m 2 "$1/healthz" 2>/dev/null || true; }
field() { node -e 'let j;try{j=JSON.parse(process.argv[1])}catch{j={}};const v=j[process.argv[2]];process.stdout.write(v===undefined?"":String(v))' "$1" "$2"; }
deadline=$(( $(date +%s) + UP_TIMEOUT_S ))
while :; do
  ha=$(healthz $A) hb=$(healthz $B)
  ra=$(field "$ha" role) rb=$(field "$hb" role)
  if [ "$(field "$ha" ok)" = true ] && [ "$(field "$hb" ok)" = true ] &&
    { { [ "$ra" = leader ] && [ "$rb" = standby ] && [ "$(field "$ha" ari)" = true ]; } ||
      { [ "$rb" = leader ] && [ "$ra" = standby ] && [ "$(field "$hb" ari)" = true ]; }; }; then
    break
  fi
  [ "$(date +%s)" -lt "$deadline" ] || { log "a: $ha"; log "b: $hb"; die "no healthy leader + standby within $UP_TIMEOUT_S s"; }
  sleep 1
done
echo "hotline-a $A/healthz: $ha"
echo "hotline-b $B/healthz: $hb"
for u in $A $B; do
  curl -fsS -m 2 "$u/readyz" >/dev/null || die "$u/readyz is not 200"
done
echo "readyz: both 200"
if [ "$ra" = leader ]; then
  leader=hotline-a standby_url=$B epoch=$(field "$ha" epoch)
else
  leader=hotline-b standby_url=$A epoch=$(field "$hb" epoch)
fi
dc ps

# ---- 5. kill the leader ----
cid=$(dc ps -q "$leader")
[ -n "$cid" ] || die "no container for $leader"
log "docker kill $leader ($cid), epoch $epoch"
t0=$(now_ms)
docker kill "$cid" >/dev/null
while :; do
  hs=$(healthz "$standby_url")
  if [ "$(field "$hs" role)" = leader ] && [ "$(field "$hs" ari)" = true ]; then
    t1=$(now_ms)
    break
  fi
  [ $(( $(now_ms) - t0 )) -lt $(( TAKEOVER_MS * 3 )) ] || die "the standby did not take over: $hs"
  sleep 0.1
done
took=$(( t1 - t0 ))
echo "after docker kill $leader: $standby_url/healthz: $hs"
printf 'takeover: %d.%03d s (limit %d.%03d s)\n' $((took / 1000)) $((took % 1000)) $((TAKEOVER_MS / 1000)) $((TAKEOVER_MS % 1000))
new_epoch=$(field "$hs" epoch)
[ "$new_epoch" = $((epoch + 1)) ] || die "epoch after takeover is $new_epoch, expected $((epoch + 1))"
[ "$took" -le "$TAKEOVER_MS" ] || die "takeover took $took ms, over $TAKEOVER_MS ms"
dc ps

# ---- the killed instance, started again, waits for the lease: standby, same epoch on the leader ----
if [ "$leader" = hotline-a ]; then old_url=$A; else old_url=$B; fi
docker start "$cid" >/dev/null
deadline=$(( $(date +%s) + 60 ))
while :; do
  ho=$(healthz "$old_url")
  [ "$(field "$ho" ok)" = true ] && [ "$(field "$ho" role)" = standby ] && break
  [ "$(date +%s)" -lt "$deadline" ] || die "$leader did not come back as standby: $ho"
  sleep 0.5
done
hs=$(healthz "$standby_url")
echo "$leader started again: $old_url/healthz: $ho"
[ "$(field "$hs" role)" = leader ] && [ "$(field "$hs" epoch)" = "$new_epoch" ] ||
  die "the new leader changed after the old one came back: $hs"
echo "docker-test: OK"
