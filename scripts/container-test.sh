#!/usr/bin/env bash
# Build the bot's container image and run it for real, with podman (no Docker engine).
#
# Meant for CI on a fresh Debian 12 machine as root with only Python, pip and apt:
# installs podman, runc and debootstrap with apt-get, makes its own base image with
# debootstrap from the machine's configured Debian mirror (no container registry
# needed), builds ./Dockerfile on it and checks the image:
#   1. health     `hrbot run` against a fake Telegram Bot API answers 200 on /healthz
#                 (and the image's HEALTHCHECK passes)
#   2. ask        `hrbot ask` answers a JSON line with "intent", as a non-root user
#   3. resources  a directory mounted on /app/resources replaces the bundled one
#   4. sigterm    `podman stop` (SIGTERM) ends the bot cleanly, well before SIGKILL
#
# Environment knobs (all optional):
#   HRBOT_CI_CACHE        cache folder for the base rootfs tarball (/var/cache/hrbot-ci)
#   HRBOT_CI_REFRESH=1    rebuild the base image even if cached
#   HRBOT_DEBIAN_MIRROR   Debian mirror for debootstrap (default: from apt's sources)
#   HRBOT_IMAGE           tag of the image under test (localhost/hrbot:test)
#   HRBOT_KEEP_IMAGE=0    remove the image under test at the end
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SUITE=bookworm
CACHE_DIR="${HRBOT_CI_CACHE:-/var/cache/hrbot-ci}"
IMAGE="${HRBOT_IMAGE:-localhost/hrbot:test}"
BASE_IMAGE="localhost/hrbot-base:${SUITE}"
BASE_INCLUDE="python3,python3-venv,python3-pip,ca-certificates"
# A token of the shape BotFather hands out; the fake API accepts any.
TEST_TOKEN="123456:TESTtokenTESTtokenTESTtoken0123"
CONTAINER_PREFIX="hrbot-ct-$$"
START=$SECONDS

log() { printf '[container-test %3ds] %s\n' "$((SECONDS - START))" "$*" >&2; }
die() { log "ERROR: $*"; echo "0 passed, 4 failed"; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
    die "run as root (installs packages with apt-get and runs rootful podman)"
fi

WORK="$(mktemp -d /tmp/hrbot-ct.XXXXXX)"
FAKE_PID=""
cleanup() {
    local rc=$?
    set +e
    if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; fi
    for c in $(podman ps -a --format '{{.Names}}' 2>/dev/null | grep "^${CONTAINER_PREFIX}" || true); do
        podman rm -f "$c" >/dev/null 2>&1
    done
    podman volume rm -f "${CONTAINER_PREFIX}-data" >/dev/null 2>&1
    if [ "${HRBOT_KEEP_IMAGE:-1}" = 0 ]; then podman rmi -f "$IMAGE" >/dev/null 2>&1; fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT

# ------------------------------------------------------------------ packages
need_pkgs=()
for pkg in podman runc debootstrap catatonit ca-certificates tar; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        need_pkgs+=("$pkg")
    fi
done
if [ "${#need_pkgs[@]}" -gt 0 ]; then
    log "apt-get install ${need_pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${need_pkgs[@]}" >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; die "apt-get install failed"; }
fi

# Our own podman settings, so nothing on the machine's config matters (or is changed).
cat >"$WORK/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"
podman --version >&2

# ---------------------------------------------------------------- base image
debian_mirror() {
    if [ -n "${HRBOT_DEBIAN_MIRROR:-}" ]; then echo "$HRBOT_DEBIAN_MIRROR"; return; fi
    # The first enabled "deb" source for the suite itself (not -security/-updates)
    # with the main component, from one-line and deb822 source files.
    python3 - "$SUITE" <<'PY'
import glob, sys
suite = sys.argv[1]
found = []
def consider(types, uris, suites, comps, enabled=True):
    if enabled and "deb" in types and suite in suites and "main" in comps:
        found.extend(u for u in uris if u.startswith(("http://", "https://")))
for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        continue
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) >= 3 and words[0] == "deb":
            if words[1].startswith("["):  # [arch=... signed-by=...]
                while words and not words[0].endswith("]"):
                    words.pop(0)
                words = ["deb"] + words[1:]
            if len(words) >= 4:
                consider(["deb"], [words[1]], [words[2]], words[3:])
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        continue
    for stanza in text.split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.split()
        consider(fields.get("types", []), fields.get("uris", []), fields.get("suites", []),
                 fields.get("components", []),
                 fields.get("enabled", ["yes"])[0].lower() not in ("no", "false"))
print(found[0] if found else "http://deb.debian.org/debian")
PY
}

ensure_base_image() {
    if [ "${HRBOT_CI_REFRESH:-0}" != 1 ] && podman image exists "$BASE_IMAGE"; then
        local created
        created="$(podman image inspect --format '{{.Created.Unix}}' "$BASE_IMAGE" 2>/dev/null || echo 0)"
        if [ "$(( $(date +%s) - ${created%.*} ))" -lt $((30 * 86400)) ]; then
            log "base image $BASE_IMAGE present"
            return
        fi
    fi
    local mirror key tarball
    mirror="$(debian_mirror)"
    key="$(printf '%s|%s|%s|%s' "$SUITE" "$BASE_INCLUDE" "$mirror" "$(dpkg --print-architecture)" \
        | sha256sum | cut -c1-12)"
    tarball="$CACHE_DIR/${SUITE}-minbase-${key}.tar"
    mkdir -p "$CACHE_DIR"
    # A month-old rootfs misses security updates: make a new one.
    if [ "${HRBOT_CI_REFRESH:-0}" = 1 ] || [ -z "$(find "$tarball" -mtime -30 2>/dev/null)" ]; then
        log "debootstrap $SUITE from $mirror (about a minute)"
        local rootfs="$WORK/rootfs"
        debootstrap --variant=minbase --include="$BASE_INCLUDE" "$SUITE" "$rootfs" "$mirror" \
            >"$WORK/debootstrap.log" 2>&1 || { tail -30 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
        # Slim it like the official slim images: no package caches, docs or locales.
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
            "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs"/tmp/* \
            "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
            "$rootfs"/usr/share/locale/*
        printf 'nameserver 127.0.0.1\n' >"$rootfs/etc/resolv.conf"  # podman mounts the real one
        tar --numeric-owner -C "$rootfs" -cf "$tarball.tmp" .
        mv "$tarball.tmp" "$tarball"
        rm -rf "$rootfs"
    else
        log "using cached rootfs $tarball"
    fi
    podman import --quiet "$tarball" "$BASE_IMAGE" >/dev/null
    log "imported $BASE_IMAGE"
}
ensure_base_image

# ----------------------------------------------------------------------- build
# pip inside the build gets this machine's CA bundle and index settings as build
# secrets (never in a layer). Local file:// indexes and paths don't exist in the
# build container, so only remote index settings are passed on.
CACERT=""
for f in "${PIP_CERT:-}" "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
    if [ -n "$f" ] && [ -s "$f" ]; then CACERT="$f"; break; fi
done
python3 - "$WORK/pip.conf" <<'PY'
import subprocess, sys
out = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True,
                     text=True).stdout
keep = {}
for line in out.splitlines():
    key, _, value = line.partition("=")
    name = key.rsplit(".", 1)[-1]
    value = value.strip().strip("'\"")
    if name in ("index-url", "extra-index-url", "trusted-host", "timeout", "default-timeout",
                "retries"):
        urls = [v for v in value.split() if not v.startswith("file:")]
        if urls:
            keep["timeout" if name == "default-timeout" else name] = " ".join(urls)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("[global]\n" + "".join(f"{k} = {v}\n" for k, v in keep.items()))
PY
build_args=(--format docker --network host --layers
            --build-arg "BASE_IMAGE=$BASE_IMAGE"
            --secret "id=pipconf,src=$WORK/pip.conf")
if [ -n "$CACERT" ]; then build_args+=(--secret "id=cacert,src=$CACERT"); fi

log "podman build -t $IMAGE"
build_start=$SECONDS
if ! podman build "${build_args[@]}" -t "$IMAGE" -f Dockerfile . >"$WORK/build.log" 2>&1; then
    tail -40 "$WORK/build.log" >&2
    die "podman build failed"
fi
log "built in $((SECONDS - build_start))s"
size_bytes="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
base_bytes="$(podman image inspect --format '{{.Size}}' "$BASE_IMAGE")"
echo "image size: $((size_bytes / 1000000)) MB ($IMAGE; base $BASE_IMAGE $((base_bytes / 1000000)) MB, app layers $(((size_bytes - base_bytes) / 1000000)) MB)"

# ---------------------------------------------------------------------- checks
PASSED=0
FAILED=0
pass() { echo "PASS $1${2:+: $2}"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; FAILED=$((FAILED + 1)); }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

http_status() {  # URL -> HTTP status, or 000 when nothing answers
    python3 - "$1" <<'PY'
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=3).status)
except urllib.error.HTTPError as exc:
    print(exc.code)
except Exception:
    print("000")
PY
}

# `hrbot ask` in a throwaway container, no network, extra podman args first.
ask() {  # ask TEXT [podman args...]
    local text="$1"; shift
    python3 -c 'import json, sys; print(json.dumps({"text": sys.argv[1]}))' "$text" \
        | timeout 120 podman run -i --rm --network none --no-healthcheck "$@" "$IMAGE" hrbot ask
}

# The first line of stdin that is a JSON object with an "intent" key.
json_with_intent() {
    python3 -c '
import json, sys
for line in sys.stdin:
    try:
        obj = json.loads(line)
    except ValueError:
        continue
    if isinstance(obj, dict) and "intent" in obj:
        print(json.dumps(obj, ensure_ascii=False))
        sys.exit(0)
sys.exit(1)'
}

QUESTION="where can i get naloxone"

# --- 2. ask, as a non-root user (runs first: the cheapest signal) -----------------
check_ask() {
    local user uid out line
    user="$(podman image inspect --format '{{.Config.User}}' "$IMAGE")"
    uid="$(podman run --rm --network none --no-healthcheck "$IMAGE" id -u 2>"$WORK/id.err")" || true
    if [ -z "$user" ] || [ "${user%%:*}" = 0 ] || [ "${user%%:*}" = root ]; then
        fail ask "image user is '${user:-<unset>}', expected non-root"; return
    fi
    if ! [[ "$uid" =~ ^[0-9]+$ ]] || [ "$uid" -eq 0 ]; then
        fail ask "id -u in the container printed '$uid', expected a non-zero uid ($(tail -3 "$WORK/id.err" | tr '\n' ' '))"; return
    fi
    out="$(ask "$QUESTION" 2>"$WORK/ask.err")" || {
        fail ask "hrbot ask exited non-zero: $(tail -5 "$WORK/ask.err" | tr '\n' ' ')"; return
    }
    if ! line="$(printf '%s\n' "$out" | json_with_intent)"; then
        fail ask "no JSON line with \"intent\" in: $(printf '%s' "$out" | head -c 300)"; return
    fi
    ASK_LINE="$line"
    pass ask "uid $uid, $(printf '%s' "$line" | head -c 160)"
}

# --- 3. a mounted resources directory replaces the bundled one -------------------
check_resources() {
    local intent dir out line marker="CONTAINER-TEST-MARKER-$$"
    if [ -z "${ASK_LINE:-}" ]; then fail resources "needs a working hrbot ask (check 2)"; return; fi
    intent="$(printf '%s' "$ASK_LINE" | python3 -c 'import json, sys; print(json.load(sys.stdin)["intent"])')"
    dir="$WORK/my-resources"
    cp -a resources "$dir"
    # Prefix the English answer of the matched intent with a marker (PyYAML from the
    # project's .venv: it is one of the bot's own dependencies).
    if ! "$VENV_PY" - "$dir" "$intent" "$marker" <<'PY'
import pathlib, sys
import yaml
root, intent, marker = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
for path in sorted((root / "intents").glob("*.yaml")):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in (data or {}).get("intents") or []:
        if isinstance(item, dict) and item.get("id") == intent:
            item["answer"]["en"] = f"{marker} {item['answer']['en']}"
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
            sys.exit(0)
sys.exit(f"answer.en of intent {intent!r} not found under {root}/intents")
PY
    then fail resources "could not edit the copied resources"; return; fi
    chmod -R a+rX "$dir"
    out="$(ask "$QUESTION" -v "$dir:/app/resources:ro" 2>"$WORK/res.err")" || {
        fail resources "hrbot ask with mounted resources failed: $(tail -5 "$WORK/res.err" | tr '\n' ' ')"; return
    }
    if ! printf '%s' "$out" | grep -q "$marker"; then
        fail resources "the mounted resources' edited answer did not show: $(printf '%s' "$out" | head -c 300)"; return
    fi
    # Also with RESOURCES_DIR set empty, as `--env-file` from .env.example does.
    out="$(ask "$QUESTION" -v "$dir:/app/resources:ro" -e RESOURCES_DIR= 2>"$WORK/res.err")" || {
        fail resources "hrbot ask with RESOURCES_DIR= failed: $(tail -5 "$WORK/res.err" | tr '\n' ' ')"; return
    }
    if ! printf '%s' "$out" | grep -q "$marker"; then
        fail resources "with RESOURCES_DIR set empty the mounted directory is not read: $(printf '%s' "$out" | head -c 300)"; return
    fi
    # And the bundled resources are back without the mount.
    if ask "$QUESTION" 2>/dev/null | grep -q "$marker"; then
        fail resources "marker shows without the mount"; return
    fi
    pass resources "answer for '$intent' came from the mounted directory (also with RESOURCES_DIR empty)"
}

# --- 1. health endpoint of `hrbot run` against a fake Bot API --------------------
# --- 4. clean stop on SIGTERM ---------------------------------------------------
RUN_NAME="${CONTAINER_PREFIX}-run"
check_health() {
    local fake_port health_port status i
    fake_port="$(free_port)"
    (cd "$ROOT" && exec "$VENV_PY" -m tests.fake_bot_api --port "$fake_port" --token "$TEST_TOKEN") >"$WORK/fake.log" 2>&1 &
    FAKE_PID=$!
    for i in $(seq 1 100); do
        python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' \
            "$fake_port" 2>/dev/null && break
        if ! kill -0 "$FAKE_PID" 2>/dev/null; then
            fail health "fake Bot API did not start: $(tail -5 "$WORK/fake.log" | tr '\n' ' ')"; return
        fi
        sleep 0.2
    done
    health_port="$(free_port)"
    # --read-only root; /data (DATABASE_PATH) is the one writable place: a volume, which
    # podman fills from the image's /data, so it is owned by the bot's uid.
    if ! podman run -d --name "$RUN_NAME" --init --network host --read-only \
            -v "${CONTAINER_PREFIX}-data:/data" \
            -e TELEGRAM_BOT_TOKEN="$TEST_TOKEN" \
            -e TELEGRAM_API_BASE_URL="http://127.0.0.1:$fake_port" \
            -e HEALTH_PORT="$health_port" \
            "$IMAGE" >/dev/null 2>"$WORK/run.err"; then
        fail health "podman run failed: $(tail -5 "$WORK/run.err" | tr '\n' ' ')"; return
    fi
    status=000
    for i in $(seq 1 60); do
        status="$(http_status "http://127.0.0.1:$health_port/healthz")"
        [ "$status" = 200 ] && break
        if [ "$(podman inspect --format '{{.State.Running}}' "$RUN_NAME")" != true ]; then break; fi
        sleep 1
    done
    if [ "$status" != 200 ]; then
        fail health "/healthz answered $status; logs: $(podman logs --tail 10 "$RUN_NAME" 2>&1 | tr '\n' ' ')"
        return
    fi
    # The image's own HEALTHCHECK command, run once by hand (no systemd timers here).
    if ! podman healthcheck run "$RUN_NAME" >"$WORK/hc.out" 2>&1; then
        fail health "/healthz is 200 but the image HEALTHCHECK failed: $(tr '\n' ' ' <"$WORK/hc.out")"
        return
    fi
    # The bot in the container really talks to the configured Bot API: it checked its
    # token (getMe), and it answers a message queued for getUpdates.
    local talk
    if ! talk="$(python3 - "http://127.0.0.1:$fake_port" 2>&1 <<'PY'
import json, sys, time, urllib.request
root = sys.argv[1]
def calls():
    with urllib.request.urlopen(root + "/_fake/calls", timeout=5) as r:
        return json.load(r)
if not any(c["method"] == "getMe" for c in calls()):
    sys.exit("the bot never called getMe on the fake Bot API")
chat = 4242
update = {"update_id": 1001, "message": {
    "message_id": 1, "date": int(time.time()), "text": "where can i get naloxone",
    "chat": {"id": chat, "type": "private", "first_name": "Test"},
    "from": {"id": chat, "is_bot": False, "first_name": "Test", "language_code": "en"}}}
req = urllib.request.Request(root + "/_fake/updates", data=json.dumps(update).encode(),
                             headers={"Content-Type": "application/json"}, method="POST")
urllib.request.urlopen(req, timeout=5).close()
deadline = time.monotonic() + 45
while time.monotonic() < deadline:
    for c in calls():
        if c["method"] == "sendMessage" and str(c["params"].get("chat_id")) == str(chat):
            print(str(c["params"].get("text", "")).replace("\n", " ")[:80])
            sys.exit(0)
    time.sleep(0.5)
sys.exit("no sendMessage to the test chat within 45s of queuing a message")
PY
)"; then
        fail health "/healthz 200, but $(tail -1 <<<"$talk"); logs: $(podman logs --tail 5 "$RUN_NAME" 2>&1 | tr '\n' ' ')"
        return
    fi
    if podman logs "$RUN_NAME" 2>&1 | grep -q "alerts are off"; then
        fail health "the bot could not open its database in /data: $(podman logs "$RUN_NAME" 2>&1 \
            | grep -m1 "alerts are off")"; return
    fi
    pass health "/healthz 200 on port $health_port, HEALTHCHECK healthy, answered a message: $talk"
}

check_sigterm() {
    local t0 elapsed code logs timeout=10
    if [ "$(podman inspect --format '{{.State.Running}}' "$RUN_NAME" 2>/dev/null)" != true ]; then
        fail sigterm "the bot container is not running (see check 1)"; return
    fi
    t0=$SECONDS
    podman stop --time "$timeout" "$RUN_NAME" >/dev/null 2>&1 || true
    elapsed=$((SECONDS - t0))
    code="$(podman inspect --format '{{.State.ExitCode}}' "$RUN_NAME")"
    logs="$(podman logs "$RUN_NAME" 2>&1)"
    printf '%s\n' "$logs" >"$WORK/run.log"
    if [ "$code" != 0 ] && [ "$code" != 143 ]; then
        fail sigterm "exit code $code after ${elapsed}s (137 = killed after the ${timeout}s grace)"; return
    fi
    if [ "$elapsed" -ge "$timeout" ]; then
        fail sigterm "took ${elapsed}s, the whole grace period"; return
    fi
    if printf '%s' "$logs" | grep -qE 'Traceback|CRITICAL|Task was destroyed|Unclosed'; then
        fail sigterm "exit $code but the logs show an unclean shutdown: $(printf '%s' "$logs" \
            | grep -E -m3 'Traceback|CRITICAL|Task was destroyed|Unclosed' | tr '\n' ' ')"; return
    fi
    pass sigterm "exit code $code in ${elapsed}s, clean logs"
}

# The project's own .venv runs the fake Bot API and edits YAML (make sets it up).
VENV_PY="$ROOT/.venv/bin/python"
if ! [ -x "$VENV_PY" ] || ! "$VENV_PY" -c 'import bot, yaml' 2>/dev/null; then
    log "setting up .venv (make .venv/.installed)"
    command -v make >/dev/null || { apt-get update -qq && apt-get install -y -qq make >/dev/null; }
    make -s -C "$ROOT" .venv/.installed >"$WORK/venv.log" 2>&1 \
        || { tail -20 "$WORK/venv.log" >&2; die "could not set up .venv"; }
fi

ASK_LINE=""
check_health
check_ask
check_resources
check_sigterm

echo "container test took $((SECONDS - START))s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
