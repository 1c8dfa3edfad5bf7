# A stand-in for the official `postgres:15` image where no registry is reachable
# (scripts/docker-base.sh): bookworm's PostgreSQL 15 with the same interface for what compose.yaml
# uses: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, PGDATA, and `postgres ARGS…` as command.
ARG DEBIAN_BASE=hotline/debian:bookworm
FROM ${DEBIAN_BASE}
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY local-postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
USER postgres
CMD ["postgres"]
