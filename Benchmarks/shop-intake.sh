#!/usr/bin/env bash
# The shop path, measured: how fast Poshta renders a template and how many
# template messages per second it takes in durably, against plain messages
# of the same size, with the reference Postfix taking the same two files
# (which it only queues: Postfix renders nothing) in the same run.
#
#   1. builds poshta (release, --scratch-path .build-release) and poshta-bench (release),
#      unless SKIP_BUILD=1;
#   2. `poshta template bench order_paid --locale bg --items 10`: renders per second of
#      subject, text and HTML on one task, and MIME builds per second;
#   3. starts Poshta on 127.0.0.1:$PORT (delivery suspended: accept and spool only) with
#      the shipped templates, a generated coupon for order_paid and a small catalog, so
#      that every message gets its related products and a coupon, as in production;
#   4. writes two message files: order_paid in Bulgarian with 10 order lines as the shop
#      sends it (X-Shop-Template, JSON body), and a plain message of the same size;
#   5. REPS rounds, alternating: poshta-bench intake, SESSIONS sessions, a new connection
#      per message, N messages, each file against Poshta; with POSTFIX=1 (as root) also
#      each file against the Postfix twin with every message held (durable intake only);
#   6. prints the medians.
#
# Environment: N=3000  SESSIONS=50  REPS=3  PORT=2610  POSTFIX=0  SKIP_BUILD=0
#              POSHTA_BIN=…  SHARED_BENCH=…/shared/bench
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$(cd "$MAIN/../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)}
PF="$SHARED_BENCH/postfix/pf.sh"
export PF_INSTANCE=bench
N=${N:-3000}
SESSIONS=${SESSIONS:-50}
REPS=${REPS:-3}
PORT=${PORT:-2610}
POSTFIX=${POSTFIX:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
for v in N SESSIONS REPS PORT; do [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "$v must be a whole number" >&2; exit 2; }; done
[ "$N" -ge 1 ] && [ "$N" -le 100000 ] || { echo "N must be 1..100000" >&2; exit 2; }
[ "$REPS" -ge 1 ] && [ "$REPS" -le 9 ] || { echo "REPS must be 1..9" >&2; exit 2; }
if [ "$POSTFIX" = 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "shop-intake.sh: POSTFIX=1 must run as root" >&2; exit 1; }
    [ -x "$PF" ] || { echo "shop-intake.sh: no $PF (set SHARED_BENCH)" >&2; exit 1; }
fi

POSHTA=${POSHTA_BIN:-$MAIN/.build-release/release/poshta}
BENCH="$HERE/.build/release/poshta-bench"
if [ "$SKIP_BUILD" != 1 ]; then
    echo "# building poshta and poshta-bench (release)…"
    (cd "$MAIN" && timeout 3600 swift build -c release --product poshta --scratch-path .build-release) >/dev/null
    (cd "$HERE" && timeout 1800 swift build -c release --product poshta-bench) >/dev/null
fi
[ -x "$POSHTA" ] && [ -x "$BENCH" ] || { echo "shop-intake.sh: build poshta and poshta-bench first" >&2; exit 1; }

# The spool on a real disk, as Postfix's queue is.
TMP_PARENT=/tmp
[ "$(stat -f -c %T /tmp 2>/dev/null)" = tmpfs ] && TMP_PARENT=/var/tmp
TMP=$(mktemp -d "$TMP_PARENT/poshta-shop-bench.XXXXXX")
POSHTA_PID=""
PF_STARTED=0
cleanup() {
    local rc=$?
    set +e
    if [ -n "$POSHTA_PID" ]; then
        kill -TERM "$POSHTA_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$POSHTA_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$POSHTA_PID" 2>/dev/null
        wait "$POSHTA_PID" 2>/dev/null
    fi
    if [ "$PF_STARTED" = 1 ]; then
        "$PF" config >/dev/null 2>&1; "$PF" flush-queue >/dev/null 2>&1; "$PF" stop >/dev/null 2>&1
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# shop intake benchmark $(date -u '+%F %T UTC') on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- configuration, catalog, message files ------------------------------------------------
mkdir -p "$TMP/spool"
cat >"$TMP/poshta.toml" <<EOF
[server]
hostname = "bench.poshta.test"
spool = "$TMP/spool"

[[listener]]
address = "127.0.0.1:$PORT"
mode = "relay"
trusted_networks = ["127.0.0.0/8"]

[limits]
max_connections = 2000

[delivery]
route = "capture"
suspended = true

[admin]
address = "127.0.0.1:0"

[shop]
name = "Чаена къща Ромашка"
from = "shop@romashka.example"
currency = "BGN"
templates = "$MAIN/conf/templates"

[coupons.order_paid]
source = "generate"
percent = 10
prefix = "PAID-"
validity_days = 14
EOF
python3 - "$MAIN/conf/templates/samples/order_paid.json" "$TMP" <<'PY'
import json, sys, copy
sample, tmp = sys.argv[1], sys.argv[2]
data = json.load(open(sample))
data.pop("related_products", None); data.pop("coupon", None)
lines = data["order"]["items"]
data["order"]["items"] = [dict(lines[i % len(lines)], sku="%s-%d" % (lines[i % len(lines)]["sku"], i)) for i in range(10)]
body = json.dumps(data, ensure_ascii=False, indent=1)
template = ("From: shop@romashka.example\nTo: maria@example.bg\nSubject: order\nX-Shop-Template: order_paid\n"
            "X-Shop-Locale: bg\nContent-Type: application/json; charset=utf-8\n\n" + body + "\n").encode()
open(tmp + "/template.eml", "wb").write(template)
# A plain message of the same size: header, then ASCII lines.
header = b"From: shop@romashka.example\nTo: maria@example.bg\nSubject: plain\nContent-Type: text/plain; charset=us-ascii\n\n"
filler = b"The quick brown fox jumps over the lazy dog; Pack my box with five dozen jugs.\n"
plain = header + filler * ((len(template) - len(header)) // len(filler) + 1)
open(tmp + "/plain.eml", "wb").write(plain[:len(template) - 1] + b"\n")
# The catalog: the ordered products and their related ones, in categories.
rows = ["sku,name_bg,price,currency,categories,related,units_sold"]
for i in range(10):
    sku = "%s-%d" % (lines[i % len(lines)]["sku"], i)
    rows.append("%s,Продукт %d,%.2f,BGN,Чай,REL-%d|REL-%d,%d" % (sku, i, 10 + i, i, i + 1, i))
for i in range(12):
    rows.append("REL-%d,Свързан продукт %d,%.2f,BGN,Чай,,%d" % (i, i, 5 + i, 100 - i))
open(tmp + "/catalog.csv", "w").write("\n".join(rows) + "\n")
PY
"$POSHTA" catalog import --config "$TMP/poshta.toml" "$TMP/catalog.csv" >/dev/null
SIZE=$(stat -c %s "$TMP/template.eml")

# ---- rendering alone -----------------------------------------------------------------------
echo "# rendering (one task):"
"$POSHTA" template bench --config "$TMP/poshta.toml" order_paid --locale bg --items 10 --count 5000 | sed 's/^/  /'

# ---- intake ---------------------------------------------------------------------------------
listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
if listening "$PORT"; then echo "shop-intake.sh: something already listens on 127.0.0.1:$PORT" >&2; exit 1; fi
"$POSHTA" serve --config "$TMP/poshta.toml" </dev/null >"$TMP/poshta.log" 2>&1 &
POSHTA_PID=$!
for _ in $(seq 150); do listening "$PORT" && break; sleep 0.2; done
listening "$PORT" || { tail -20 "$TMP/poshta.log"; echo "shop-intake.sh: Poshta did not start" >&2; exit 1; }
if [ "$POSTFIX" = 1 ]; then
    "$PF" install >/dev/null
    eval "$("$PF" env)"
    PF_STARTED=1
    "$PF" start --no-sink >/dev/null
    postconf -c "$PF_CONF" -e "smtpd_end_of_data_restrictions = check_client_access static:HOLD"
    postfix -c "$PF_CONF" reload >/dev/null 2>&1; sleep 2
fi

RESULTS="$TMP/results.tsv"; : >"$RESULTS"
run() {  # NAME ADDR FILE
    local out
    out=$(timeout 300 "$BENCH" intake --target "$2" --messages "$N" --sessions "$SESSIONS" --message "$3" \
            --to maria@example.bg --time-limit 240 --json 2>>"$TMP/bench.err" | tail -1) || true
    [ -n "$out" ] || out='{"msgs_per_s":0,"failed":-1}'
    case $1 in postfix*) "$PF" flush-queue >/dev/null 2>&1 ;; esac
    printf '%s\t%s\n' "$1" "$out" >>"$RESULTS"
}
for round in $(seq "$REPS"); do
    run "poshta template" "127.0.0.1:$PORT" "$TMP/template.eml"
    run "poshta plain" "127.0.0.1:$PORT" "$TMP/plain.eml"
    if [ "$POSTFIX" = 1 ]; then
        run "postfix template (queued as is)" "$PF_ADDR:$PF_PORT" "$TMP/template.eml"
        run "postfix plain" "$PF_ADDR:$PF_PORT" "$TMP/plain.eml"
    fi
done
rendered=$(grep -c "template=order_paid, locale=bg" "$TMP/poshta.log" || true)
echo "# durable intake, $SESSIONS sessions, a new connection per message, $N messages of $SIZE B, $REPS round(s):"
python3 - "$RESULTS" <<'PY'
import json, sys, statistics
cells = {}
for line in open(sys.argv[1]):
    name, text = line.rstrip("\n").split("\t", 1)
    cells.setdefault(name, []).append(json.loads(text))
for name, runs in cells.items():
    rates = [r.get("msgs_per_s", 0) for r in runs]
    failed = sum(max(r.get("failed", 0), 0) for r in runs)
    p99 = [r.get("p99_ms") for r in runs if r.get("p99_ms") is not None]
    extra = "  p99 DATA→250 %.1f ms" % statistics.median(p99) if p99 else ""
    print("  %-34s %8.0f msgs/s (runs: %s)%s%s" % (name, statistics.median(rates), ", ".join("%.0f" % r for r in rates),
          extra, "  FAILED %d" % failed if failed else ""))
PY
echo "  (Poshta's log: $rendered messages rendered as order_paid in Bulgarian)"
