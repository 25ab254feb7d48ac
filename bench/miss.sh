#!/usr/bin/env bash
# bench/miss.sh — what a cache miss costs (issue 10, item 11): bench/apps/big.c renders a page of
# about 1 MB that differs for every ?k=, so every distinct key is a miss. For each mode the
# server is started anew, pinned to core 0, and curl (on core 1) asks for KEYS distinct keys one
# after the other with `Accept-Encoding: gzip`; meanwhile a bystander on core 1 asks for
# examples/weather.c's page in a loop, one request at a time, and its slowest answer is recorded
# (it waits behind whatever the loop does).
#   fresh   pane serve (no --reuse-sessions): a new session and a render per request, the page
#           gzipped at level 1 for this response only
#   miss    pane serve --reuse-sessions --session-key arg:k: render, store, respond
# Printed: the CPU time the loop's thread spent per key (/proc/PID/task/PID/stat: what everyone
# else on the loop waits for, and a figure that a busy machine does not disturb), the median and
# the slowest time_total of the KEYS requests, and the bystander's slowest answer and count.
# Everything started is stopped by PID.
#
#   bench/miss.sh                               # build/release/pane
#   PANE_BIN=/tmp/main-release/pane KEYS=40 bench/miss.sh
#   PANE_CPUS=0,1 CURL_CPUS=0,1 bench/miss.sh   # the pool's threads free to use the other core
# With PANE_CPUS=0 the level-12 recompression of a miss (on the thread pool) shares core 0 with
# the loop, so the loop gets about half of it while one runs: the worst case for the change.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
PANE_BIN=${PANE_BIN:-$root/build/release/pane}
KEYS=${KEYS:-40}
PANE_CPUS=${PANE_CPUS:-0}   # the whole process: its loop and its thread pool
CURL_CPUS=${CURL_CPUS:-1}
((KEYS >= 1 && KEYS <= 1000)) || { echo "bench: KEYS 1..1000" >&2; exit 2; }
for tool in curl taskset; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done
[[ -x $PANE_BIN ]] || { echo "bench: $PANE_BIN not found: cmake --preset release && cmake --build --preset release" >&2; exit 2; }

tmp=$(mktemp -d)
pid=
bys=
cleanup() {
    [[ -n $bys ]] && kill "$bys" 2>/dev/null || true
    [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$tmp/cache

# CPU time (user + system, ms) of the loop's thread: the main thread, whose tid is the pid. The
# thread pool's work is not in it, and it does not depend on what else the machine runs.
loop_cpu_ms() {
    awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print ($12 + $13) * 1000 / hz}' "/proc/$1/task/$1/stat"
}

run() { # run MODE FLAGS...
    local mode=$1
    shift
    taskset -c "$PANE_CPUS" "$PANE_BIN" serve --port 0 --address 127.0.0.1 --log-level warning "$@" \
        bench/apps/big.c examples/weather.c >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    local url=
    for ((i = 0; i < 600; i++)); do # 60 s: the first start compiles the apps
        url=$(sed -n 's/^pane: serving \(http:[^ ]*\)\/[a-z]*$/\1/p' "$tmp/out" 2>/dev/null | head -n 1 || true)
        [[ -n $url ]] && break
        sleep 0.1
    done
    [[ -n $url ]] || { echo "bench: $mode: pane did not start" >&2; cat "$tmp/err" >&2; exit 1; }
    # bystander: one request at a time, at most 20,000, until told to stop
    (
        for ((j = 0; j < 20000; j++)); do
            [[ -e $tmp/stop ]] && break
            taskset -c "$CURL_CPUS" curl -s -o /dev/null -w '%{time_total}\n' "$url/weather" || true
        done >"$tmp/bys"
    ) &
    bys=$!
    sleep 0.5
    local cpu0
    cpu0=$(loop_cpu_ms "$pid")
    for ((k = 1; k <= KEYS; k++)); do
        taskset -c "$CURL_CPUS" curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}\n' \
            "$url/big?k=$RANDOM$k"
    done >"$tmp/times"
    local cpu1
    cpu1=$(loop_cpu_ms "$pid")
    touch "$tmp/stop"
    wait "$bys" || true
    bys=
    rm -f "$tmp/stop"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
    local med max bmax bn
    med=$(sort -n "$tmp/times" | awk '{a[NR]=$1} END {printf "%.1f", 1000*a[int((NR+1)/2)]}')
    max=$(sort -n "$tmp/times" | tail -n 1 | awk '{printf "%.1f", 1000*$1}')
    bmax=$(sort -n "$tmp/bys" | tail -n 1 | awk '{printf "%.1f", 1000*$1}')
    bn=$(wc -l <"$tmp/bys")
    printf '%-6s %4d keys: loop CPU %6.1f ms/key; median %7s ms, slowest %7s ms; bystander slowest %7s ms (%d requests)\n' \
        "$mode" "$KEYS" "$(echo "$cpu0 $cpu1 $KEYS" | awk '{print ($2-$1)/$3}')" "$med" "$max" "$bmax" "$bn"
}

echo "pane: $PANE_BIN (cores $PANE_CPUS; curl on $CURL_CPUS; load $(cut -d' ' -f1-3 /proc/loadavg))"
run fresh
run miss --reuse-sessions --session-key arg:k
