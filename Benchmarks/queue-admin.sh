#!/usr/bin/env bash
# queue-admin.sh — the queue administration commands over a big spool (issue 6).
#
#   1. builds poshta (release, in the main package) and poshta-bench (release, here),
#      unless POSHTA=/path/to/poshta and BENCH=/path/to/poshta-bench are given;
#   2. writes a temporary poshta.toml and spool under /var/tmp/poshta-qbench.XXXXXX:
#      one listener 127.0.0.1:$PORT (relay, trusted 127.0.0.0/8), delivery suspended
#      (accept and keep everything queued), the admin API on 127.0.0.1:$ADMIN_PORT;
#   3. starts `poshta serve` with that file (its PID is the only process it stops);
#   4. fills the spool with MESSAGES messages of 1 KB through poshta-bench intake,
#      50 sessions, a new connection per message (all from a@shop.example to
#      b@example.net: the tool has one recipient domain), and prints how long it took;
#   5. times `poshta queue list` (default, --limit 100, --json, --limit 0) and
#      `poshta queue stats` (text, --json), REPS (5) runs each after one untimed check
#      run, with the daemon up (the CLI asks the admin API), then with the daemon
#      stopped (the CLI reads the spool directly and says so on stderr);
#   6. with POSTFIX=1 (as root), Postfix's mailq (postqueue -p) and postqueue -j over
#      the same number of messages held in the Postfix benchmark twin, for comparison;
#   7. prints a table of medians against the targets: list < 1000 ms, stats < 200 ms.
# Every wait and every command has a time limit. Output also goes to
# Benchmarks/results/queue-admin-<UTC>.txt.
#
# Usage:  Benchmarks/queue-admin.sh
#         QUICK=1 POSHTA=.build/debug/poshta BENCH=Benchmarks/.build/release/poshta-bench Benchmarks/queue-admin.sh
# Env: MESSAGES=100000 (QUICK=1: 5000)  REPS=5  SESSIONS=50  SIZE=1024  PORT=2610
#      ADMIN_PORT=2611  CMD_TIMEOUT=60 (s, per command run)  FILL_LIMIT=… (s, the fill's
#      time limit; default 120 + MESSAGES/50)  FILL_REUSE=0 (1: one connection per session,
#      RSET between messages)  POSTFIX=0  KEEP=0 (1: keep the temporary folder)
#      POSHTA=…  BENCH=…  SHARED_BENCH=…/shared/bench
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$(cd "$MAIN/../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)}
PF="$SHARED_BENCH/postfix/pf.sh"
export PF_INSTANCE=bench

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then MESSAGES=${MESSAGES:-5000}; else MESSAGES=${MESSAGES:-100000}; fi
REPS=${REPS:-5}
SESSIONS=${SESSIONS:-50}
SIZE=${SIZE:-1024}
PORT=${PORT:-2610}
ADMIN_PORT=${ADMIN_PORT:-2611}
CMD_TIMEOUT=${CMD_TIMEOUT:-60}
[[ "$MESSAGES" =~ ^[0-9]+$ ]] || { echo "MESSAGES must be a whole number ≥ 1" >&2; exit 2; }
FILL_LIMIT=${FILL_LIMIT:-$((120 + MESSAGES / 50))}
FILL_REUSE=${FILL_REUSE:-0}
POSTFIX=${POSTFIX:-0}
KEEP=${KEEP:-0}
for v in MESSAGES REPS SESSIONS SIZE PORT ADMIN_PORT CMD_TIMEOUT FILL_LIMIT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "$v must be a whole number ≥ 1" >&2; exit 2; }
done
[ "$MESSAGES" -le 2000000 ] || { echo "MESSAGES must be at most 2000000" >&2; exit 2; }
[ "$REPS" -le 50 ] || { echo "REPS must be 1..50" >&2; exit 2; }
command -v python3 >/dev/null || { echo "queue-admin.sh: needs python3" >&2; exit 1; }
command -v ss >/dev/null || { echo "queue-admin.sh: needs ss (iproute2)" >&2; exit 1; }
if [ "$POSTFIX" = 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "queue-admin.sh: POSTFIX=1 must run as root (drives the reference Postfix)" >&2; exit 1; }
    [ -x "$PF" ] || { echo "queue-admin.sh: no $PF (set SHARED_BENCH)" >&2; exit 1; }
fi
T_START=$(date +%s)

RESULTS_DIR="$HERE/results"; mkdir -p "$RESULTS_DIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT="$RESULTS_DIR/queue-admin-$STAMP.txt"
TMP=$(mktemp -d /var/tmp/poshta-qbench.XXXXXX)
ROWS="$TMP/rows.jsonl"; : >"$ROWS"
CONF="$TMP/poshta.toml"
POSHTA_PID=""
PF_STARTED=0

log() { printf '%s\n' "$*" | tee -a "$REPORT"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -qF "127.0.0.1:$1"; }

# stop_pid PID: TERM, then KILL after 40 s (only a process this script started)
stop_pid() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "queue-admin.sh: Poshta ($pid) did not stop in 40 s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    return 0
}
cleanup() {
    local rc=$?
    set +e
    stop_pid "$POSHTA_PID"
    if [ "$PF_STARTED" = 1 ]; then
        "$PF" config >/dev/null 2>&1                     # drops the HOLD override
        timeout 900 "$PF" flush-queue >/dev/null 2>&1
        "$PF" stop >/dev/null 2>&1
    fi
    [ -f "$TMP/poshta.log" ] && cp "$TMP/poshta.log" "$RESULTS_DIR/poshta-queue-admin-$STAMP.log"
    if [ "$KEEP" = 1 ]; then echo "(kept $TMP)"; else rm -rf "$TMP"; fi
    [ -f "$REPORT" ] && echo "(report: $REPORT)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "# Poshta queue administration benchmark $(date -u '+%F %T UTC') on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "# $MESSAGES messages of $SIZE B, $SESSIONS sessions; $REPS timed runs per command"

# ---- 1. build ---------------------------------------------------------------------------------
if [ -z "${POSHTA:-}" ]; then
    POSHTA="$MAIN/.build-release/release/poshta"
    log "# building poshta (release)…"
    (cd "$MAIN" && timeout 3600 swift build -c release --product poshta --scratch-path .build-release) >"$TMP/build-poshta.log" 2>&1 \
        || { tail -30 "$TMP/build-poshta.log"; echo "queue-admin.sh: building poshta failed" >&2; exit 1; }
fi
if [ -z "${BENCH:-}" ]; then
    BENCH="$HERE/.build/release/poshta-bench"
    log "# building poshta-bench (release)…"
    (cd "$HERE" && timeout 1800 swift build -c release --product poshta-bench) >"$TMP/build-bench.log" 2>&1 \
        || { tail -30 "$TMP/build-bench.log"; echo "queue-admin.sh: building poshta-bench failed" >&2; exit 1; }
fi
[ -x "$POSHTA" ] || { echo "queue-admin.sh: no $POSHTA" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "queue-admin.sh: no $BENCH" >&2; exit 1; }
log "# poshta: $POSHTA ($("$POSHTA" version 2>/dev/null | head -1 || echo 'version ?'))"
log "# poshta-bench: $BENCH"

# ---- 2. the configuration -----------------------------------------------------------------------
for p in "$PORT" "$ADMIN_PORT"; do
    if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then echo "queue-admin.sh: something already listens on port $p" >&2; exit 1; fi
done
mkdir -p "$TMP/spool"
cat >"$CONF" <<EOF
[server]
hostname = "bench.poshta.test"
spool = "$TMP/spool"
log_level = "warning"

[[listener]]
address = "127.0.0.1:$PORT"
trusted_networks = ["127.0.0.0/8"]

[delivery]
suspended = true      # accept and spool, deliver nothing: everything stays queued

[admin]
address = "127.0.0.1:$ADMIN_PORT"
token_file = "$TMP/admin.token"
EOF
"$POSHTA" check-config --config "$CONF" >"$TMP/check-config.log" 2>&1 \
    || { cat "$TMP/check-config.log"; echo "queue-admin.sh: poshta check-config refused $CONF" >&2; exit 1; }

# ---- 3. start the daemon ------------------------------------------------------------------------
"$POSHTA" serve --config "$CONF" </dev/null >"$TMP/poshta.log" 2>&1 &
POSHTA_PID=$!
for _ in $(seq 150); do   # 30 s
    listening "$PORT" && break
    kill -0 "$POSHTA_PID" 2>/dev/null || { tail -20 "$TMP/poshta.log"; echo "queue-admin.sh: Poshta exited at start" >&2; POSHTA_PID=""; exit 1; }
    sleep 0.2
done
listening "$PORT" || { tail -20 "$TMP/poshta.log"; echo "queue-admin.sh: Poshta does not listen on 127.0.0.1:$PORT after 30 s" >&2; exit 1; }
ADMIN_UP=0
for _ in $(seq 50); do listening "$ADMIN_PORT" && { ADMIN_UP=1; break; }; sleep 0.2; done   # 10 s
log "# Poshta: pid $POSHTA_PID on 127.0.0.1:$PORT, admin API $([ "$ADMIN_UP" = 1 ] && echo "on 127.0.0.1:$ADMIN_PORT" || echo "NOT listening on 127.0.0.1:$ADMIN_PORT (the CLI will read the spool)"), spool $TMP/spool ($(df --output=source,fstype "$TMP" | tail -1 | tr -s ' '))"

# queue_count → the number of messages `poshta queue stats --json` counts ("?" if it cannot)
queue_count() {
    local out
    out=$(timeout "$CMD_TIMEOUT" "$POSHTA" queue stats --config "$CONF" --json 2>/dev/null) || true
    python3 -c 'import json,sys
try: print(json.loads(sys.argv[1]).get("messages", "?"))
except Exception: print("?")' "$out"
}
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# fill NAME ADDR PID: MESSAGES messages through poshta-bench intake; prints a line, sets FILL_ACCEPTED
fill() {
    local name=$1 addr=$2 pid=$3 t0 t1 out opts=()
    [ -n "$pid" ] && opts=(--pid "$pid")
    [ "$FILL_REUSE" = 1 ] && opts+=(--reuse)
    t0=$(date +%s%N)
    out=$(timeout $((FILL_LIMIT + 60)) "$BENCH" intake --target "$addr" --messages "$MESSAGES" --sessions "$SESSIONS" \
            --size "$SIZE" --time-limit "$FILL_LIMIT" "${opts[@]}" --json 2>>"$TMP/bench.err" | tail -1) || true
    t1=$(date +%s%N)
    [ -n "$out" ] || out='{"accepted":0,"failed":-1,"failures":["poshta-bench gave no result"]}'
    printf '%s\n' "$out" >"$TMP/fill-$name.json"
    python3 - "$out" "$(( (t1 - t0) / 1000000 ))" "$name" <<'PY' | tee -a "$REPORT"
import json, sys
d, ms, name = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
g = lambda k, f="{}": "-" if d.get(k) is None else f.format(d[k])
print(f"  {name}: {g('accepted')} accepted, {g('failed')} failed in {g('wall_s', '{:.1f}')} s "
      f"({g('msgs_per_s', '{:.0f}')} msgs/s; {ms / 1000:.1f} s with the tool's start and stop), "
      f"DATA→250 p50 {g('p50_ms', '{:.1f}')} p99 {g('p99_ms', '{:.1f}')} ms, "
      f"server RSS {g('server_rss_mb')} MB, load {(d.get('load') or ['-'])[0]}"
      + (" — TIME LIMIT reached" if d.get("time_limited") else ""))
for f in (d.get("failures") or [])[:3]:
    print(f"    failure: {f}")
PY
    FILL_ACCEPTED=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("accepted", 0))' "$out")
}

# ---- 4. fill the spool --------------------------------------------------------------------------
log ""
log "## filling the spool: $MESSAGES messages of $SIZE B, $SESSIONS sessions, $([ "$FILL_REUSE" = 1 ] && echo "one connection per session" || echo "a new connection per message") (time limit $FILL_LIMIT s)"
fill poshta "127.0.0.1:$PORT" "$POSHTA_PID"
QUEUED=$(queue_count)
log "  queued now: $QUEUED messages (poshta queue stats); spool $(du -sh "$TMP/spool" 2>/dev/null | cut -f1); Poshta RSS $(rss_mb "$POSHTA_PID") MB"
[ "$QUEUED" = "$MESSAGES" ] || log "  NOTE: $QUEUED queued, not the $MESSAGES asked for: the figures below are over $QUEUED messages"

# ---- 5. time the commands -----------------------------------------------------------------------
# measure.py PHASE LABEL -- COMMAND…: one untimed check run (exit status, output size, what
# stderr says), then REPS timed runs with stdout and stderr to /dev/null; appends a JSON row.
cat >"$TMP/measure.py" <<'PY'
import json, os, statistics, subprocess, sys, threading, time
phase, label, reps, limit, rows, admin_up = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6] == "1"
cmd = sys.argv[sys.argv.index("--") + 1:]
row = {"phase": phase, "label": label, "cmd": " ".join(cmd)}
# Not subprocess.run(timeout=…): with a timeout, Popen.wait polls with sleeps of up to 50 ms,
# which rounds every time up to the next poll. A timer kills the command instead, and the
# wait is a plain blocking waitpid.
def run(capture):
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    killed = []
    timer = threading.Timer(limit, lambda: (killed.append(1), p.kill()))
    timer.start()
    try:
        stdout, stderr = p.communicate() if capture else (b"", b"")
        p.wait()
    finally:
        timer.cancel()
    ms = (time.perf_counter() - t0) * 1000
    if killed: raise subprocess.TimeoutExpired(cmd, limit)
    return ms, p.returncode, stdout or b"", stderr or b""
try:
    ms, rc, stdout, stderr = run(True)
    row.update(rc=rc, check_ms=round(ms, 1), out_bytes=len(stdout), out_lines=stdout.count(b"\n"))
    err = stderr.decode(errors="replace")
    row["stderr"] = err.strip().splitlines()[-1] if err.strip() else ""
    if "directly" in err: row["via"] = "spool"
    elif phase == "up" and admin_up and rc == 0: row["via"] = "api"
    elif phase == "postfix": row["via"] = "showq"
    else: row["via"] = "?"
except subprocess.TimeoutExpired:
    row.update(rc="timeout", via="?")
times = []
if row["rc"] != "timeout":
    for _ in range(reps):
        try:
            ms, rc, _, _ = run(False)
        except subprocess.TimeoutExpired:
            row["rc"] = "timeout"; break
        if rc != 0: row["rc"] = rc
        times.append(ms)
if times:
    row.update(n=len(times), min=round(min(times), 1), median=round(statistics.median(times), 1), max=round(max(times), 1))
row["load1"] = open("/proc/loadavg").read().split()[0]
with open(rows, "a") as f: f.write(json.dumps(row) + "\n")
fmt = lambda k: "-" if row.get(k) is None else f"{row[k]:.1f}"
status = "exit 0" if row["rc"] == 0 else f"FAILED ({'timed out after %.0f s' % limit if row['rc'] == 'timeout' else 'exit %s' % row['rc']})"
print(f"  {label:24} via {row['via']:5} {status:8} {row.get('out_lines', '-'):>7} lines {row.get('out_bytes', 0) / 1024:9.0f} kB"
      f"   min {fmt('min'):>8}  median {fmt('median'):>8}  max {fmt('max'):>8} ms   (check run {fmt('check_ms')} ms; load {row['load1']})")
if row["rc"] != 0 and row.get("stderr"): print(f"    stderr: {row['stderr']}")
PY
measure() {  # measure PHASE LABEL ARGS… (the poshta queue arguments)
    local phase=$1 label=$2; shift 2
    python3 "$TMP/measure.py" "$phase" "$label" "$REPS" "$CMD_TIMEOUT" "$ROWS" "$ADMIN_UP" -- "$POSHTA" queue "$@" --config "$CONF" \
        | tee -a "$REPORT" || log "  $label: measuring failed"
}
measure_all() {
    local phase=$1
    measure "$phase" "queue list" list
    measure "$phase" "queue list --limit 100" list --limit 100
    measure "$phase" "queue list --json" list --json
    measure "$phase" "queue list --limit 0" list --limit 0
    measure "$phase" "queue stats" stats
    measure "$phase" "queue stats --json" stats --json
}

log ""
log "## daemon up: $QUEUED messages queued; load1 $(load1)"
measure_all up
log "  Poshta RSS $(rss_mb "$POSHTA_PID") MB"

t0=$(date +%s%N)
stop_pid "$POSHTA_PID"; POSHTA_PID=""
log ""
log "## daemon down (stopped with SIGTERM in $(( ($(date +%s%N) - t0) / 1000000 )) ms); load1 $(load1)"
set +e
timeout "$CMD_TIMEOUT" "$POSHTA" queue stats --config "$CONF" >/dev/null 2>"$TMP/down-check.err"; rc=$?
set -e
log "  poshta queue stats: exit $rc; it says on stderr: $(tr '\n' ' ' <"$TMP/down-check.err" | cut -c1-300)"
[ "$rc" = 0 ] || log "  NOTE: poshta queue stats does not exit 0 with the daemon down"
measure_all down

# ---- 6. optional: Postfix's mailq over as many held messages --------------------------------------
if [ "$POSTFIX" = 1 ]; then
    log ""
    log "## Postfix twin: $MESSAGES messages held (HOLD at end of data), then mailq"
    "$PF" install >/dev/null
    eval "$("$PF" env)"                  # PF_ADDR PF_PORT PF_CONF PF_QUEUE …
    PF_STARTED=1
    "$PF" start --no-sink >/dev/null
    postconf -c "$PF_CONF" -e "smtpd_end_of_data_restrictions = check_client_access static:HOLD"
    postfix -c "$PF_CONF" reload >/dev/null 2>&1; sleep 2
    timeout 900 "$PF" flush-queue >/dev/null 2>&1 || true   # start from an empty queue
    PF_MASTER=$(head -1 "$PF_QUEUE/pid/master.pid" 2>/dev/null | tr -d ' ' || true)
    fill postfix "$PF_ADDR:$PF_PORT" "$PF_MASTER"
    pf_held() { find "$PF_QUEUE/hold" -type f 2>/dev/null | wc -l; }
    for _ in $(seq 60); do [ "$(pf_held)" -ge "$FILL_ACCEPTED" ] && break; sleep 1; done   # 60 s
    log "  held now: $(pf_held) messages in $PF_QUEUE/hold"
    pf_measure() {
        local label=$1; shift
        python3 "$TMP/measure.py" postfix "$label" "$REPS" "$CMD_TIMEOUT" "$ROWS" 0 -- "$@" | tee -a "$REPORT" || log "  $label: measuring failed"
    }
    pf_measure "mailq (postqueue -p)" postqueue -c "$PF_CONF" -p
    pf_measure "postqueue -j" postqueue -c "$PF_CONF" -j
fi

# ---- 7. the table --------------------------------------------------------------------------------
log ""
log "## summary: medians of $REPS runs over $QUEUED queued messages (via: api = the daemon's admin API, spool = read directly)"
python3 - "$ROWS" <<'PY' | tee -a "$REPORT"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
get = lambda phase, label: next((r for r in rows if r["phase"] == phase and r["label"] == label), None)
def target(label):
    if label == "queue list --limit 0": return None          # everything: for comparison with mailq
    if label.startswith("queue list"): return 1000
    if label.startswith("queue stats"): return 200
def cell(r):
    if r is None: return "-"
    if r["rc"] != 0: return f"FAILED ({r['rc']})"
    return f"{r['median']:.0f} ms ({r['via']})"
def verdict(r, t):
    if t is None: return "-"
    if r is None or r["rc"] != 0 or r.get("median") is None: return "not measured"
    return "met" if r["median"] < t else "NOT met"
print("| command | daemon up | daemon down | target | met (up / down) |")
print("| --- | ---: | ---: | ---: | --- |")
met = total = 0
for label in dict.fromkeys(r["label"] for r in rows if r["phase"] in ("up", "down")):
    up, down, t = get("up", label), get("down", label), target(label)
    print(f"| poshta {label} | {cell(up)} | {cell(down)} | {'< %d ms' % t if t else '(all messages; no target)'} | {verdict(up, t)} / {verdict(down, t)} |")
    if t:
        total += 2; met += (verdict(up, t) == "met") + (verdict(down, t) == "met")
for r in (r for r in rows if r["phase"] == "postfix"):
    print(f"| Postfix {r['label']} | {cell(r)} | | (comparison) | - |")
print()
print(f"  {met} of {total} met (list < 1000 ms, stats < 200 ms; daemon up and daemon down)")
PY
log ""
log "# done in $(( $(date +%s) - T_START )) s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
