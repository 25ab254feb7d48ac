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
# the kernel, and the client's own reading of N sockets on one core. Publishing starts when the
# client starts recording (--signal-ready), and pane's own stats give publish -> written: the
# time from pn_feed_set to each session's write() (a histogram, 4 buckets per power of two, so
# quantiles within 25 %; GET /_pane/stats "feeds"). The server runs on core 0, the client on
# core 1; RUNS runs per rate; medians.
#
# The reference, run in the same invocation: bench/apps/write_floor.c writes one frame of the
# same size to each of N loopback connections read by a process on the other core, with bare
# write() calls and nothing else: the kernel's cost of a fan-out on this machine. pane's CPU per
# message sent (its CPU time over the messages the client got) is quoted against the floor's.
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
cc -O2 -Wall -Wextra -o "$tmp/write_floor" bench/apps/write_floor.c

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

floor_us=() floor_ms=()
for ((r = 1; r <= RUNS; r++)); do
    f=$(timeout 300 "$tmp/write_floor" "$N" 20 0 1)
    floor_us+=("$(field "$f" floor_cpu_us_per_frame)") floor_ms+=("$(field "$f" floor_ms_per_round)")
    echo "bench: floor run $r: bare write() of one frame to $N connections: $(field "$f" floor_ms_per_round) ms a round, $(field "$f" floor_cpu_us_per_frame) µs of CPU per frame"
done
fus=$(printf '%s\n' "${floor_us[@]}" | median)

summary=()
for rate in $RATES; do
    p50=() p99=() pmax=() cpu=() epp=() upm=() wp50=() wp99=()
    for ((r = 1; r <= RUNS; r++)); do
        : >"$tmp/out"
        taskset -c 0 "$BIN" "$rate" >"$tmp/out" 2>"$tmp/err" &
        pane_pid=$!
        url=$(wait_url "$pane_pid" "$tmp/out" "$tmp/err")
        port=${url#http://127.0.0.1:}
        port=${port%%/*}
        l=$(timeout $((DURATION + 200)) taskset -c 1 "$tmp/sessions" --port "$port" --path /feed \
            --n "$N" --pid "$pane_pid" --mode latency --duration "$DURATION" --signal-ready \
            --timeout $((DURATION + 150))) || {
            echo "bench: the client failed: $l" >&2
            tail -n 20 "$tmp/err" >&2
            exit 1
        }
        stats=$(curl -sf "http://127.0.0.1:$port/_pane/stats")
        w50=$(sed -n 's/.*"delay_us":{"p50":\([0-9]*\),"p99":\([0-9]*\),"max":\([0-9]*\)}.*/\1/p' <<<"$stats")
        w99=$(sed -n 's/.*"delay_us":{"p50":\([0-9]*\),"p99":\([0-9]*\),"max":\([0-9]*\)}.*/\2/p' <<<"$stats")
        stop_pid "$pane_pid" 30
        pane_pid=
        counts=$(grep -o 'publishes=[0-9]* encodings=[0-9]*' "$tmp/err" | tail -n 1)
        pubs=$(field "$counts" publishes) encs=$(field "$counts" encodings)
        e=$(awk -v e="$encs" -v p="$pubs" 'BEGIN {printf "%.3f", p ? e / p : 0}')
        p50+=("$(field "$l" p50_ms)") p99+=("$(field "$l" p99_ms)") pmax+=("$(field "$l" max_ms)")
        u=$(awk -v c="$(field "$l" server_cpu_pct)" -v s="$(field "$l" seconds)" \
            -v m="$(field "$l" patches)" 'BEGIN {printf "%.2f", m ? c / 100 * s * 1e6 / m : 0}')
        cpu+=("$(field "$l" server_cpu_pct)") epp+=("$e") upm+=("$u")
        wp50+=("$(awk -v u="$w50" 'BEGIN {printf "%.1f", u / 1000}')")
        wp99+=("$(awk -v u="$w99" 'BEGIN {printf "%.1f", u / 1000}')")
        echo "bench: $rate/s run $r: publish -> written p50 ${wp50[-1]} ms p99 ${wp99[-1]} ms;" \
            "$N sessions, $(field "$l" patches) patches in" \
            "$(field "$l" seconds) s: delay p50 $(field "$l" p50_ms) ms p99 $(field "$l" p99_ms) ms" \
            "max $(field "$l" max_ms) ms; program CPU $(field "$l" server_cpu_pct)%;" \
            "$u µs of CPU per message sent; $encs encodings for $pubs publishes ($e per publish)"
    done
    summary+=("bench:   $rate publish/s, $N sessions: publish -> written p50 $(printf '%s\n' "${wp50[@]}" | median) ms, p99 $(printf '%s\n' "${wp99[@]}" | median) ms; publish -> received p50 $(printf '%s\n' "${p50[@]}" | median) ms, p99 $(printf '%s\n' "${p99[@]}" | median) ms, max $(printf '%s\n' "${pmax[@]}" | median) ms; program CPU $(printf '%s\n' "${cpu[@]}" | median)%, $(printf '%s\n' "${upm[@]}" | median) µs per message sent ($(awk -v a="$(printf '%s\n' "${upm[@]}" | median)" -v b="$fus" 'BEGIN {printf "%.2f", a / b}')x the floor's $fus); $(printf '%s\n' "${epp[@]}" | median) encodings per publish")
done
echo "bench: medians of $RUNS runs:"
echo "bench:   floor: bare write() of one frame to $N loopback connections: $(printf '%s\n' "${floor_ms[@]}" | median) ms a round, $fus µs of CPU per frame"
printf '%s\n' "${summary[@]}"
