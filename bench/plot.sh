#!/usr/bin/env bash
# bench/plot.sh — what live updates cost on the wire and in delivery (issue 11's benches 2 and 3).
#
# (3) A Number value update: bench/apps/tick.c (pn_every(1000) sets a Number), NUM_N sessions for
#     NUM_DURATION s; the client (bench/sessions.c --mode latency) counts the bytes of every
#     patch frame, header included. With PANE_BIN_BEFORE (a pane from before protocol version 2,
#     e.g. built from f5e8133) the same run against it gives the "before" figure.
# (2) A streaming plot: bench/apps/stream.c (each session appends one point of 3 series ten times
#     a second, x = the wall-clock ms of the append), PLOT_N sessions for DURATION s: delivery
#     delay p50/p99/max (receive time − x), pane's CPU, bytes on the wire per data message and
#     per (x, y) point. The same with one shared feed (bench/apps/stream_feed.c: the same data
#     messages per session, but each append made once, by one session's timer, for all).
#
# pane runs on core 0, the client on core 1; every run is bounded by `timeout`, every process
# started is stopped by PID. Medians of RUNS runs are printed last.
#
#   bench/plot.sh                                       # build/release/pane
#   PANE_BIN_BEFORE=/tmp/before/build/pane bench/plot.sh
#   RUNS=1 PLOT_N=200 DURATION=5 bench/plot.sh          # a quick look
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
source bench/lib.sh

PANE_BIN=${PANE_BIN:-$root/build/release/pane}
PANE_BIN_BEFORE=${PANE_BIN_BEFORE:-}
RUNS=${RUNS:-3}
NUM_N=${NUM_N:-100}
NUM_DURATION=${NUM_DURATION:-5}
PLOT_N=${PLOT_N:-1000}
DURATION=${DURATION:-20}

for tool in cc taskset timeout; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done
[[ -x $PANE_BIN ]] || { echo "bench: $PANE_BIN not found (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

bench_tmp plot

start() { # BIN APP: pane on core 0; sets pane_pid and port
    : >"$tmp/out"
    XDG_CACHE_HOME=$tmp/cache taskset -c 0 "$1" serve --port 0 --address 127.0.0.1 \
        --log-level warning "$2" >"$tmp/out" 2>"$tmp/err" &
    pane_pid=$!
    local url
    url=$(wait_url "$pane_pid" "$tmp/out" "$tmp/err")
    port=${url#http://127.0.0.1:}
    port=${port%%/*}
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }

run() { # BIN APP PATH N SECONDS [PROTOCOL]: one client run; its key=value line in $l (not run
         # in a $(…) subshell: the pane it starts must be the one the exit trap stops)
    start "$1" "$2"
    l=$(timeout $(($5 + 200)) taskset -c 1 "$tmp/sessions" --port "$port" --path "$3" \
        --n "$4" --pid "$pane_pid" --mode latency --duration "$5" --protocol "${6:-2}" \
        --timeout $(($5 + 150))) || {
        echo "bench: the client failed: $l" >&2
        tail -n 20 "$tmp/err" >&2
        exit 1
    }
    stop_pid "$pane_pid"
    pane_pid=
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

num_after=() num_before=() p50=() p99=() pmax=() cpu=() bpm=() bpp=() fp99=() fcpu=()
for ((r = 1; r <= RUNS; r++)); do
    run "$PANE_BIN" bench/apps/tick.c /tick "$NUM_N" "$NUM_DURATION"
    num_after+=("$(field "$l" wire_bytes_per_msg)")
    echo "bench: run $r: Number update, protocol 2: $(field "$l" wire_bytes_per_msg) bytes on the wire per patch ($(field "$l" patches) patches)"
    if [[ -n $PANE_BIN_BEFORE ]]; then
        run "$PANE_BIN_BEFORE" bench/apps/tick.c /tick "$NUM_N" "$NUM_DURATION" 1
        num_before+=("$(field "$l" wire_bytes_per_msg)")
        echo "bench: run $r: Number update, protocol 1 ($(basename "$PANE_BIN_BEFORE")): $(field "$l" wire_bytes_per_msg) bytes per patch"
    fi
    run "$PANE_BIN" bench/apps/stream.c /stream "$PLOT_N" "$DURATION"
    p50+=("$(field "$l" p50_ms)") p99+=("$(field "$l" p99_ms)") pmax+=("$(field "$l" max_ms)")
    cpu+=("$(field "$l" server_cpu_pct)") bpm+=("$(field "$l" wire_bytes_per_msg)")
    bpp+=("$(field "$l" wire_bytes_per_point)")
    echo "bench: run $r: plot, $PLOT_N sessions x 10 appends/s: $(field "$l" patches) data messages" \
        "in $(field "$l" seconds) s, delay p50 $(field "$l" p50_ms) ms p99 $(field "$l" p99_ms) ms" \
        "max $(field "$l" max_ms) ms, pane CPU $(field "$l" server_cpu_pct)%," \
        "$(field "$l" wire_bytes_per_msg) bytes per message, $(field "$l" wire_bytes_per_point) per (x, y) point"
    run "$PANE_BIN" bench/apps/stream_feed.c /stream_feed "$PLOT_N" "$DURATION"
    fp99+=("$(field "$l" p99_ms)") fcpu+=("$(field "$l" server_cpu_pct)")
    echo "bench: run $r: one feed, $PLOT_N sessions: $(field "$l" patches) data messages," \
        "delay p50 $(field "$l" p50_ms) ms p99 $(field "$l" p99_ms) ms max $(field "$l" max_ms) ms," \
        "pane CPU $(field "$l" server_cpu_pct)%, $(field "$l" wire_bytes_per_msg) bytes per message"
done
echo "bench: medians of $RUNS runs:"
echo "bench:   Number value update: $(printf '%s\n' "${num_after[@]}" | median) bytes on the wire (target <= 60)"
[[ -n $PANE_BIN_BEFORE ]] && echo "bench:   before (protocol 1): $(printf '%s\n' "${num_before[@]}" | median) bytes"
echo "bench:   plot, $PLOT_N sessions: delay p50 $(printf '%s\n' "${p50[@]}" | median) ms, p99 $(printf '%s\n' "${p99[@]}" | median) ms (target < 50), max $(printf '%s\n' "${pmax[@]}" | median) ms; pane CPU $(printf '%s\n' "${cpu[@]}" | median)%; $(printf '%s\n' "${bpm[@]}" | median) bytes per message, $(printf '%s\n' "${bpp[@]}" | median) per (x, y) point"
echo "bench:   one feed, $PLOT_N sessions: delay p99 $(printf '%s\n' "${fp99[@]}" | median) ms; pane CPU $(printf '%s\n' "${fcpu[@]}" | median)%"
