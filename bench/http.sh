#!/usr/bin/env bash
# bench/http.sh — requests/s of `GET /weather` from pane against nginx serving the same bytes.
#
# Starts the release pane (`serve --port 0 examples/weather.c`) and nginx (Debian's nginx-light,
# a generated config in a temp dir: one process, access_log off, keep-alive, open_file_cache,
# sendfile off) on 127.0.0.1, both pinned to core 0; fetches pane's page (the second answer, so
# a --reuse-sessions cache is warm) and has nginx serve exactly those bytes with a response head
# of the same size: pane's headers are added with add_header (etag off, Last-Modified and
# Accept-Ranges removed, server_tokens off), and the longest added value is cut by what nginx
# sends that pane does not ("Connection: keep-alive"). Both sizes are checked and printed.
# bench/reuse.sh is the full headline comparison (16/64/256 connections, gzip, no reuse).
# Then wrk (pinned to core 1, 1 thread, CONNS connections, DURATION s) runs
# pane, nginx, pane, nginx, ... RUNS times each, and the medians and the ratio pane/nginx are
# printed and written into the results section of bench/README.md. Both servers are stopped by
# PID on the way out, whatever happens.
#
#   bench/http.sh                                  # needs build/release/pane, nginx-light, wrk
#   PANE_BIN=build/release/pane RUNS=3 DURATION=10 CONNS=16 bench/http.sh
#   PANE_ARGS="--reuse-sessions" bench/http.sh     # extra `pane serve` flags
#   NO_README=1 bench/http.sh                      # print only
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
source bench/lib.sh

PANE_BIN=${PANE_BIN:-$root/build/release/pane}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
PANE_ARGS=${PANE_ARGS:-}
APP=examples/weather.c

for tool in wrk nginx curl taskset ss; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench: $tool not found (apt-get install -y nginx-light wrk curl util-linux iproute2)" >&2
        exit 2
    fi
done
if [[ ! -x $PANE_BIN ]]; then
    echo "bench: $PANE_BIN not found: cmake --preset release && cmake --build --preset release" >&2
    exit 2
fi
if (($(nproc) < 2)); then
    echo "bench: needs 2 cores (server on core 0, wrk on core 1)" >&2
    exit 2
fi
((RUNS >= 1 && RUNS <= 9 && DURATION >= 1 && DURATION <= 60 && CONNS >= 1 && CONNS <= 1024)) || {
    echo "bench: RUNS 1..9, DURATION 1..60, CONNS 1..1024" >&2
    exit 2
}

tmp=$(mktemp -d /tmp/pane-bench.XXXXXX)
pane_pid=
nginx_pid=

cleanup() {
    stop_pid "$pane_pid" 5
    stop_pid "$nginx_pid" 5
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- pane --------------------------------------------------------------------------------------
mkdir -p "$tmp/cache" "$tmp/www" "$tmp/nginx"
: >"$tmp/pane.out"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086 # PANE_ARGS is a list of flags
XDG_CACHE_HOME=$tmp/cache taskset -c 0 "$PANE_BIN" serve --port 0 --address 127.0.0.1 \
    --log-level warn $PANE_ARGS "$APP" >"$tmp/pane.out" 2>"$tmp/pane.err" &
pane_pid=$!
pane_url=
for ((i = 0; i < 600; i++)); do # 60 s: the first start compiles the app
    pane_url=$(sed -n 's/^pane: serving \(http:[^ ]*\).*/\1/p' "$tmp/pane.out" | head -n 1 || true)
    [[ -n $pane_url ]] && break
    if ! kill -0 "$pane_pid" 2>/dev/null; then
        echo "bench: pane exited:" >&2
        cat "$tmp/pane.err" >&2
        exit 1
    fi
    sleep 0.1
done
[[ -n $pane_url ]] || { echo "bench: pane printed no URL in 60 s" >&2; exit 1; }

curl -sS --max-time 10 -o /dev/null "$pane_url" # a --reuse-sessions cache: the next one is a hit
curl -sS --max-time 10 -D "$tmp/pane.headers" -o "$tmp/www/weather" "$pane_url"
status=$(awk 'NR == 1 {print $2}' "$tmp/pane.headers")
ctype=$(awk -F': *' 'tolower($1) == "content-type" {sub(/\r$/, "", $2); print $2}' "$tmp/pane.headers")
[[ $status == 200 && -n $ctype ]] || { echo "bench: pane answered $status ($ctype)" >&2; exit 1; }
bytes=$(stat -c %s "$tmp/www/weather")

# ---- nginx -------------------------------------------------------------------------------------
nginx_like_pane http

# ---- runs --------------------------------------------------------------------------------------
declare -A rps notes
run_wrk() { # NAME URL RUN
    local out=$tmp/wrk-$1-$3.txt r
    timeout $((DURATION + 30)) taskset -c 1 wrk -t1 -c"$CONNS" -d"${DURATION}s" "$2" >"$out"
    r=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    [[ -n $r ]] || { echo "bench: wrk printed no Requests/sec:" >&2; cat "$out" >&2; exit 1; }
    rps[$1,$3]=$r
    if grep -qE 'Non-2xx|Socket errors' "$out"; then
        notes[$1]+="run $3: $(grep -E 'Non-2xx|Socket errors' "$out" | tr -s ' ' | paste -sd';' -) "
    fi
    printf 'bench: %-5s run %d: %s req/s\n' "$1" "$3" "$r"
}
for ((run = 1; run <= RUNS; run++)); do
    run_wrk pane "$pane_url" "$run"
    run_wrk nginx "$nginx_url" "$run"
done
kill -0 "$pane_pid" 2>/dev/null || { echo "bench: pane died during the runs" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
row() { # NAME -> "| name | r1 | r2 | ... | median |"
    local cells=() i
    for ((i = 1; i <= RUNS; i++)); do cells+=("${rps[$1,$i]}"); done
    printf '| %s |' "$1"
    printf ' %s |' "${cells[@]}"
    printf ' **%s** |\n' "$(median "${cells[@]}")"
}
values() { local i; for ((i = 1; i <= RUNS; i++)); do echo "${rps[$1,$i]}"; done; }
mapfile -t pane_vals < <(values pane)
mapfile -t nginx_vals < <(values nginx)
pane_med=$(median "${pane_vals[@]}")
nginx_med=$(median "${nginx_vals[@]}")
ratio=$(awk -v a="$pane_med" -v b="$nginx_med" 'BEGIN {printf "%.2f", a / b}')

cmd="bench/http.sh (RUNS=$RUNS DURATION=$DURATION CONNS=$CONNS${PANE_ARGS:+ PANE_ARGS=\"$PANE_ARGS\"})"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
git diff --quiet HEAD 2>/dev/null || commit+=" + local changes"
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
header="| server | $(for ((i = 1; i <= RUNS; i++)); do printf 'run %d | ' "$i"; done)median req/s |"
sep="|---|$(for ((i = 1; i <= RUNS; i++)); do printf -- '---|'; done)---|"
table=$(
    echo "Latest run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) cores ($cpu)."
    echo "Command: \`$cmd\`; pane: \`$(basename "$PANE_BIN") serve${PANE_ARGS:+ $PANE_ARGS} $APP\`; page: $bytes bytes of \`$ctype\`."
    echo "Response heads: pane $pane_head bytes, nginx $nginx_head bytes (nginx: pane's headers via add_header, open_file_cache, sendfile off)."
    echo "wrk: 1 thread on core 1, $CONNS connections, ${DURATION} s per run, runs alternating; servers on core 0."
    echo "Load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews both servers)."
    echo
    echo "$header"
    echo "$sep"
    row pane
    row nginx
    echo
    echo "**pane / nginx = $ratio**"
    for s in pane nginx; do
        [[ -n ${notes[$s]:-} ]] && echo && echo "wrk errors for $s: ${notes[$s]}"
    done
    true
)
echo
echo "$table"

if [[ -z ${NO_README:-} ]]; then
    readme=$root/bench/README.md
    if grep -q '<!-- results:start -->' "$readme" && grep -q '<!-- results:end -->' "$readme"; then
        printf '%s\n' "$table" >"$tmp/table.md"
        awk -v f="$tmp/table.md" '
            /<!-- results:start -->/ {print; while ((getline l < f) > 0) print l; skip = 1; next}
            /<!-- results:end -->/ {skip = 0}
            !skip {print}' "$readme" >"$tmp/readme.md"
        cat "$tmp/readme.md" >"$readme"
        echo "bench: results written to bench/README.md"
    else
        echo "bench: bench/README.md has no results markers; not written" >&2
    fi
fi
