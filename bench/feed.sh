#!/usr/bin/env bash
# bench/feed.sh — one number feed shown by N sessions of one loop, published from a thread of
# the program (issue 12's bench): publish -> received delay p50/p99/max, the program's CPU, and
# the encodings per publish.
#
# The server is bench/apps/feed_embed.c (build/release/bench_feed): a program that embeds pane
# with one loop and publishes the wall-clock ms to the feed RATE times a second from its own
# thread; every session shows the feed in a Number. The load client (bench/sessions.c --mode
# latency) opens N sessions as browsers do and, for DURATION s, takes every patch's receive time
# minus the value it carries. That delay holds the publish, the loop's fan-out to every socket,
# the kernel, and the client's own reading of N sockets on one core: an upper bound of publish
# -> socket write. The server runs on core 0, the client on core 1; RUNS runs per rate; medians.
#
#   bench/feed.sh                                   # N=10000, rates 1 and 10, DURATION=20, RUNS=3
#   RUNS=1 N=1000 DURATION=5 bench/feed.sh          # a quick look
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
source bench/lib.sh

BIN=${BIN:-$root/build/release/bench_feed}
RUNS=${RUNS:-3}
N=${N:-10000}
DURATION=${DURATION:-20}
RATES=${RATES:-"1 10"}

for tool in cc taskset timeout; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done
[[ -x $BIN ]] || { echo "bench: $BIN not found (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

bench_tmp feed

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

summary=()
for rate in $RATES; do
    p50=() p99=() pmax=() cpu=() epp=()
    for ((r = 1; r <= RUNS; r++)); do
        : >"$tmp/out"
        taskset -c 0 "$BIN" "$rate" >"$tmp/out" 2>"$tmp/err" &
        pane_pid=$!
        url=$(wait_url "$pane_pid" "$tmp/out" "$tmp/err")
        port=${url#http://127.0.0.1:}
        port=${port%%/*}
        l=$(timeout $((DURATION + 200)) taskset -c 1 "$tmp/sessions" --port "$port" --path /feed \
            --n "$N" --pid "$pane_pid" --mode latency --duration "$DURATION" \
            --timeout $((DURATION + 150))) || {
            echo "bench: the client failed: $l" >&2
            tail -n 20 "$tmp/err" >&2
            exit 1
        }
        stop_pid "$pane_pid" 30
        pane_pid=
        counts=$(grep -o 'publishes=[0-9]* encodings=[0-9]*' "$tmp/err" | tail -n 1)
        pubs=$(field "$counts" publishes) encs=$(field "$counts" encodings)
        e=$(awk -v e="$encs" -v p="$pubs" 'BEGIN {printf "%.3f", p ? e / p : 0}')
        p50+=("$(field "$l" p50_ms)") p99+=("$(field "$l" p99_ms)") pmax+=("$(field "$l" max_ms)")
        cpu+=("$(field "$l" server_cpu_pct)") epp+=("$e")
        echo "bench: $rate/s run $r: $N sessions, $(field "$l" patches) patches in" \
            "$(field "$l" seconds) s: delay p50 $(field "$l" p50_ms) ms p99 $(field "$l" p99_ms) ms" \
            "max $(field "$l" max_ms) ms; program CPU $(field "$l" server_cpu_pct)%;" \
            "$encs encodings for $pubs publishes ($e per publish)"
    done
    summary+=("bench:   $rate publish/s, $N sessions: delay p50 $(printf '%s\n' "${p50[@]}" | median) ms, p99 $(printf '%s\n' "${p99[@]}" | median) ms, max $(printf '%s\n' "${pmax[@]}" | median) ms; program CPU $(printf '%s\n' "${cpu[@]}" | median)%; $(printf '%s\n' "${epp[@]}" | median) encodings per publish")
done
echo "bench: medians of $RUNS runs:"
printf '%s\n' "${summary[@]}"
