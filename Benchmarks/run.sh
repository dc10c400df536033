#!/usr/bin/env bash
# run.sh — Poshta against the reference Postfix, in one run, with one load generator.
#
#   1. builds poshta (release, in the main package) and poshta-bench (release, here);
#   2. starts Poshta on 127.0.0.1:$PORT with a temporary config and spool (delivery
#      suspended: accept and spool only) and the Postfix benchmark twin on 2527
#      (every message put on HOLD at end of data: fsync'd, never delivered);
#   3. durable intake, sizes 1 KB and 100 KB × 1, 10, 50 sessions, a new connection per
#      message, alternating Poshta / Postfix for REPS rounds; a table of medians and ratios;
#   3b. with TLS=1 (the default): durable intake with STARTTLS, 1 KB × 50 sessions, a new
#      connection (so a TLS handshake) per message, Poshta on its STARTTLS listener
#      127.0.0.1:$TLS_PORT (self-signed certificate from `poshta tls selfsigned`) against
#      the Postfix twin (smtpd_tls_security_level = may), alternating: msgs/s, handshakes/s;
#   4. DATA→250 latency of Poshta at half the target load (1 KB, 50 sessions, paced at
#      2 × Postfix's measured rate, i.e. half of 4 × Postfix);
#   5. Poshta's memory with 1,000 idle connections;
#   6. with SIDE_BY_SIDE=1, shared/bench/side-by-side.sh (smtp-source) against Poshta;
#   7. the three targets, met or not;
#   8. with E2E=1 (or E2E=only: this section alone), end to end: poshta-bench e2e runs its
#      own SMTP sink on the twin's sink port 127.0.0.1:2627 and sends E2E_N messages of
#      E2E_SIZE to the MTA under test, which relays them there: Poshta (a fresh instance and
#      spool per round on 127.0.0.1:$E2E_PORT, route = "relay" to 127.0.0.1:2627) against
#      the twin (no HOLD, no pf-sink.py, queue emptied before each round), one at a time,
#      alternating, E2E_REPS rounds per session count; end-to-end msgs/s, the queue's
#      peak, outbound connections, and the target (end to end >= 2 x Postfix at 1 KB, 50).
# Stops what it started (by PID), restores and stops the Postfix twin, deletes the
# temporary folder. Every step is bounded; the whole run stops starting new cells after
# MAX_MINUTES. Output is also written to Benchmarks/results/run-<UTC>.txt.
#
# Usage (as root):  Benchmarks/run.sh
# Env: QUICK=1 (about a minute: 2 s cells, 1 round)  N=… (messages per cell, else sized
#      so a cell lasts TARGET_S=10 s)  REPS=3  SIZES="1024 102400"  SESSIONS="1 10 50"
#      PORT=2600  IDLE_CONNECTIONS=1000  IDLE_HOLD=5  SIDE_BY_SIDE=0  MAX_MINUTES=45
#      TLS=1 (0: no STARTTLS section)  TLS_PORT=2602  TLS_SIZES="1024"  TLS_SESSIONS="50"
#      SKIP_BUILD=1 (use the binaries already built)  POSHTA_BIN=… (another poshta binary,
#      e.g. a debug build; run with SKIP_BUILD=1)  SHARED_BENCH=…/shared/bench
#      E2E=0|1|only  E2E_SESSIONS="50 10"  E2E_SIZE=1024  E2E_N=12000 (QUICK: 2000)
#      E2E_REPS=REPS  E2E_PORT=2604  E2E_TIMEOUT=120 (s, per round)  E2E_REUSE=0 (1: the
#      client keeps one connection per session, for both MTAs)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$(cd "$MAIN/../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)}
PF="$SHARED_BENCH/postfix/pf.sh"
export PF_INSTANCE=bench

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
    TARGET_S=${TARGET_S:-2}; CAL_S=${CAL_S:-1}; REPS=${REPS:-1}; IDLE_HOLD=${IDLE_HOLD:-1}; IDLE_LIMIT=${IDLE_LIMIT:-30}
else
    TARGET_S=${TARGET_S:-10}; CAL_S=${CAL_S:-2}; REPS=${REPS:-3}; IDLE_HOLD=${IDLE_HOLD:-5}; IDLE_LIMIT=${IDLE_LIMIT:-120}
fi
N=${N:-}
SIZES=${SIZES:-"1024 102400"}
SESSIONS=${SESSIONS:-"1 10 50"}
PORT=${PORT:-2600}
TLS=${TLS:-1}
TLS_PORT=${TLS_PORT:-2602}
TLS_SIZES=${TLS_SIZES:-"1024"}
TLS_SESSIONS=${TLS_SESSIONS:-"50"}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-1000}
SIDE_BY_SIDE=${SIDE_BY_SIDE:-0}
MAX_MINUTES=${MAX_MINUTES:-45}
SKIP_BUILD=${SKIP_BUILD:-0}
E2E=${E2E:-0}
E2E_SESSIONS=${E2E_SESSIONS:-"50 10"}
E2E_SIZE=${E2E_SIZE:-1024}
if [ "$QUICK" = 1 ]; then E2E_N=${E2E_N:-2000}; E2E_TIMEOUT=${E2E_TIMEOUT:-60}
else E2E_N=${E2E_N:-12000}; E2E_TIMEOUT=${E2E_TIMEOUT:-120}; fi
E2E_REPS=${E2E_REPS:-$REPS}
E2E_PORT=${E2E_PORT:-2604}
E2E_REUSE=${E2E_REUSE:-0}
case $E2E in 0|1|only) ;; *) echo "E2E must be 0, 1 or only" >&2; exit 2 ;; esac
if [ "$E2E" = only ]; then TLS=0; SIDE_BY_SIDE=0; fi   # the e2e section alone: no intake, STARTTLS, latency, idle or smtp-source cells
MAX_N=200000
for v in TARGET_S CAL_S REPS PORT TLS_PORT IDLE_CONNECTIONS IDLE_HOLD IDLE_LIMIT MAX_MINUTES E2E_SIZE E2E_N E2E_REPS E2E_PORT E2E_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "$v must be a whole number" >&2; exit 2; }
done
[ -z "$N" ] || [[ "$N" =~ ^[0-9]+$ && "$N" -ge 1 && "$N" -le $MAX_N ]] || { echo "N must be 1..$MAX_N" >&2; exit 2; }
[ "$REPS" -ge 1 ] && [ "$REPS" -le 9 ] || { echo "REPS must be 1..9" >&2; exit 2; }
[ "$E2E_REPS" -ge 1 ] && [ "$E2E_REPS" -le 9 ] || { echo "E2E_REPS must be 1..9" >&2; exit 2; }
RUN_LIMIT=$((TARGET_S * 4 + 30))        # the bench tool's own time limit for one run (s)
T_START=$(date +%s)

[ "$(id -u)" = 0 ] || { echo "run.sh: must run as root (drives the reference Postfix)" >&2; exit 1; }
[ -x "$PF" ] || { echo "run.sh: no $PF (set SHARED_BENCH)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "run.sh: needs python3" >&2; exit 1; }

# Poshta inherits this limit: 1,000 idle connections need more than the default 1,024 files.
ulimit -n 8192

RESULTS_DIR="$HERE/results"; mkdir -p "$RESULTS_DIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT="$RESULTS_DIR/run-$STAMP.txt"
# The spool must be on a real disk, as Postfix's is: not on a tmpfs /tmp.
TMP_PARENT=/tmp
[ "$(stat -f -c %T /tmp 2>/dev/null)" = tmpfs ] && TMP_PARENT=/var/tmp
TMP=$(mktemp -d "$TMP_PARENT/poshta-bench.XXXXXX")
CELLS="$TMP/cells.tsv"; : >"$CELLS"
POSHTA_PID=""
PF_STARTED=0

log() { printf '%s\n' "$*" | tee -a "$REPORT"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
elapsed_min() { echo $(( ($(date +%s) - T_START) / 60 )); }

# stop_pid PID: TERM, then KILL after 10 s (a Poshta we started)
stop_pid() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { echo "run.sh: Poshta ($pid) did not stop in 10 s; killing it" >&2; kill -KILL "$pid" 2>/dev/null; }
    wait "$pid" 2>/dev/null
    return 0
}
E2E_PID=""
cleanup() {
    local rc=$?
    set +e
    stop_pid "$POSHTA_PID"
    stop_pid "$E2E_PID"
    if [ "$PF_STARTED" = 1 ]; then
        "$PF" config >/dev/null 2>&1          # drops the HOLD override
        "$PF" flush-queue >/dev/null 2>&1
        "$PF" stop >/dev/null 2>&1
    fi
    [ -f "$TMP/poshta.log" ] && cp "$TMP/poshta.log" "$RESULTS_DIR/poshta-$STAMP.log"
    rm -rf "$TMP"
    [ -f "$REPORT" ] && echo "(report: $REPORT)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "# Poshta benchmark $(date -u '+%F %T UTC') on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$E2E" != only ] && log "# cells of ~${TARGET_S} s, ${REPS} round(s), sizes ${SIZES}, sessions ${SESSIONS}; a new connection per message"
[ "$E2E" != 0 ] && log "# end to end: ${E2E_N} messages of ${E2E_SIZE} B, sessions ${E2E_SESSIONS}, ${E2E_REPS} round(s)"
[ "$TLS" = 1 ] && log "# STARTTLS cells: sizes ${TLS_SIZES}, sessions ${TLS_SESSIONS}; a TLS handshake per message"

# ---- 1. build -------------------------------------------------------------------------
POSHTA=${POSHTA_BIN:-$MAIN/.build-release/release/poshta}
BENCH="$HERE/.build/release/poshta-bench"
if [ "$SKIP_BUILD" != 1 ]; then
    log "# building poshta (release)…"
    (cd "$MAIN" && timeout 3600 swift build -c release --product poshta --scratch-path .build-release) >"$TMP/build-poshta.log" 2>&1 \
        || { tail -30 "$TMP/build-poshta.log"; echo "run.sh: building poshta failed" >&2; exit 1; }
    log "# building poshta-bench (release)…"
    (cd "$HERE" && timeout 1800 swift build -c release --product poshta-bench) >"$TMP/build-bench.log" 2>&1 \
        || { tail -30 "$TMP/build-bench.log"; echo "run.sh: building poshta-bench failed" >&2; exit 1; }
fi
[ -x "$POSHTA" ] || { echo "run.sh: no $POSHTA" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "run.sh: no $BENCH" >&2; exit 1; }

# ---- 2. start both servers --------------------------------------------------------------
listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
# cert_key FILE → "ECDSA prime256v1" or "RSA 2048 bit": what a handshake signs with
cert_key() {
    openssl x509 -in "$1" -noout -text 2>/dev/null | awk '
        /Public Key Algorithm:/ { alg = ($NF == "rsaEncryption") ? "RSA" : ($NF == "id-ecPublicKey") ? "ECDSA" : $NF }
        /Public-Key: \(/ { gsub(/[()]/, ""); bits = $(NF-1) " bit" }
        /ASN1 OID:/ { curve = $NF }
        END { if (alg == "") print "key ?"; else if (curve != "") print alg " " curve; else print alg " " bits }'
}
if [ "$E2E" != only ]; then   # the intake Poshta (delivery suspended); E2E=only starts its own per round
if listening "$PORT"; then echo "run.sh: something already listens on 127.0.0.1:$PORT" >&2; exit 1; fi
if [ "$TLS" = 1 ] && listening "$TLS_PORT"; then echo "run.sh: something already listens on 127.0.0.1:$TLS_PORT" >&2; exit 1; fi

mkdir -p "$TMP/spool"
cat >"$TMP/poshta.toml" <<EOF
[server]
hostname = "bench.poshta.test"
spool = "$TMP/spool"

[[listener]]
address = "127.0.0.1:$PORT"
mode = "relay"
trusted_networks = ["127.0.0.0/8"]

$(if [ "$TLS" = 1 ]; then printf '%s\n' \
    '[[listener]]' "address = \"127.0.0.1:$TLS_PORT\"" 'mode = "relay"' 'trusted_networks = ["127.0.0.0/8"]' \
    'tls = "starttls"           # [tls] certificate and key: tls/cert.pem, tls/key.pem beside this file' ''; fi)
[limits]
max_connections = 2000
max_message_size = 26214400

[delivery]
route = "capture"
suspended = true      # accept and spool, deliver nothing: intake only, like the Postfix HOLD
EOF
if [ "$TLS" = 1 ]; then
    "$POSHTA" tls selfsigned --config "$TMP/poshta.toml" --hostname bench.poshta.test >"$TMP/selfsigned.log" 2>&1 \
        || { cat "$TMP/selfsigned.log"; echo "run.sh: poshta tls selfsigned failed" >&2; exit 1; }
fi
"$POSHTA" serve --config "$TMP/poshta.toml" </dev/null >"$TMP/poshta.log" 2>&1 &
POSHTA_PID=$!
for _ in $(seq 150); do
    listening "$PORT" && break
    kill -0 "$POSHTA_PID" 2>/dev/null || { tail -20 "$TMP/poshta.log"; echo "run.sh: Poshta exited at start" >&2; POSHTA_PID=""; exit 1; }
    sleep 0.2
done
listening "$PORT" || { tail -20 "$TMP/poshta.log"; echo "run.sh: Poshta does not listen on $PORT after 30 s" >&2; exit 1; }
if [ "$TLS" = 1 ]; then
    for _ in $(seq 50); do listening "$TLS_PORT" && break; sleep 0.2; done
    listening "$TLS_PORT" || { tail -20 "$TMP/poshta.log"; echo "run.sh: Poshta does not listen on $TLS_PORT (STARTTLS)" >&2; exit 1; }
fi
TLS_NOTE=""
[ "$TLS" = 1 ] && TLS_NOTE=" and 127.0.0.1:$TLS_PORT (STARTTLS, self-signed $(cert_key "$TMP/tls/cert.pem"))"
log "# Poshta: pid $POSHTA_PID on 127.0.0.1:$PORT$TLS_NOTE, spool $TMP/spool ($(df --output=source,fstype "$TMP" | tail -1 | tr -s ' '))"
fi

"$PF" install >/dev/null
eval "$("$PF" env)"                      # PF_ADDR PF_PORT PF_CONF …
PF_STARTED=1
"$PF" start --no-sink >/dev/null
if [ "$E2E" != only ]; then
    postconf -c "$PF_CONF" -e "smtpd_end_of_data_restrictions = check_client_access static:HOLD"
    postfix -c "$PF_CONF" reload >/dev/null 2>&1; sleep 2
fi
PF_MASTER=$(head -1 "$(postconf -c "$PF_CONF" -h queue_directory)/pid/master.pid" 2>/dev/null | tr -d ' ' || true)
log "# Postfix twin: $PF_ADDR:$PF_PORT (master pid ${PF_MASTER:-?}), $([ "$E2E" = only ] && echo "relaying to $SINK_ADDR:$SINK_PORT" || echo "messages held at end of data"), queue $PF_QUEUE ($(df --output=source,fstype "$PF_QUEUE" | tail -1 | tr -s ' '))"
if [ "$TLS" = 1 ]; then
    PF_CERT=$(postconf -c "$PF_CONF" -h smtpd_tls_cert_file 2>/dev/null || true)
    log "# Postfix twin STARTTLS: smtpd_tls_security_level = $(postconf -c "$PF_CONF" -h smtpd_tls_security_level 2>/dev/null || echo '?'), self-signed $(cert_key "$PF_CERT")"
fi

# ---- 3. the intake matrix ----------------------------------------------------------------
# bench NAME ADDR SIZE S N [extra args…]: one run; appends "NAME<TAB>json" to $CELLS, echoes the json
bench() {
    local name=$1 addr=$2 size=$3 s=$4 n=$5; shift 5
    local pidopt=()
    case $name in
        postfix*) [ -n "$PF_MASTER" ] && pidopt=(--pid "$PF_MASTER") ;;
        *) pidopt=(--pid "$POSHTA_PID") ;;
    esac
    local out
    out=$(timeout $((RUN_LIMIT + 30)) "$BENCH" intake --target "$addr" --messages "$n" --sessions "$s" \
            --size "$size" --time-limit "$RUN_LIMIT" "${pidopt[@]}" --json "$@" 2>>"$TMP/bench.err" | tail -1) || true
    [ -n "$out" ] || out='{"msgs_per_s":0,"accepted":0,"failed":-1,"failures":["poshta-bench gave no result"]}'
    case $name in postfix*) "$PF" flush-queue >/dev/null 2>&1 ;; esac
    printf '%s\t%s\t%s\t%s\n' "$name" "$size" "$s" "$out" >>"$CELLS"
    printf '%s\n' "$out"
}
field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }
# messages for a cell lasting ~TARGET_S, from a CAL_S-second calibration run
# size_cell NAME ADDR SIZE S [extra args…]
size_cell() {
    local name=$1 addr=$2 size=$3 s=$4; shift 4
    if [ -n "$N" ]; then echo "$N"; return; fi
    local out rate
    out=$(timeout $((CAL_S + 30)) "$BENCH" intake --target "$addr" --messages "$MAX_N" --sessions "$s" --size "$size" \
            --time-limit "$CAL_S" --json "$@" 2>>"$TMP/bench.err" | tail -1) || true
    case $name in postfix*) "$PF" flush-queue >/dev/null 2>&1 ;; esac
    [ -n "$out" ] || out='{}'
    rate=$(field "$out" msgs_per_s 2>/dev/null || echo 0)
    # at least 4 per session and 200 in all, even if the calibration failed
    python3 -c "import sys; r=float(sys.argv[1] or 0); print(max(int(sys.argv[2])*4, 200, min($MAX_N, int(r*$TARGET_S))))" "${rate:-0}" "$s"
}
line() {  # NAME JSON → one human line
    python3 - "$1" "$2" <<'PY'
import json, sys
name, d = sys.argv[1], json.loads(sys.argv[2])
f = lambda k, fmt="{:.2f}": "-" if d.get(k) is None else fmt.format(d[k])
extra = ""
if d.get("server_cpu_ms_per_msg") is not None: extra += f"  server CPU {d['server_cpu_ms_per_msg']:.3f} ms/msg"
if d.get("starttls") and d.get("bench_cpu_ms_per_msg") is not None: extra += f"  bench CPU {d['bench_cpu_ms_per_msg']:.3f} ms/msg"
if name.startswith("poshta") and d.get("server_peak_rss_mb") is not None: extra += f"  peak RSS {d['server_peak_rss_mb']:.1f} MB"
if d.get("starttls"):
    extra += (f"  TLS {f('handshakes_per_s','{:.0f}')} handshakes/s, handshake p50 {f('handshake_p50_ms')} p99 {f('handshake_p99_ms')} ms"
              f" ({d.get('tls_versions') or '-'}), {d.get('tls_failures', 0)} TLS failures")
fails = f"  FAILED {d.get('failed')}: {'; '.join(d.get('failures', [])[:2])}" if d.get("failed") else ""
print(f"    {name:8} {f('msgs_per_s','{:.0f}'):>6} msgs/s  {d.get('accepted',0)} in {f('wall_s','{:.1f}')} s"
      f"  DATA→250 p50 {f('p50_ms')} p99 {f('p99_ms')} ms{extra}"
      f"  busy {f('machine_busy_pct','{:.0f}')} %  load {(d.get('load') or ['-'])[0]}{fails}")
PY
}

if [ "$E2E" != only ]; then   # sections 3 to 6: intake, STARTTLS, latency, idle, summary
log ""
log "## durable intake (new connection per message)"
for size in $SIZES; do
    for s in $SESSIONS; do
        if [ "$(elapsed_min)" -ge "$MAX_MINUTES" ]; then log "  (MAX_MINUTES=$MAX_MINUTES reached: skipping size $size, $s sessions)"; continue; fi
        n_poshta=$(size_cell poshta "127.0.0.1:$PORT" "$size" "$s")
        n_postfix=$(size_cell postfix "$PF_ADDR:$PF_PORT" "$size" "$s")
        log "  size $size B, $s session(s): N = $n_poshta (Poshta), $n_postfix (Postfix); load1 $(load1)"
        for r in $(seq "$REPS"); do
            out=$(bench poshta "127.0.0.1:$PORT" "$size" "$s" "$n_poshta"); log "$(line poshta "$out")"
            out=$(bench postfix "$PF_ADDR:$PF_PORT" "$size" "$s" "$n_postfix"); log "$(line postfix "$out")"
        done
    done
done

# ---- 3b. the same with STARTTLS ----------------------------------------------------------------
if [ "$TLS" = 1 ]; then
    log ""
    log "## durable intake with STARTTLS (new connection and TLS handshake per message; no certificate check)"
    for size in $TLS_SIZES; do
        for s in $TLS_SESSIONS; do
            if [ "$(elapsed_min)" -ge "$MAX_MINUTES" ]; then log "  (MAX_MINUTES=$MAX_MINUTES reached: skipping STARTTLS size $size, $s sessions)"; continue; fi
            n_poshta=$(size_cell poshta-tls "127.0.0.1:$TLS_PORT" "$size" "$s" --starttls)
            n_postfix=$(size_cell postfix-tls "$PF_ADDR:$PF_PORT" "$size" "$s" --starttls)
            log "  size $size B, $s session(s), STARTTLS: N = $n_poshta (Poshta), $n_postfix (Postfix); load1 $(load1)"
            for r in $(seq "$REPS"); do
                out=$(bench poshta-tls "127.0.0.1:$TLS_PORT" "$size" "$s" "$n_poshta" --starttls); log "$(line poshta "$out")"
                out=$(bench postfix-tls "$PF_ADDR:$PF_PORT" "$size" "$s" "$n_postfix" --starttls); log "$(line postfix "$out")"
            done
        done
    done
fi

# ---- 4. latency at half the target load ---------------------------------------------------
LAT_RATE=$(python3 - "$CELLS" <<'PY'
import json, sys, statistics
rates = [json.loads(l.split("\t", 3)[3]).get("msgs_per_s", 0) for l in open(sys.argv[1])
         if l.startswith("postfix\t1024\t50\t")]
rates = [r for r in rates if r]
# half of the 4x target = 2x Postfix; BASELINE.md's 786 msgs/s if this run has no such cell
print(round(2 * (statistics.median(rates) if rates else 786)))
PY
)
log ""
log "## DATA→250 latency at half the target load: Poshta, 1 KB, 50 sessions, paced at $LAT_RATE msgs/s"
if [ "$(elapsed_min)" -lt "$MAX_MINUTES" ]; then
    n_lat=${N:-$((LAT_RATE * TARGET_S))}
    out=$(bench poshta-latency "127.0.0.1:$PORT" 1024 50 "$n_lat" --rate "$LAT_RATE"); log "$(line poshta "$out")"
else
    log "  (MAX_MINUTES reached: skipped)"
fi

# ---- 5. idle connections --------------------------------------------------------------------
log ""
log "## $IDLE_CONNECTIONS idle connections to Poshta"
IDLE_JSON=$(timeout $((IDLE_LIMIT + IDLE_HOLD + 60)) "$BENCH" idle --target "127.0.0.1:$PORT" --connections "$IDLE_CONNECTIONS" \
              --pid "$POSHTA_PID" --hold "$IDLE_HOLD" --time-limit "$IDLE_LIMIT" --json 2>>"$TMP/bench.err" | tail -1) || true
IDLE_JSON=${IDLE_JSON:-'{}'}
python3 - "$IDLE_JSON" <<'PY' | tee -a "$REPORT"
import json, sys
d = json.loads(sys.argv[1])
if not d: print("    poshta-bench idle gave no result"); sys.exit()
g = lambda k: "-" if d.get(k) is None else d[k]
print(f"    ready {g('ready')} of {g('connections')} (failed {g('failed')}, {g('unanswered')} unanswered and {g('not_started')} not begun "
      f"when opening was cut off; {g('open_at_reading')} open at the reading, {g('still_open')} after the hold, "
      f"{g('closed_by_server')} closed by the server)")
print(f"    Poshta RSS {g('rss_before_mb')} MB before, {g('rss_open_mb')} MB with all open, {g('rss_after_close_mb')} MB after closing; "
      f"peak {g('peak_rss_mb')} MB; {g('kb_per_connection')} kB per connection; load {(d.get('load') or ['-'])[0]}")
PY

# ---- 6. the summary table and the targets -------------------------------------------------------
log ""
log "## summary (medians of $REPS round(s); ratio = Poshta / Postfix)"
python3 - "$CELLS" "$IDLE_JSON" <<'PY' | tee -a "$REPORT"
import json, sys, statistics
cells = {}
for raw in open(sys.argv[1]):
    name, size, s, js = raw.rstrip("\n").split("\t", 3)
    cells.setdefault((name, int(size), int(s)), []).append(json.loads(js))
def med(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None
fmt = lambda v, f="{:.0f}": "-" if v is None else f.format(v)
print(f"| size | sessions | Poshta msgs/s | Postfix msgs/s | ratio | handshakes/s Poshta / Postfix | Poshta p50/p99 ms | Postfix p50/p99 ms | CPU ms/msg Poshta / Postfix | failures P/PF (TLS) | load1 |")
print("| ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | ---: |")
ratio_1k50 = None
for suffix, label in (("", ""), ("-tls", " STARTTLS")):
    for (name, size, s) in sorted(k for k in cells if k[0] == "poshta" + suffix):
        p, q = cells[("poshta" + suffix, size, s)], cells.get(("postfix" + suffix, size, s), [])
        a, b = med(p, "msgs_per_s"), med(q, "msgs_per_s")
        ratio = a / b if a is not None and b else None
        if (size, s, suffix) == (1024, 50, ""): ratio_1k50 = ratio
        loads = [r["load"][0] for r in p + q if r.get("load")]
        hs = (f"{fmt(med(p, 'handshakes_per_s'))} / {fmt(med(q, 'handshakes_per_s'))}" if suffix else "-")
        fails = lambda rows: sum(max(r.get('failed', 0), 0) for r in rows)
        tlsf = lambda rows: f" ({sum(r.get('tls_failures', 0) for r in rows)})" if suffix else ""
        print(f"| {size}{label} | {s} | {fmt(a)} | {fmt(b)} | {fmt(ratio, '{:.2f}')} | {hs} "
              f"| {fmt(med(p, 'p50_ms'), '{:.2f}')} / {fmt(med(p, 'p99_ms'), '{:.2f}')} "
              f"| {fmt(med(q, 'p50_ms'), '{:.2f}')} / {fmt(med(q, 'p99_ms'), '{:.2f}')} "
              f"| {fmt(med(p, 'server_cpu_ms_per_msg'), '{:.3f}')} / {fmt(med(q, 'server_cpu_ms_per_msg'), '{:.3f}')} "
              f"| {fails(p)}{tlsf(p)} / {fails(q)}{tlsf(q)} "
              f"| {fmt(max(loads) if loads else None, '{:.1f}')} |")
lat = cells.get(("poshta-latency", 1024, 50), [])
p99 = med(lat, "p99_ms")
idle = json.loads(sys.argv[2]) if sys.argv[2] else {}
rss = idle.get("rss_open_mb")
print()
print("targets:")
def target(ok, text):
    print(f"  [{'met' if ok else 'NOT met' if ok is False else 'not measured'}] {text}")
    return ok
results = [
    target(None if ratio_1k50 is None else ratio_1k50 >= 4,
           f"durable intake, 1 KB, 50 sessions >= 4x Postfix: {fmt(ratio_1k50, '{:.2f}')}x"),
    target(None if p99 is None else p99 < 10,
           f"p99 DATA->250 < 10 ms at half that load ({fmt(med(lat, 'rate'))} msgs/s offered, "
           f"{fmt(med(lat, 'msgs_per_s'))} accepted): {fmt(p99, '{:.2f}')} ms"),
    target(None if rss is None or idle.get("open_at_reading", 0) < idle.get("connections", 1) else rss < 64,
           f"RSS < 64 MB with {idle.get('connections', '?')} idle connections "
           f"({idle.get('open_at_reading', '?')} open at the reading): {fmt(rss, '{:.1f}')} MB"),
]
print(f"  {sum(1 for r in results if r)} of {len(results)} met")
PY
fi   # E2E != only

# ---- 7. optional: the smtp-source ratio ---------------------------------------------------------
if [ "$SIDE_BY_SIDE" = 1 ]; then
    log ""
    log "## side-by-side.sh (smtp-source) against Poshta"
    timeout 1200 "$SHARED_BENCH/side-by-side.sh" "127.0.0.1:$PORT" 2>&1 | tee -a "$REPORT" || log "  side-by-side.sh failed"
    PF_STARTED=1   # it stops the twin itself; stopping again is harmless
fi

# ---- 8. end to end: accepted, then relayed to the bench's own sink -----------------------------
# poshta-bench e2e listens on the twin's sink port ($SINK_ADDR:$SINK_PORT) and counts what
# arrives there. One MTA at a time: a fresh Poshta per round (stopped after it), or the twin
# (no HOLD, queue emptied before and after the round).
if [ "$E2E" != 0 ]; then
E2E_CELLS="$TMP/e2e.tsv"; : >"$E2E_CELLS"
E2E_LOGS="$TMP/e2e-poshta-log.txt"; : >"$E2E_LOGS"
pf_queue_count() { find "$PF_QUEUE"/{maildrop,incoming,active,deferred,hold} -type f 2>/dev/null | wc -l; }
pf_empty_queue() {   # flush and wait (10 s at most) until the twin's queue is empty
    "$PF" flush-queue >/dev/null 2>&1
    for _ in $(seq 50); do [ "$(pf_queue_count)" = 0 ] && return 0; sleep 0.2; done
    return 1
}
free_sink_port() {   # pf-sink.py must not hold the port the bench's sink needs
    "$PF" sink-stop >/dev/null 2>&1
    for _ in $(seq 50); do listening "$SINK_PORT" || return 0; sleep 0.2; done
    return 1
}
# start_e2e_poshta DIR: a Poshta relaying everything to the sink port, fresh spool in DIR
start_e2e_poshta() {
    local dir=$1
    rm -rf "$dir"; mkdir -p "$dir/spool"
    cat >"$dir/poshta.toml" <<EOF
[server]
hostname = "bench.poshta.test"
spool = "$dir/spool"

[[listener]]
address = "127.0.0.1:$E2E_PORT"
mode = "relay"
trusted_networks = ["127.0.0.0/8"]

[limits]
max_connections = 2000
max_message_size = 26214400

[delivery]
route = "relay"
suspended = false
relays = [ { host = "$SINK_ADDR", port = $SINK_PORT, tls = "none" } ]
EOF
    "$POSHTA" serve --config "$dir/poshta.toml" </dev/null >"$dir/poshta.log" 2>&1 &
    E2E_PID=$!
    for _ in $(seq 150); do
        listening "$E2E_PORT" && return 0
        kill -0 "$E2E_PID" 2>/dev/null || { tail -20 "$dir/poshta.log" | tee -a "$REPORT"; E2E_PID=""; return 1; }
        sleep 0.2
    done
    tail -20 "$dir/poshta.log" | tee -a "$REPORT"; return 1
}
# e2e_run NAME ADDR PID S: one round; appends "NAME<TAB>S<TAB>json" to $E2E_CELLS, echoes the json
e2e_run() {
    local name=$1 addr=$2 pid=$3 s=$4 out
    local extra=(); [ "$E2E_REUSE" = 1 ] && extra=(--reuse)
    [ -n "$pid" ] && extra+=(--pid "$pid")
    out=$(timeout $((E2E_TIMEOUT + 45)) "$BENCH" e2e --target "$addr" --sink-port "$SINK_PORT" --messages "$E2E_N" \
            --sessions "$s" --size "$E2E_SIZE" --timeout "$E2E_TIMEOUT" --json "${extra[@]}" 2>>"$TMP/bench.err" | tail -1) || true
    [ -n "$out" ] || out='{"e2e_msgs_per_s":0,"arrived":0,"complete":false,"failures":["poshta-bench e2e gave no result"]}'
    printf '%s\t%s\t%s\n' "$name" "$s" "$out" >>"$E2E_CELLS"
    printf '%s\n' "$out"
}
e2e_line() {  # NAME JSON → one human line
    python3 - "$1" "$2" <<'PY'
import json, sys
name, d = sys.argv[1], json.loads(sys.argv[2])
f = lambda k, fmt="{:.0f}": "-" if d.get(k) is None else fmt.format(d[k])
state = "" if d.get("complete") else f"  INCOMPLETE ({d.get('arrived', 0)} of {d.get('accepted', 0)} arrived{', time limit' if d.get('timed_out') else ''})"
fails = f"  {d.get('failed')} FAILED at intake: {'; '.join(d.get('failures', [])[:2])}" if d.get("failed") else ""
dup = f"  {d['duplicates']} duplicates" if d.get("duplicates") else ""
cpu = f"  server CPU {d['server_cpu_ms_per_msg']:.3f} ms/msg" if d.get("server_cpu_ms_per_msg") is not None else ""
print(f"    {name:8} {f('e2e_msgs_per_s'):>6} msgs/s end to end ({f('arrived')} in {f('e2e_s', '{:.1f}')} s)"
      f"  intake {f('intake_msgs_per_s')} msgs/s  queue peak {f('queue_peak')}"
      f"  outbound connections {f('sink_connections')} (max {f('sink_peak_open')} open)"
      f"  250→sink p50 {f('transit_p50_ms', '{:.0f}')} p99 {f('transit_p99_ms', '{:.0f}')} ms{cpu}"
      f"  busy {f('machine_busy_pct')} %  load {(d.get('load') or ['-'])[0]}{dup}{state}{fails}")
PY
}

log ""
log "## end to end: $E2E_N messages of $E2E_SIZE B, $([ "$E2E_REUSE" = 1 ] && echo "one client connection per session" || echo "a new client connection per message"), each MTA relaying to poshta-bench's sink on $SINK_ADDR:$SINK_PORT"
# The intake Poshta (delivery suspended) is not needed any more; one MTA works at a time.
stop_pid "$POSHTA_PID"; POSHTA_PID=""
# The twin relays now: its configuration rewritten (no HOLD) and reloaded, or started again if
# side-by-side.sh stopped it; never its own sink.
PF_STARTED=1
"$PF" start --no-sink >/dev/null; sleep 2
PF_MASTER=$(head -1 "$PF_QUEUE/pid/master.pid" 2>/dev/null | tr -d ' ' || true)
log "  Poshta: a fresh instance and spool per round on 127.0.0.1:$E2E_PORT, route = \"relay\" to $SINK_ADDR:$SINK_PORT (concurrency: the default); Postfix twin: $PF_ADDR:$PF_PORT, master pid ${PF_MASTER:-?}, relayhost $(postconf -c "$PF_CONF" -h relayhost), default_destination_concurrency_limit $(postconf -c "$PF_CONF" -h default_destination_concurrency_limit)"
E2E_OK=1
if ! free_sink_port; then
    log "  something other than pf-sink.py listens on $SINK_ADDR:$SINK_PORT: skipping the end-to-end section"; E2E_OK=0
elif listening "$E2E_PORT"; then
    log "  something already listens on 127.0.0.1:$E2E_PORT: skipping the end-to-end section"; E2E_OK=0
fi
if [ "$E2E_OK" = 1 ]; then
    k=0
    for s in $E2E_SESSIONS; do
        log "  $s session(s); load1 $(load1)"
        for r in $(seq "$E2E_REPS"); do
            if [ "$(elapsed_min)" -ge "$MAX_MINUTES" ]; then log "  (MAX_MINUTES=$MAX_MINUTES reached: skipping the rest)"; break 2; fi
            k=$((k + 1))
            order="poshta postfix"; [ $((r % 2)) = 0 ] && order="postfix poshta"   # alternate who goes first
            for mta in $order; do
                free_sink_port || { log "    $SINK_ADDR:$SINK_PORT is taken; skipping a round"; continue; }
                if [ "$mta" = poshta ]; then
                    dir="$TMP/e2e-$k"
                    if ! start_e2e_poshta "$dir"; then log "    Poshta did not start (see above)"; E2E_PID=""; continue; fi
                    out=$(e2e_run poshta "127.0.0.1:$E2E_PORT" "$E2E_PID" "$s")
                    stop_pid "$E2E_PID"; E2E_PID=""
                    log "$(e2e_line poshta "$out")"
                    # what Poshta said besides its per-message info lines
                    {
                        echo "### round $k, $s sessions: $(grep -c ' info ' "$dir/poshta.log") info lines, $(grep -c 'status=sent' "$dir/poshta.log") status=sent, $(grep -c 'status=deferred' "$dir/poshta.log") status=deferred, $(grep -c 'status=bounced' "$dir/poshta.log") status=bounced"
                        grep -v ' info ' "$dir/poshta.log" | head -40 || true
                        grep 'status=deferred' "$dir/poshta.log" | head -5 || true
                    } >>"$E2E_LOGS" || true
                    rm -rf "$dir"
                else
                    if ! pf_empty_queue; then log "    the twin's queue is not empty ($(pf_queue_count) files) after flush-queue"; fi
                    out=$(e2e_run postfix "$PF_ADDR:$PF_PORT" "$PF_MASTER" "$s")
                    log "$(e2e_line postfix "$out")"
                    pf_empty_queue || true
                fi
            done
        done
    done
    log ""
    log "## end to end: summary (medians of $E2E_REPS round(s); ratio = Poshta / Postfix)"
    python3 - "$E2E_CELLS" "$E2E_SIZE" <<'PY' | tee -a "$REPORT"
import json, sys, statistics
cells = {}
for raw in open(sys.argv[1]):
    name, s, js = raw.rstrip("\n").split("\t", 2)
    cells.setdefault((name, int(s)), []).append(json.loads(js))
size = int(sys.argv[2])
def med(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None
fmt = lambda v, f="{:.0f}": "-" if v is None else f.format(v)
print("| size | sessions | e2e msgs/s Poshta / Postfix | ratio | intake msgs/s P / PF | queue peak P / PF | outbound connections P / PF | 250→sink p99 ms P / PF | server CPU ms/msg P / PF | incomplete rounds P / PF |")
print("| ---: | ---: | --- | ---: | --- | --- | --- | --- | --- | --- |")
ratio50 = None
for s in sorted({k[1] for k in cells}, reverse=True):
    p, q = cells.get(("poshta", s), []), cells.get(("postfix", s), [])
    a, b = med(p, "e2e_msgs_per_s"), med(q, "e2e_msgs_per_s")
    ratio = a / b if a is not None and b else None
    if s == 50 and size == 1024: ratio50 = ratio
    both = lambda key, f="{:.0f}": f"{fmt(med(p, key), f)} / {fmt(med(q, key), f)}"
    bad = lambda rows: sum(1 for r in rows if not r.get("complete"))
    print(f"| {size} | {s} | {both('e2e_msgs_per_s')} | {fmt(ratio, '{:.2f}')} | {both('intake_msgs_per_s')} "
          f"| {both('queue_peak')} | {both('sink_connections')} | {both('transit_p99_ms')} "
          f"| {both('server_cpu_ms_per_msg', '{:.3f}')} | {bad(p)} / {bad(q)} |")
print()
ok = None if ratio50 is None else ratio50 >= 2
print(f"  [{'met' if ok else 'NOT met' if ok is False else 'not measured'}] end to end, 1 KB, 50 sessions >= 2x Postfix: {fmt(ratio50, '{:.2f}')}x")
PY
    if [ -s "$E2E_LOGS" ]; then
        cp "$E2E_LOGS" "$RESULTS_DIR/poshta-e2e-$STAMP.log"
        log ""
        log "## Poshta's log in the end-to-end rounds (all but info lines: results/poshta-e2e-$STAMP.log)"
        grep '^### ' "$E2E_LOGS" | sed 's/^### /    /' | tee -a "$REPORT"
        notes=$(grep -v '^### ' "$E2E_LOGS" | grep -v ' notice ' | sort | uniq -c | sort -rn | head -8 || true)
        [ -n "$notes" ] && printf '%s\n' "$notes" | sed 's/^/    /' | tee -a "$REPORT"
    fi
fi
fi   # E2E != 0

if [ -s "$TMP/bench.err" ]; then log ""; log "## poshta-bench stderr (last lines)"; tail -5 "$TMP/bench.err" | tee -a "$REPORT"; fi
log ""
log "# done in $(( $(date +%s) - T_START )) s; load average $(cut -d' ' -f1-3 /proc/loadavg)$([ "$E2E" != only ] && echo "; Poshta log: results/poshta-$STAMP.log")"
