# Asterisk 22 for Hotline, built from the repo: Debian's asterisk packages, the repo's
# config/asterisk/ (rendered at start from the environment by docker/asterisk-entrypoint.sh) and
# Hotline's own prompts in English and Chinese (scripts/prompts.ts, as the sandbox installs them).
#   docker build -f docker/asterisk.Dockerfile -t hotline/asterisk .
# Asterisk is packaged in Debian sid only (not bookworm, not trixie), hence the sid base. The
# prompts stage renders with espeak-ng + sox on the same Node base as the Hotline image (its
# first layers are the Dockerfile's, so the two builds share them).
# Without a registry: --build-arg DEBIAN_BASE=hotline/debian:sid
#   --build-arg NODE_BUILD_BASE=hotline/node:20-bookworm-build (scripts/docker-base.sh)
ARG DEBIAN_BASE=debian:sid-slim
ARG NODE_BUILD_BASE=node:20-bookworm-slim

FROM ${NODE_BUILD_BASE} AS prompts
WORKDIR /app
COPY package.json package-lock.json ./
# (npm 10 can exit 0 after a failed fetch, "Exit handler never called": check the result)
RUN npm ci --ignore-scripts && test -x node_modules/.bin/tsc
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox \
    && rm -rf /var/lib/apt/lists/*
COPY tsconfig.json ./
COPY config ./config
COPY scripts ./scripts
COPY src ./src
RUN npx tsx scripts/prompts.ts --all --quiet --out /prompts

FROM ${DEBIAN_BASE}
# The archive may be a snapshot whose Release is past valid-until (as on the project's machines).
RUN apt-get -o Acquire::Check-Valid-Until=false update \
    && DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false install -y \
       --no-install-recommends asterisk asterisk-modules asterisk-core-sounds-en-gsm \
       asterisk-moh-opsound-gsm \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
COPY --from=prompts /prompts /tmp/prompts
# sounds/en is a symlink in Debian's packages: copy into the folder it resolves to.
RUN set -eu; for d in /tmp/prompts/*/; do \
      lang=$(basename "$d"); dest="$(readlink -f /usr/share/asterisk/sounds/$lang)/hotline"; \
      mkdir -p "$dest" && cp "$d"hotline/*.wav "$dest/"; \
    done; rm -rf /tmp/prompts; ls /usr/share/asterisk/sounds/*/hotline | head -n 3
COPY config/asterisk/*.conf /opt/hotline/templates/
COPY docker/asterisk-entrypoint.sh /usr/local/bin/hotline-asterisk-entrypoint
# Every folder Asterisk writes, owned by it (a fresh named volume on spool/ copies this ownership).
RUN mkdir -p /opt/hotline/etc /opt/hotline/spool/recording /opt/hotline/run /opt/hotline/log \
      /opt/hotline/db /opt/hotline/keys /opt/hotline/lib \
    && chown -R asterisk:asterisk /opt/hotline
USER asterisk
# ARI 18088 and SIP 15060 unless PBX_ARI_PORT / PBX_SIP_PORT say otherwise (see the entrypoint).
EXPOSE 18088 15060/udp
ENTRYPOINT ["/usr/local/bin/hotline-asterisk-entrypoint"]
CMD ["/usr/sbin/asterisk", "-C", "/opt/hotline/etc/asterisk.conf", "-f", "-n"]
