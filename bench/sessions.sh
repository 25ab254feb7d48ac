#!/usr/bin/env bash
# bench/sessions.sh — live sessions: memory per session and patch delivery delay (DESIGN.md §9).
#
# (a) RSS per live weather session: for N in $COUNTS (1000 10000), a fresh release pane serves
#     examples/weather.c on core 0; the load client (bench/sessions.c, on core 1) opens a few
#     warm-up sessions, reads pane's VmRSS, opens N more (GET the page, the token from #pn-data,
#     upgrade on the same connection, hello, wait for the doc), waits SETTLE_MS and reads VmRSS
#     again: bytes per session = ΔRSS / N.
# (b) Patch delay: a fresh pane serves bench/apps/tick.c (pn_every(1000) sets a Number to the wall
#     clock in ms); LAT_N sessions are opened, then for DURATION s the client records, for every
#     patch, its receive time minus the value it carries: p50/p90/p99/p99.9/max and patches/s.
#
# The client is compiled here (cc -O2, libc only) into a temp dir. Every run is bounded by
# `timeout`, every process started is stopped by PID on exit (also on failure or Ctrl-C).
#
#   cmake -S . -B build/h-live-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DPANE_TESTS=OFF
#   cmake --build build/h-live-rel --target pane
#   bench/sessions.sh                                   # about a minute
#   COUNTS="1000" LAT_N=2000 DURATION=5 bench/sessions.sh   # a quick one
#   PANE_BIN=build/release/pane bench/sessions.sh
#   NO_README=1 bench/sessions.sh                       # print only, leave bench/README.md alone
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
source bench/lib.sh

PANE_BIN=${PANE_BIN:-$root/build/h-live-rel/pane}
COUNTS=${COUNTS:-1000 10000}
LAT_N=${LAT_N:-10000}
DURATION=${DURATION:-20}
SETTLE_MS=${SETTLE_MS:-2000}
CONCURRENCY=${CONCURRENCY:-256}

for tool in cc taskset timeout; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done
if [[ ! -x $PANE_BIN ]]; then
    echo "bench: $PANE_BIN not found. Build it:" >&2
    echo "  cmake -S . -B build/h-live-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DPANE_TESTS=OFF" >&2
    echo "  cmake --build build/h-live-rel --target pane" >&2
    exit 2
fi
if (($(nproc) < 2)); then
    echo "bench: needs 2 cores (pane on core 0, the client on core 1)" >&2
    exit 2
fi
max_n=$LAT_N
for n in $COUNTS; do
    if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > 50000)); then
        echo "bench: COUNTS are 1..50000" >&2
        exit 2
    fi
    ((n > max_n)) && max_n=$n
done
if ! [[ $LAT_N =~ ^[0-9]+$ && $DURATION =~ ^[0-9]+$ ]] ||
    ((LAT_N < 1 || LAT_N > 50000 || DURATION < 1 || DURATION > 60)); then
    echo "bench: LAT_N 1..50000, DURATION 1..60" >&2
    exit 2
fi
# every socket is one descriptor in pane and one in the client (each its own process)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if (($(ulimit -n) < max_n + 200)); then
    echo "bench: ulimit -n is $(ulimit -n) (hard $(ulimit -Hn)); $((max_n + 200)) are needed" >&2
    exit 2
fi

bench_tmp sessions

start_pane() { # APP: pane on core 0; sets pane_pid and port
    : >"$tmp/pane.out"
    XDG_CACHE_HOME=$tmp/cache taskset -c 0 "$PANE_BIN" serve --port 0 --address 127.0.0.1 \
        --log-level warning "$1" >"$tmp/pane.out" 2>"$tmp/pane.err" &
    pane_pid=$!
    port=
    local i
    for ((i = 0; i < 600; i++)); do # 60 s: the first start compiles the app
        port=$(sed -n 's/^pane: serving http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$tmp/pane.out" | head -n 1)
        [[ -n $port ]] && return 0
        if ! kill -0 "$pane_pid" 2>/dev/null; then
            echo "bench: pane exited:" >&2
            cat "$tmp/pane.err" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "bench: pane printed no URL in 60 s" >&2
    exit 1
}

field() { # LINE KEY
    sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"
}

busy_pct() { # percent of both cores busy over one second (other work skews the figures)
    local a b
    a=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)
    sleep 1
    b=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " ");
        d = y[2] - x[2]; printf "%d", (d > 0 ? 100 * (y[1] - x[1]) / d : 0)}'
}
busy=$(busy_pct)
for ((i = 0; i < 24 && busy > 20; i++)); do # wait up to 2 min for a quiet machine
    echo "bench: the machine is ${busy}% busy with other work; waiting" >&2
    sleep 4
    busy=$(busy_pct)
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A rss_line
for n in $COUNTS; do
    start_pane examples/weather.c
    line=$(timeout 300 taskset -c 1 "$tmp/sessions" --port "$port" --path /weather --n "$n" \
        --pid "$pane_pid" --mode rss --settle "$SETTLE_MS" --concurrency "$CONCURRENCY" --timeout 240) || {
        echo "bench: the client failed for N=$n: $line" >&2
        tail -n 20 "$tmp/pane.err" >&2
        exit 1
    }
    rss_line[$n]=$line
    echo "bench: weather N=$n: $line"
    stop_pid "$pane_pid"
    pane_pid=
done

start_pane bench/apps/tick.c
lat_line=$(timeout $((DURATION + 300)) taskset -c 1 "$tmp/sessions" --port "$port" --path /tick \
    --n "$LAT_N" --pid "$pane_pid" --mode latency --duration "$DURATION" \
    --concurrency "$CONCURRENCY" --timeout $((DURATION + 240))) || {
    echo "bench: the client failed for the latency run: $lat_line" >&2
    tail -n 20 "$tmp/pane.err" >&2
    exit 1
}
echo "bench: tick N=$LAT_N: $lat_line"
stop_pid "$pane_pid"
pane_pid=
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
busy_after=$(busy_pct)

# ---- the report ----------------------------------------------------------------------------------
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=
if git -C "$root" status --porcelain 2>/dev/null | grep -q .; then
    dirty=" + local changes"
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
    echo "Latest run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit$dirty, $(nproc) cores ($cpu)."
    echo "Command: \`COUNTS=\"$COUNTS\" LAT_N=$LAT_N DURATION=$DURATION SETTLE_MS=$SETTLE_MS bench/sessions.sh\`;"
    echo "pane: \`$(basename "$PANE_BIN") serve --port 0 --address 127.0.0.1 --log-level warning APP\` on core 0 (release build),"
    echo "the client (bench/sessions.c) on core 1. Load average before / after: $load_before / $load_after;"
    echo "the machine was ${busy}% busy with other work just before the run, ${busy_after}% just after."
    echo
    echo "**(a) RSS per live weather session** (examples/weather.c; ΔVmRSS of pane from after 16"
    echo "warm-up sessions to ${SETTLE_MS} ms after the last of N docs arrived, divided by N):"
    echo
    echo "| sessions | set-up time | VmRSS before | VmRSS after | per session | target (≤ 16 KiB at 10,000) |"
    echo "|---|---|---|---|---|---|"
    for n in $COUNTS; do
        l=${rss_line[$n]}
        b=$(field "$l" rss_before_kb)
        a=$(field "$l" rss_settled_kb)
        per=$(field "$l" bytes_per_session)
        kib=$(awk -v p="$per" 'BEGIN {printf "%.1f", p / 1024}')
        verdict=$(awk -v p="$per" -v n="$n" 'BEGIN {print (n < 10000 ? "-" : (p <= 16384 ? "met" : "**missed**"))}')
        printf '| %s | %s ms | %s kB | %s kB | **%s bytes (%s KiB)** | %s |\n' "$n" "$(field "$l" setup_ms)" \
            "$b" "$a" "$per" "$kib" "$verdict"
    done
    echo
    echo "**(b) Patch delivery delay**, $LAT_N tick sessions (bench/apps/tick.c, one patch a second"
    echo "each), recorded for $(field "$lat_line" seconds) s after all docs arrived; delay = the client's"
    echo "receive time − the wall-clock time the app's pn_every callback put in the patch:"
    echo
    echo "| patches | patches/s | p50 | p90 | p99 | p99.9 | max | pane CPU | target (p99 < 50 ms) |"
    echo "|---|---|---|---|---|---|---|---|---|"
    p99=$(field "$lat_line" p99_ms)
    printf '| %s | %s | %s ms | %s ms | **%s ms** | %s ms | %s ms | %s%% of core 0 | %s |\n' \
        "$(field "$lat_line" patches)" "$(field "$lat_line" patches_per_s)" \
        "$(field "$lat_line" p50_ms)" "$(field "$lat_line" p90_ms)" "$p99" \
        "$(field "$lat_line" p999_ms)" "$(field "$lat_line" max_ms)" \
        "$(field "$lat_line" server_cpu_pct)" \
        "$(awk -v p="$p99" 'BEGIN {print (p < 50 ? "met" : "**missed**")}')"
    echo
    echo "The pn_every(1000) period as the app saw it (consecutive values of one session): p50"
    echo "$(field "$lat_line" period_p50_ms) ms, p99 $(field "$lat_line" period_p99_ms) ms, max $(field "$lat_line" period_max_ms) ms."
    echo "VmRSS with $LAT_N tick sessions: $(field "$lat_line" rss_kb) kB."
} >"$tmp/report.md"
echo
cat "$tmp/report.md"

if [[ -z ${NO_README:-} ]]; then
    readme=$root/bench/README.md
    start='<!-- sessions:start -->'
    end='<!-- sessions:end -->'
    if ! grep -qF "$start" "$readme"; then
        {
            echo
            echo '## Live sessions'
            echo
            echo "$start"
            echo "$end"
        } >>"$readme"
    fi
    awk -v start="$start" -v end="$end" -v report="$tmp/report.md" '
        $0 == start {print; while ((getline line < report) > 0) print line; skip = 1; next}
        $0 == end {skip = 0}
        !skip {print}' "$readme" >"$tmp/readme.new"
    cat "$tmp/readme.new" >"$readme"
    echo "bench: results written to bench/README.md (## Live sessions)"
fi
