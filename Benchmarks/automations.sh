#!/usr/bin/env bash
# The automations at scale (issue 8): a store with SCHEDULED jobs, DUE of them due
# now (abandoned carts of DUE customers) and the rest months away; the daemon fires
# the due ones. Twice, with DUE and with JOBS scheduled, so that the figures show
# whether speed or memory depend on how many jobs wait.
#
#   1. builds poshta (release, --scratch-path .build-release) unless SKIP_BUILD=1;
#   2. per store size: `poshta automation bench --seed-only` fills a fresh store;
#      `poshta serve` starts on it (marketing on, no frequency cap, delivery
#      suspended: the mail is spooled, not sent); its VmRSS is read once it logs that
#      it started, and at the end; a watcher counts the sent jobs in the store every
#      0.2 s until all due ones are sent, bounded by TIMEOUT seconds; then the daemon
#      is stopped by its PID;
#   3. prints per size: seconds to seed, jobs/s fired (due jobs over the span between
#      the first and the last round's timestamps in the store), VmRSS before the first
#      job and at the end, the peak (VmHWM), and the store's size.
#
# Postfix has no counterpart (it does not schedule mail), so there is no ratio here;
# the target is absolute: at least 2,000 jobs/s end to the spool, memory flat.
#
# The first run has only the due jobs in its store, the second JOBS.
#
# Environment: JOBS=1000000  DUE=20000  TIMEOUT=600  SKIP_BUILD=0  POSHTA_BIN=…
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(cd "$HERE/.." && pwd)
JOBS=${JOBS:-1000000}
DUE=${DUE:-20000}
TIMEOUT=${TIMEOUT:-600}
SKIP_BUILD=${SKIP_BUILD:-0}
for v in JOBS DUE TIMEOUT; do [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "$v must be a whole number" >&2; exit 2; }; done
[ "$DUE" -ge 1 ] && [ "$DUE" -le "$JOBS" ] && [ "$JOBS" -le 10000000 ] || { echo "need 1 <= DUE <= JOBS <= 10000000" >&2; exit 2; }

if [ "$SKIP_BUILD" != 1 ]; then
    (cd "$MAIN" && swift build -c release --product poshta --scratch-path .build-release)
fi
BIN=${POSHTA_BIN:-$MAIN/.build-release/release/poshta}
# The spool must be on a disk, as in production: not a tmpfs.
BASE=/tmp
[ "$(stat -f -c %T /tmp)" = tmpfs ] && BASE=/var/tmp
WORK=$(mktemp -d "$BASE/poshta-automations.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

rss() { awk -v key="$2:" '$1 == key { print int($2 / 1024) }' "/proc/$1/status" 2>/dev/null || echo 0; }

measure() {
    local scheduled=$1 dir="$WORK/$1"
    mkdir -p "$dir"
    cat > "$dir/poshta.toml" <<EOF
[server]
hostname = "bench.poshta.test"
spool = "$dir/spool"
[[listener]]
address = "127.0.0.1:0"
[admin]
address = "127.0.0.1:0"
[shop]
name = "Bench shop"
from = "shop@bench.poshta.test"
currency = "BGN"
templates = "$MAIN/conf/templates"
store = "$dir/store.sqlite"
[marketing]
enabled = true
max_per_day = 0
[delivery]
suspended = true
EOF
    local seeded
    seeded=$("$BIN" automation bench --config "$dir/poshta.toml" --jobs "$scheduled" --due "$DUE" --seed-only --folder "$dir")
    "$BIN" serve --config "$dir/poshta.toml" > "$dir/poshta.log" 2>&1 &
    PID=$!
    # Memory once the daemon is up, before its first round has gone far.
    local before=0 waited=0
    while ! grep -q " started; spool " "$dir/poshta.log" 2>/dev/null && [ "$waited" -lt 100 ]; do sleep 0.05; waited=$((waited + 1)); done
    before=$(rss "$PID" VmRSS)
    # One light watcher (an indexed count every 0.2 s), not a command per poll.
    local sent
    sent=$(python3 - "$dir/store.sqlite" "$DUE" "$TIMEOUT" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30)
due, deadline = int(sys.argv[2]), time.time() + int(sys.argv[3])
sent = 0
while sent < due and time.time() < deadline:
    time.sleep(0.2)
    sent = db.execute("SELECT count(*) FROM automation_job WHERE state = 'sent'").fetchone()[0]
print(sent)
PY
)
    local after peak
    after=$(rss "$PID" VmRSS)
    peak=$(rss "$PID" VmHWM)
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=
    local rate
    rate=$(python3 - "$dir/store.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rounds = db.execute("SELECT updated, count(*) FROM automation_job WHERE state = 'sent' GROUP BY updated ORDER BY updated").fetchall()
if len(rounds) < 2:
    print("n/a")
else:
    # The last round's own duration is not known: count the jobs before it.
    jobs = sum(n for _, n in rounds[:-1])
    print(int(jobs / (rounds[-1][0] - rounds[0][0])))
PY
)
    local size
    size=$(du -m "$dir/store.sqlite" | cut -f1)
    printf '%-12s %-40s %9s %10s %10s %9s %8s\n' "$scheduled" "$(echo "$seeded" | head -1 | cut -c1-40)" "$rate" "$before" "$after" "$peak" "$size"
    [ "$sent" -ge "$DUE" ] || echo "  only $sent of $DUE due jobs sent within ${TIMEOUT}s; see $dir/poshta.log" >&2
}

echo "$("$BIN" version 2>/dev/null || true); $(nproc) cores; $DUE due jobs fired by the daemon per run"
printf '%-12s %-40s %9s %10s %10s %9s %8s\n' scheduled seeding jobs/s "RSS up MB" "RSS end MB" "peak MB" "store MB"
measure "$DUE"
measure "$JOBS"
