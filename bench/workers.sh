#!/usr/bin/env bash
# bench/workers.sh — what visitors see when a worker dies, and during a reload.
#
# Starts the release pane on 127.0.0.1 with `--num-procs 2 --reuse-sessions --warm
# examples/weather.c` pinned to core 0, and runs wrk (core 1, 1 thread, CONNS connections,
# DURATION s) against GET /weather RUNS times in each of three shapes:
#   quiet   nothing happens (the reference: its failures should be 0);
#   kill    1 s in, one of the two workers gets SIGKILL (the supervisor starts another);
#   reload  1 s in, the supervisor gets SIGHUP (a new generation, then the old one stops).
# For each run it prints requests, failed requests (wrk's socket errors plus non-2xx answers)
# and their share; for kill also the time from the SIGKILL to the new worker's "ready" line.
# Medians of RUNS runs are printed at the end. Everything it starts is stopped by PID.
#
#   bench/workers.sh                         # needs build/release/pane and wrk
#   RUNS=5 DURATION=4 CONNS=64 bench/workers.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
source bench/lib.sh

PANE_BIN=${PANE_BIN:-$root/build/release/pane}
RUNS=${RUNS:-3}
DURATION=${DURATION:-4}
CONNS=${CONNS:-64}
APP=examples/weather.c

for tool in wrk curl taskset; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install -y wrk curl)" >&2; exit 2; }
done
[[ -x $PANE_BIN ]] || { echo "bench: $PANE_BIN not found: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
((RUNS >= 1 && RUNS <= 9 && DURATION >= 3 && DURATION <= 30 && CONNS >= 1 && CONNS <= 1024)) || {
    echo "bench: RUNS 1..9, DURATION 3..30, CONNS 1..1024" >&2
    exit 2
}

tmp=$(mktemp -d /tmp/pane-bench.XXXXXX)
pane_pid=
cleanup() {
    stop_pid "$pane_pid" 15
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/cache"
XDG_CACHE_HOME=$tmp/cache taskset -c 0 "$PANE_BIN" serve --port 0 --address 127.0.0.1 \
    --num-procs 2 --reuse-sessions --warm --log-level info "$APP" >"$tmp/pane.out" 2>"$tmp/pane.err" &
pane_pid=$!
url=$(wait_url "$pane_pid" "$tmp/pane.out" "$tmp/pane.err") || exit 1
curl -sS --max-time 10 -o /dev/null "$url"

workers() { ps --ppid "$pane_pid" -o pid= | tr -d ' '; }
ready_lines() { grep -c ' ready$' "$tmp/pane.err" || true; }

declare -A total failed share
restart_ms=()
run() { # SHAPE RUN
    local shape=$1 n=$2 out=$tmp/wrk-$1-$2.txt before victim t0 t1 reqs errs non2xx
    before=$(ready_lines)
    timeout $((DURATION + 30)) taskset -c 1 wrk -t1 -c"$CONNS" -d"${DURATION}s" "$url" >"$out" &
    local wrk_pid=$!
    sleep 1
    case $shape in
    kill)
        victim=$(workers | head -n 1)
        t0=$(date +%s%N)
        kill -KILL "$victim"
        for ((i = 0; i < 1000; i++)); do # 10 s
            (($(ready_lines) > before)) && break
            sleep 0.01
        done
        t1=$(date +%s%N)
        restart_ms+=($(((t1 - t0) / 1000000)))
        ;;
    reload)
        kill -HUP "$pane_pid"
        ;;
    esac
    wait "$wrk_pid"
    reqs=$(awk '/requests in/ {print $1}' "$out")
    errs=$(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
    reqs=${reqs:-0} errs=${errs:-0} non2xx=${non2xx:-0}
    total[$shape,$n]=$reqs
    failed[$shape,$n]=$((errs + non2xx))
    share[$shape,$n]=$(awk -v f=$((errs + non2xx)) -v t="$reqs" 'BEGIN {printf "%.4f", t ? 100 * f / t : 0}')
    printf 'bench: %-6s run %d: %s requests, %s failed (%s%%)%s\n' "$shape" "$n" "$reqs" \
        "${failed[$shape,$n]}" "${share[$shape,$n]}" \
        "$([[ $shape == kill ]] && echo ", new worker ready ${restart_ms[-1]} ms after the kill")"
    if [[ $shape == reload ]]; then
        for ((i = 0; i < 100; i++)); do # the old generation gone: two workers again
            (($(workers | wc -l) == 2)) && break
            sleep 0.1
        done
    fi
    sleep 0.5
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

for ((r = 1; r <= RUNS; r++)); do
    for shape in quiet kill reload; do
        run "$shape" "$r"
    done
done
echo
for shape in quiet kill reload; do
    vals=() fails=()
    for ((r = 1; r <= RUNS; r++)); do
        vals+=("${share[$shape,$r]}")
        fails+=("${failed[$shape,$r]}")
    done
    printf 'bench: %-6s median failed %s requests (%s%%) of RUNS=%d, %d connections, %d s\n' "$shape" \
        "$(median "${fails[@]}")" "$(median "${vals[@]}")" "$RUNS" "$CONNS" "$DURATION"
done
printf 'bench: kill   median time from SIGKILL to the new worker ready: %s ms\n' "$(median "${restart_ms[@]}")"
grep -E 'killed by|reloaded|restarting' "$tmp/pane.err" | sed 's/^/bench: log: /' | tail -n 6
