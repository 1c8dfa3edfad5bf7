# A stand-in for the official `redis:7` image where no registry is reachable
# (scripts/docker-base.sh): bookworm's redis-server 7.0; the command is `redis-server ARGS…`.
ARG DEBIAN_BASE=hotline/debian:bookworm
FROM ${DEBIAN_BASE}
RUN apt-get update && apt-get install -y --no-install-recommends redis-server redis-tools \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
CMD ["redis-server"]
