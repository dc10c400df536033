#!/usr/bin/env bash
# console.sh — how fast the web console's pages come back over a full queue (issue 10).
#
#   1. takes POSHTA (default: the release build in .build-release, built if missing);
#   2. writes a temporary poshta.toml and spool under /var/tmp/poshta-cbench.XXXXXX:
#      one listener 127.0.0.1:$PORT (relay, trusted 127.0.0.0/8), delivery suspended
#      (everything stays queued), the console on 127.0.0.1:$ADMIN_PORT, the shop's
#      templates copied from conf/templates, and an admin console user;
#   3. starts `poshta serve` (its PID is the only process it stops);
#   4. queues MESSAGES order_paid template messages over SMTP (Python's smtplib,
#      SESSIONS connections, one transaction after another), to DOMAINS domains;
#   5. signs in with curl (the form's token and cookie, then the session cookie);
#   6. times each page REPS times with curl (time_total), after one untimed run:
#      the queue dashboard, the message list, one message, notifications,
#      automations, the template list and the editor with its preview;
#   7. prints median and slowest time and the page size, and the daemon's RSS.
# Every wait has a time limit. Output also goes to Benchmarks/results/console-<UTC>.txt.
#
# Usage:  Benchmarks/console.sh
#         MESSAGES=2000 POSHTA=.build/debug/poshta Benchmarks/console.sh
# Env: MESSAGES=20000  SESSIONS=8  DOMAINS=50  REPS=20  PORT=2620  ADMIN_PORT=2621  KEEP=0
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(cd "$HERE/.." && pwd)
MESSAGES=${MESSAGES:-20000}
SESSIONS=${SESSIONS:-8}
DOMAINS=${DOMAINS:-50}
REPS=${REPS:-20}
PORT=${PORT:-2620}
ADMIN_PORT=${ADMIN_PORT:-2621}
KEEP=${KEEP:-0}
for v in MESSAGES SESSIONS DOMAINS REPS PORT ADMIN_PORT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "$v must be a whole number ≥ 1" >&2; exit 2; }
done
[ "$MESSAGES" -le 500000 ] || { echo "MESSAGES must be at most 500000" >&2; exit 2; }
[ "$REPS" -le 200 ] || { echo "REPS must be 1..200" >&2; exit 2; }
command -v curl >/dev/null && command -v python3 >/dev/null || { echo "console.sh: needs curl and python3" >&2; exit 1; }

POSHTA=${POSHTA:-$MAIN/.build-release/release/poshta}
if [ ! -x "$POSHTA" ]; then
    echo "building poshta (release) into .build-release …"
    (cd "$MAIN" && swift build -c release --product poshta --scratch-path .build-release)
fi

RESULTS_DIR="$HERE/results"; mkdir -p "$RESULTS_DIR"
REPORT="$RESULTS_DIR/console-$(date -u +%Y%m%dT%H%M%SZ).txt"
TMP=$(mktemp -d /var/tmp/poshta-cbench.XXXXXX)
POSHTA_PID=""
log() { printf '%s\n' "$*" | tee -a "$REPORT"; }

cleanup() {
    if [ -n "$POSHTA_PID" ] && kill -0 "$POSHTA_PID" 2>/dev/null; then
        kill -TERM "$POSHTA_PID" 2>/dev/null || true
        for _ in $(seq 1 200); do kill -0 "$POSHTA_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$POSHTA_PID" 2>/dev/null || true
    fi
    [ "$KEEP" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

cp -r "$MAIN/conf/templates" "$TMP/templates"
cat >"$TMP/poshta.toml" <<EOF
[server]
hostname = "mail.bench.test"
spool = "spool"

[[listener]]
address = "127.0.0.1:$PORT"
trusted_networks = ["127.0.0.0/8"]

[delivery]
suspended = true

[admin]
address = "127.0.0.1:$ADMIN_PORT"

[shop]
name = "Bench shop"
from = "shop@shop.bench.test"
currency = "BGN"
templates = "$TMP/templates"
EOF
printf 'bench-password\n' >"$TMP/password"
"$POSHTA" user add bench --role admin --password-file "$TMP/password" --config "$TMP/poshta.toml" >/dev/null

log "poshta console benchmark, $(date -u +%FT%TZ), $(nproc) cores, $MESSAGES queued messages to $DOMAINS domains"
"$POSHTA" serve --config "$TMP/poshta.toml" 2>"$TMP/poshta.log" &
POSHTA_PID=$!
for _ in $(seq 1 300); do grep -q "admin API on" "$TMP/poshta.log" 2>/dev/null && break; sleep 0.1; done
grep -q "admin API on" "$TMP/poshta.log" || { echo "the daemon did not start:"; cat "$TMP/poshta.log"; exit 1; }

# 4. The queue, filled over SMTP with the shop's template messages.
START=$(date +%s.%N)
python3 - "$PORT" "$MESSAGES" "$SESSIONS" "$DOMAINS" "$MAIN/conf/templates/samples/order_paid.json" <<'PY'
import json, smtplib, sys, threading
port, total, sessions, domains, sample = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
data = json.load(open(sample))
data.pop("related_products", None); data.pop("coupon", None)
body = json.dumps(data, indent=1, ensure_ascii=False).replace("\n", "\r\n")
message = ("X-Shop-Template: order_paid\r\nContent-Type: application/json; charset=utf-8\r\n\r\n" + body + "\r\n").encode()
failures = []
def run(worker):
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        client.ehlo("bench.test")
        for index in range(worker, total, sessions):
            client.mail("shop@shop.bench.test", ["BODY=8BITMIME"])
            client.rcpt(f"customer{index}@d{index % domains}.example")
            code, reply = client.data(message)
            if code != 250: failures.append((code, reply))
threads = [threading.Thread(target=run, args=(worker,)) for worker in range(sessions)]
for thread in threads: thread.start()
for thread in threads: thread.join(timeout=3600)
if failures: sys.exit(f"{len(failures)} refused, first: {failures[0]}")
PY
END=$(date +%s.%N)
log "queued $MESSAGES messages in $(python3 -c "print(f'{$END - $START:.1f}')") s"

# 5. Sign in as a browser does.
URL="http://127.0.0.1:$ADMIN_PORT"
JAR="$TMP/cookies"
TOKEN=$(curl -s -c "$JAR" --max-time 20 "$URL/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
CODE=$(curl -s -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code}' --max-time 20 \
    --data-urlencode "csrf=$TOKEN" --data-urlencode name=bench --data-urlencode password=bench-password "$URL/login")
[ "$CODE" = 303 ] || { echo "sign-in answered $CODE"; exit 1; }
ID=$(curl -s -b "$JAR" --max-time 60 "$URL/queue/messages" | sed -n 's/.*id="select-\([0-9A-Z]*\)".*/\1/p' | head -1)
CSRF=$(curl -s -b "$JAR" --max-time 60 "$URL/templates/bg/order_paid" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)

# 6. The pages, timed.
log ""
log "$(printf '%-34s %10s %10s %10s' page 'median ms' 'max ms' 'bytes')"
time_page() {
    local name=$1; shift
    curl -s -o /dev/null --max-time 60 -b "$JAR" "$@" >/dev/null  # untimed first run
    local times=() size=0
    for _ in $(seq 1 "$REPS"); do
        read -r t s < <(curl -s -o /dev/null -w '%{time_total} %{size_download}\n' --max-time 60 -b "$JAR" "$@")
        times+=("$t"); size=$s
    done
    python3 - "$name" "$size" "${times[@]}" <<'PY' | tee -a "$REPORT"
import statistics, sys
name, size, times = sys.argv[1], sys.argv[2], [float(t) * 1000 for t in sys.argv[3:]]
print(f"{name:<34} {statistics.median(times):10.1f} {max(times):10.1f} {size:>10}")
PY
}
time_page "/queue (dashboard, 2 plots)" "$URL/queue"
time_page "/queue/messages (200 of all)" "$URL/queue/messages"
time_page "/queue/messages?domain=d7.example" "$URL/queue/messages?domain=d7.example"
time_page "/queue/messages/ID" "$URL/queue/messages/$ID"
time_page "/notifications" "$URL/notifications"
time_page "/automations" "$URL/automations"
time_page "/templates" "$URL/templates"
time_page "/templates/bg/order_paid" "$URL/templates/bg/order_paid"
time_page "POST …/preview (live preview)" -H "X-CSRF-Token: $CSRF" \
    --data-urlencode "subject=Платено: {{order.number}}" --data-urlencode "text@$TMP/templates/bg/order_paid.text.mustache" \
    --data-urlencode "html@$TMP/templates/bg/order_paid.html.mustache" "$URL/templates/bg/order_paid/preview"

RSS=$(awk '/VmRSS/ {print $2}' "/proc/$POSHTA_PID/status")
log ""
log "daemon RSS after the run: $((RSS / 1024)) MB"
log "report: $REPORT"
