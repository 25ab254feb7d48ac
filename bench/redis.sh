#!/usr/bin/env bash
# bench/redis.sh — a feed shared through Redis (pn_feed_redis) at 10 publishes a second,
# reaching 3 pane processes × N sessions (issue 14's bench): publish -> received delay
# p50/p99/max on every process.
#
# A real redis-server and three `pane serve --redis` processes of tests/apps/shared.c (release
# build) run on core 0; the load clients (bench/sessions.c --mode latency, one per process, N
# sessions each) run on core 1. One more session on the first process (?clock=1) publishes the
# wall-clock milliseconds to the shared number feed every 100 ms; the publish goes to Redis,
# which sends it to each process once, which sends it to each of its sessions. A client takes
# every patch's receive time minus the value it carries: the whole way from pn_feed_set in one
# process to a socket of another, Redis included. RUNS runs; medians of each run's p50, p99 and
# max over the three processes (the worst process's figure in each run).
#
# The reference, run in the same invocation: the same three processes and clients without
# Redis, each process with a publisher of its own to its own (unshared) feed: the same fan-out
# to 3 × N sockets on the same cores, without the way through Redis.
#
#   bench/redis.sh                        # N=1000, DURATION=20, RUNS=3
#   RUNS=1 N=200 DURATION=5 bench/redis.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
source bench/lib.sh

BIN=${PANE_BIN:-$root/build/release/pane}
RUNS=${RUNS:-3}
N=${N:-1000}
DURATION=${DURATION:-20}
NPROC=3

for tool in cc taskset timeout redis-server redis-cli; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install redis-server)" >&2; exit 2; }
done
[[ -x $BIN ]] || { echo "bench: $BIN not found (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

bench_tmp redis
export XDG_CACHE_HOME=$tmp/cache
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
max() { sort -g | tail -n 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

redis_pid= pids=() clients=()
cleanup() {
    for p in "${clients[@]}" "${pids[@]}"; do stop_pid "$p" 10; done
    stop_pid "$redis_pid" 10
    clients=() pids=() redis_pid=
}
trap 'cleanup; rm -rf "$tmp"' EXIT

run() { # run MODE (redis|local) R: one run; appends to p50/p99/pmax
    local mode=$1 r=$2 k p l url rport= pubs=()
    if [[ $mode == redis ]]; then
        rport=$(free_port)
        taskset -c 0 redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no \
            --loglevel warning >"$tmp/redis.log" 2>&1 &
        redis_pid=$!
        for ((i = 0; i < 50; i++)); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    local ports=()
    for ((k = 0; k < NPROC; k++)); do
        : >"$tmp/out$k"
        taskset -c 0 "$BIN" serve tests/apps/shared.c --port 0 --address 127.0.0.1 \
            ${rport:+--redis "redis://127.0.0.1:$rport"} >"$tmp/out$k" 2>"$tmp/err$k" &
        pids+=($!)
        url=$(wait_url "${pids[-1]}" "$tmp/out$k" "$tmp/err$k")
        p=${url#http://127.0.0.1:}
        ports+=("${p%%/*}")
    done
    for ((k = 0; k < NPROC; k++)); do
        timeout $((DURATION + 200)) taskset -c 1 "$tmp/sessions" --port "${ports[$k]}" --path /shared \
            --n "$N" --pid "${pids[$k]}" --mode latency --duration "$DURATION" \
            --timeout $((DURATION + 150)) >"$tmp/lat$k" 2>"$tmp/laterr$k" &
        clients+=($!)
    done
    sleep 3 # every client has its sessions before the publishing starts
    for ((k = 0; k < NPROC; k++)); do
        [[ $mode == redis && $k -gt 0 ]] && break # through Redis: one publisher for all
        timeout $((DURATION + 60)) taskset -c 1 "$tmp/sessions" --port "${ports[$k]}" \
            --path '/shared?clock=1' --n 1 --warmup 0 --pid "${pids[$k]}" --mode latency \
            --duration $((DURATION + 10)) --timeout $((DURATION + 40)) >/dev/null 2>&1 &
        pubs+=($!)
    done
    for c in "${clients[@]}"; do wait "$c" || { echo "bench: a client failed" >&2; cat "$tmp"/laterr* >&2; exit 1; }; done
    clients=()
    for c in "${pubs[@]}"; do stop_pid "$c" 5; done
    local r50=() r99=() rmax=()
    for ((k = 0; k < NPROC; k++)); do
        l=$(cat "$tmp/lat$k")
        r50+=("$(field "$l" p50_ms)") r99+=("$(field "$l" p99_ms)") rmax+=("$(field "$l" max_ms)")
        echo "bench: $mode run $r, process $((k + 1)): $(field "$l" sessions) sessions, $(field "$l" patches) patches in $(field "$l" seconds) s: publish -> received p50 $(field "$l" p50_ms) ms p99 $(field "$l" p99_ms) ms max $(field "$l" max_ms) ms"
    done
    p50+=("$(printf '%s\n' "${r50[@]}" | max)") p99+=("$(printf '%s\n' "${r99[@]}" | max)")
    pmax+=("$(printf '%s\n' "${rmax[@]}" | max)")
    cleanup
}

# the floor: the kernel's own time for one fan-out of a frame to 3 × N loopback sockets on this
# machine (bench/apps/write_floor.c, bare write() calls, the reader on the other core)
cc -O2 -Wall -Wextra -o "$tmp/write_floor" bench/apps/write_floor.c
fl=$(timeout 300 "$tmp/write_floor" $((NPROC * N)) 20 0 1)
floor_ms=$(field "$fl" floor_ms_per_round)

summary=()
for mode in redis local; do
    p50=() p99=() pmax=()
    for ((r = 1; r <= RUNS; r++)); do run "$mode" "$r"; done
    summary+=("bench:   $mode: p50 $(printf '%s\n' "${p50[@]}" | median) ms, p99 $(printf '%s\n' "${p99[@]}" | median) ms, max $(printf '%s\n' "${pmax[@]}" | median) ms")
done
echo "bench: medians of $RUNS runs, the worst of $NPROC processes in each, 10 publishes/s to $NPROC × $N sessions, publish -> received:"
printf '%s\n' "${summary[0]} (one publisher, through Redis to every process)"
printf '%s\n' "${summary[1]} (reference: a publisher in each process, its own feed, no Redis)"
echo "bench:   floor: the kernel's write() of one frame to $((NPROC * N)) loopback sockets: $floor_ms ms a round"
