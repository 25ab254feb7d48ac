#!/usr/bin/env bash
# bench/reuse.sh — the headline (DESIGN.md §9): requests/s of the cached `GET /weather`
# (`--reuse-sessions --warm`, every request a hit) against nginx serving the same bytes with
# response headers of the same size, and against pane without --reuse-sessions (a new session
# and a render per request).
#
# Three servers, all on 127.0.0.1 and pinned to core 0; wrk (1 thread) pinned to core 1:
#   cached  pane serve --reuse-sessions --warm --log-level warning examples/weather.c
#   nginx   Debian's nginx-light, generated config: one process (master_process off),
#           access_log off, keep-alive, server_tokens off, open_file_cache (the file is not
#           opened per request), sendfile off (NGINX_SENDFILE=on: sendfile + tcp_nopush, slower
#           for a 1.3 KB body here), gzip_static on with a .gz holding pane's gzip bytes;
#           etag off, Last-Modified and Accept-Ranges removed, and pane's headers (Vary, ETag,
#           Cache-Control, X-Pane-Cache, X-Content-Type-Options, Referrer-Policy,
#           Content-Security-Policy) added with add_header. nginx always sends
#           "Connection: keep-alive" (pane does not on HTTP/1.1) and "Server: nginx", so the
#           longest added value (the CSP) is cut by the difference: both response heads are then
#           the same number of bytes, checked, for the plain and the gzip response.
#   fresh   pane serve --log-level warning examples/weather.c (no --reuse-sessions), started
#           anew for each run: every request creates a live session that lives for
#           --unused-session-lifetime (15 s), so RSS grows during a run; it is read from /proc
#           before and after each run, and a fresh process keeps one run's sweep (every 17 s)
#           from landing on core 0 during another server's run.
# For each encoding (ENCODINGS: identity, gzip = `Accept-Encoding: gzip`) and each connection
# count (CONNS_LIST) a block runs cached, nginx, fresh, cached, nginx, fresh, ... RUNS times
# each, DURATION s per run. Before a block it waits (at most LOAD_WAIT s) for the 1-minute load
# average to drop below LOAD_MAX; the load before/after each block and the CPU share each server
# and wrk got in each run are recorded. A run in which the server got less than MIN_CPU % of
# core 0 (default 90: something else ran on a core) is repeated, at most RETRIES (2) times, and
# marked if it never got it. Medians, the ratios cached/nginx and fresh/cached are printed
# and written between the results markers of bench/README.md. Everything started is stopped
# by PID on the way out.
#
#   bench/reuse.sh                         # needs build/release/pane, nginx-light, wrk (~12 min)
#   PANE_BIN=build/h-bench/pane bench/reuse.sh
#   RUNS=3 DURATION=10 CONNS_LIST="16 64 256" ENCODINGS="identity gzip" bench/reuse.sh
#   LOAD_MAX=1.0 LOAD_WAIT=180 MIN_CPU=90 RETRIES=2 NGINX_SENDFILE=off bench/reuse.sh
#   PANE_BUILT_FROM="a git archive of abc1234" bench/reuse.sh   # says so in the results
#   NO_README=1 bench/reuse.sh             # print only
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
source bench/lib.sh

PANE_BIN=${PANE_BIN:-$root/build/release/pane}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
CONNS_LIST=${CONNS_LIST:-16 64 256}
ENCODINGS=${ENCODINGS:-identity gzip}
LOAD_MAX=${LOAD_MAX:-1.0}
LOAD_WAIT=${LOAD_WAIT:-180}
NGINX_SENDFILE=${NGINX_SENDFILE:-off}
MIN_CPU=${MIN_CPU:-90}
RETRIES=${RETRIES:-2}
APP=examples/weather.c
PANE_FLAGS=(--port 0 --address 127.0.0.1 --log-level warning)

for tool in wrk nginx curl taskset ss gzip; do
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
    echo "bench: needs 2 cores (servers on core 0, wrk on core 1)" >&2
    exit 2
fi
((RUNS >= 1 && RUNS <= 9 && DURATION >= 2 && DURATION <= 60 && LOAD_WAIT >= 0 && LOAD_WAIT <= 600 &&
    MIN_CPU >= 0 && MIN_CPU <= 100 && RETRIES >= 0 && RETRIES <= 5)) || {
    echo "bench: RUNS 1..9, DURATION 2..60, LOAD_WAIT 0..600, MIN_CPU 0..100, RETRIES 0..5" >&2
    exit 2
}
for n in $CONNS_LIST; do
    if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > 1024)); then
        echo "bench: CONNS_LIST: 1..1024 each" >&2
        exit 2
    fi
done
for e in $ENCODINGS; do
    [[ $e == identity || $e == gzip ]] || { echo "bench: ENCODINGS: identity and/or gzip" >&2; exit 2; }
done
[[ $NGINX_SENDFILE == on || $NGINX_SENDFILE == off ]] || { echo "bench: NGINX_SENDFILE on|off" >&2; exit 2; }

tmp=$(mktemp -d /tmp/pane-reuse.XXXXXX)
cached_pid=
fresh_pid=
nginx_pid=

cleanup() {
    stop_pid "$cached_pid" 5
    stop_pid "$fresh_pid" 5
    stop_pid "$nginx_pid" 5
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/cache" "$tmp/www" "$tmp/nginx"

# start_pane NAME FLAGS...: starts pane on core 0; sets pid_out and url_out
start_pane() {
    local name=$1 i
    shift
    XDG_CACHE_HOME=$tmp/cache taskset -c 0 "$PANE_BIN" serve "${PANE_FLAGS[@]}" "$@" "$APP" \
        >"$tmp/$name.out" 2>"$tmp/$name.err" &
    pid_out=$!
    url_out=
    for ((i = 0; i < 600; i++)); do # 60 s: the first start compiles the app
        url_out=$(sed -n 's/^pane: serving \(http:[^ ]*\).*/\1/p' "$tmp/$name.out" | head -n 1 || true)
        [[ -n $url_out ]] && return 0
        if ! kill -0 "$pid_out" 2>/dev/null; then
            echo "bench: pane ($name) exited:" >&2
            cat "$tmp/$name.err" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "bench: pane ($name) printed no URL in 60 s" >&2
    exit 1
}
head_bytes() { wc -c <"$1" | tr -d ' '; }
hdr() { # FILE NAME -> value of header NAME
    awk -F': ' -v n="$2" 'tolower($1) == tolower(n) {sub(/\r$/, ""); sub(/^[^:]*: /, ""); print; exit}' "$1"
}
rss_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of PID
load1() { cut -d' ' -f1 /proc/loadavg; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- cached pane: the page, its headers, its gzip variant ---------------------------------------
start_pane cached --reuse-sessions --warm
cached_pid=$pid_out
cached_url=$url_out
curl -sS --max-time 10 -D "$tmp/cached.h" -o "$tmp/www/weather" "$cached_url"
curl -sS --max-time 10 -H 'Accept-Encoding: gzip' -D "$tmp/cached-gz.h" -o "$tmp/www/weather.gz" "$cached_url"
for f in cached.h cached-gz.h; do
    [[ $(awk 'NR == 1 {print $2}' "$tmp/$f") == 200 && $(hdr "$tmp/$f" X-Pane-Cache) == hit ]] || {
        echo "bench: the cached page is not a hit ($f):" >&2
        cat "$tmp/$f" >&2
        exit 1
    }
done
[[ $(hdr "$tmp/cached-gz.h" Content-Encoding) == gzip ]] || { echo "bench: pane sent no gzip variant" >&2; exit 1; }
gzip -dc "$tmp/www/weather.gz" | cmp -s - "$tmp/www/weather" || { echo "bench: pane's gzip variant is not its page" >&2; exit 1; }
ctype=$(hdr "$tmp/cached.h" Content-Type)
bytes=$(stat -c %s "$tmp/www/weather")
gz_bytes=$(stat -c %s "$tmp/www/weather.gz")

# ---- nginx: the same bytes, heads of the same size ----------------------------------------------
port=
for ((i = 0; i < 50; i++)); do
    p=$((20000 + RANDOM % 20000))
    if [[ -z $(ss -Htln "sport = :$p") ]]; then
        port=$p
        break
    fi
done
[[ -n $port ]] || { echo "bench: no free port for nginx" >&2; exit 1; }
nginx_url=http://127.0.0.1:$port/weather

# pane's headers that nginx does not send by itself, in pane's order: "Name<TAB>value"
awk -F': ' 'NR > 1 && NF >= 2 {sub(/\r$/, ""); n = $1; v = $0; sub(/^[^:]*: /, "", v);
    if (tolower(n) !~ /^(server|date|content-type|content-length|content-encoding|connection)$/)
        print n "\t" v}' "$tmp/cached.h" >"$tmp/added.tsv"
longest=$(awk -F'\t' 'length($2) > max {max = length($2); n = NR} END {print n}' "$tmp/added.tsv")
write_nginx_conf() { # CUT: bytes cut from (< 0: padded onto) the longest added value
    local cut=$1 nopush=off
    [[ $NGINX_SENDFILE == on ]] && nopush=on
    {
        cat <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 2048; }
http {
    access_log off;
    server_tokens off;
    sendfile $NGINX_SENDFILE;
    tcp_nopush $nopush;
    open_file_cache max=16 inactive=600s;
    open_file_cache_valid 3600s;
    etag off;
    max_ranges 0;
    gzip off;
    gzip_static on;
    gzip_vary off;
    keepalive_timeout 65;
    keepalive_requests 10000000;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    types { }
    default_type "$ctype";
    server {
        listen 127.0.0.1:$port;
        location = /weather {
            alias $tmp/www/weather;
            add_header Last-Modified "";
EOF
        awk -F'\t' -v cut="$cut" -v longest="$longest" '{
            v = $2
            if (NR == longest) {
                if (cut > 0) v = substr(v, 1, length(v) - cut)
                else for (i = 0; i < -cut; i++) v = v ";"
            }
            gsub(/\\/, "\\\\", v); gsub(/"/, "\\\"", v)
            printf "            add_header %s \"%s\" always;\n", $1, v
        }' "$tmp/added.tsv"
        echo "        }"
        echo "    }"
        echo "}"
    } >"$tmp/nginx/nginx.conf"
}
start_nginx() {
    taskset -c 0 nginx -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
    nginx_pid=$!
    for ((i = 0; i < 100; i++)); do
        curl -sS --max-time 2 -o "$tmp/nginx.body" -D "$tmp/nginx.h" "$nginx_url" 2>/dev/null && return 0
        kill -0 "$nginx_pid" 2>/dev/null || { echo "bench: nginx exited:" >&2; cat "$tmp/nginx/error.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "bench: nginx does not answer" >&2
    exit 1
}
write_nginx_conf 0
start_nginx
cut=$(($(head_bytes "$tmp/nginx.h") - $(head_bytes "$tmp/cached.h")))
if ((cut != 0)); then
    stop_pid "$nginx_pid" 5
    nginx_pid=
    write_nginx_conf "$cut"
    start_nginx
fi
curl -sS --max-time 10 -H 'Accept-Encoding: gzip' -D "$tmp/nginx-gz.h" -o "$tmp/nginx-gz.body" "$nginx_url"
cmp -s "$tmp/www/weather" "$tmp/nginx.body" || { echo "bench: nginx does not serve pane's bytes" >&2; exit 1; }
cmp -s "$tmp/www/weather.gz" "$tmp/nginx-gz.body" || { echo "bench: nginx does not serve pane's gzip bytes" >&2; exit 1; }
for f in nginx.h nginx-gz.h; do
    [[ $(hdr "$tmp/$f" Content-Type) == "$ctype" && -z $(hdr "$tmp/$f" Last-Modified) && -z $(hdr "$tmp/$f" Accept-Ranges) ]] || {
        echo "bench: nginx's head is not as configured ($f):" >&2
        cat "$tmp/$f" >&2
        exit 1
    }
done
[[ $(hdr "$tmp/nginx-gz.h" Content-Encoding) == gzip ]] || { echo "bench: nginx sent no gzip_static variant" >&2; exit 1; }
head_cached=$(head_bytes "$tmp/cached.h")
head_nginx=$(head_bytes "$tmp/nginx.h")
head_cached_gz=$(head_bytes "$tmp/cached-gz.h")
head_nginx_gz=$(head_bytes "$tmp/nginx-gz.h")
((head_cached == head_nginx && head_cached_gz == head_nginx_gz)) || {
    echo "bench: response heads differ: pane $head_cached/$head_cached_gz, nginx $head_nginx/$head_nginx_gz bytes" >&2
    exit 1
}

# ---- the fresh (non-reuse) pane, once, to look at what it sends ----------------------------------
start_pane fresh
fresh_pid=$pid_out
curl -sS --max-time 10 -D "$tmp/fresh.h" -o "$tmp/fresh.body" "$url_out"
curl -sS --max-time 10 -H 'Accept-Encoding: gzip' -D "$tmp/fresh-gz.h" -o "$tmp/fresh-gz.body" "$url_out"
[[ $(awk 'NR == 1 {print $2}' "$tmp/fresh.h") == 200 && -z $(hdr "$tmp/fresh.h" X-Pane-Cache) ]] || {
    echo "bench: pane without --reuse-sessions answered:" >&2
    cat "$tmp/fresh.h" >&2
    exit 1
}
head_fresh=$(head_bytes "$tmp/fresh.h")
head_fresh_gz=$(head_bytes "$tmp/fresh-gz.h")
fresh_bytes=$(stat -c %s "$tmp/fresh.body")
fresh_gz_bytes=$(stat -c %s "$tmp/fresh-gz.body")
stop_pid "$fresh_pid" 5
fresh_pid=

# ---- runs ---------------------------------------------------------------------------------------
cat >"$tmp/report.lua" <<'EOF'
done = function(summary, latency, requests)
    io.write(string.format("bytes/response: %.1f\n", summary.bytes / math.max(summary.requests, 1)))
    io.write(string.format("p50/p99 us: %d %d\n", latency:percentile(50), latency:percentile(99)))
end
EOF
hz=$(getconf CLK_TCK)
declare -A rps bpr lat srv_cpu wrk_cpu rss0 rss1 hwm notes load_pre load_post retries disturbed
wait_load() { # waits up to LOAD_WAIT s for the 1-minute load average to drop below LOAD_MAX
    local i
    for ((i = 0; i <= LOAD_WAIT; i += 5)); do
        awk -v l="$(load1)" -v m="$LOAD_MAX" 'BEGIN {exit !(l < m)}' && return 0
        ((i == 0)) && echo "bench: load average $(loadavg) >= $LOAD_MAX: waiting up to ${LOAD_WAIT} s" >&2
        ((i + 5 <= LOAD_WAIT)) && sleep 5
    done
    echo "bench: load average still $(loadavg): running anyway" >&2
}
run_wrk() { # NAME ENC CONNS RUN URL SERVER_PID
    local name=$1 enc=$2 conns=$3 run=$4 url=$5 spid=$6 key="$1,$2,$3,$4" out r t0 t1 w0 w1 wpid
    local -a hdrs=()
    [[ $enc == gzip ]] && hdrs=(-H 'Accept-Encoding: gzip')
    out=$tmp/wrk-$name-$enc-$conns-$run.txt
    t0=$(cpu_ticks "$spid")
    timeout $((DURATION + 30)) taskset -c 1 wrk -t1 -c"$conns" -d"${DURATION}s" "${hdrs[@]}" \
        -s "$tmp/report.lua" "$url" >"$out" &
    wpid=$!
    # wrk's CPU: from its /proc entry, 0.2 s after it starts to 1 s before it ends
    w0=0 w1=0
    sleep 0.2
    local wrk_real # timeout's child: taskset has exec'd wrk
    wrk_real=$(pgrep -P "$wpid" | head -n 1 || true)
    if [[ -n $wrk_real ]]; then
        w0=$(cpu_ticks "$wrk_real" 2>/dev/null || echo 0)
        sleep $((DURATION - 1))
        w1=$(cpu_ticks "$wrk_real" 2>/dev/null || echo "$w0")
    fi
    wait "$wpid" || { echo "bench: wrk failed ($name $enc $conns):" >&2; cat "$out" >&2; exit 1; }
    t1=$(cpu_ticks "$spid")
    r=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    [[ -n $r ]] || { echo "bench: wrk printed no Requests/sec:" >&2; cat "$out" >&2; exit 1; }
    rps[$key]=$r
    bpr[$key]=$(awk '/^bytes\/response:/ {print $2}' "$out")
    lat[$key]=$(awk '/^p50\/p99 us:/ {printf "%.2f/%.2f", $3 / 1000, $4 / 1000}' "$out")
    srv_cpu[$key]=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v d="$DURATION" 'BEGIN {printf "%.0f", 100 * (b - a) / hz / d}')
    wrk_cpu[$key]=$(awk -v a="$w0" -v b="$w1" -v hz="$hz" -v d="$DURATION" 'BEGIN {printf "%.0f", 100 * (b - a) / hz / (d - 1.2)}')
    if grep -qE 'Non-2xx|Socket errors' "$out"; then
        notes[$name,$enc]+="$conns conns run $run: $(grep -E 'Non-2xx|Socket errors' "$out" | tr -s ' ' | paste -sd';' -) "
    fi
    printf 'bench: %-6s %-8s c=%-4d run %d: %10s req/s  %7s B/resp  p50/p99 %s ms  server %s%% wrk %s%% CPU\n' \
        "$name" "$enc" "$conns" "$run" "$r" "${bpr[$key]}" "${lat[$key]}" "${srv_cpu[$key]}" "${wrk_cpu[$key]}"
}

measure() { # NAME ENC CONNS RUN: one run of one server (a new process for fresh)
    local name=$1 enc=$2 conns=$3 run=$4
    case $name in
    cached) run_wrk cached "$enc" "$conns" "$run" "$cached_url" "$cached_pid" ;;
    nginx) run_wrk nginx "$enc" "$conns" "$run" "$nginx_url" "$nginx_pid" ;;
    fresh)
        start_pane fresh
        fresh_pid=$pid_out
        curl -sS --max-time 10 -o /dev/null "$url_out" # compiled app loaded, first page done
        rss0[$enc,$conns,$run]=$(rss_kib "$fresh_pid" VmRSS)
        run_wrk fresh "$enc" "$conns" "$run" "$url_out" "$fresh_pid"
        rss1[$enc,$conns,$run]=$(rss_kib "$fresh_pid" VmRSS)
        hwm[$enc,$conns,$run]=$(rss_kib "$fresh_pid" VmHWM)
        printf 'bench: fresh RSS %s -> %s KiB (peak %s KiB)\n' "${rss0[$enc,$conns,$run]}" \
            "${rss1[$enc,$conns,$run]}" "${hwm[$enc,$conns,$run]}"
        stop_pid "$fresh_pid" 5
        fresh_pid=
        ;;
    esac
}
measure_steady() { # NAME ENC CONNS RUN: again (at most RETRIES times) while the server got < MIN_CPU
    local try key="$1,$2,$3,$4"
    for ((try = 0; ; try++)); do
        measure "$@"
        ((${srv_cpu[$key]} >= MIN_CPU)) && return 0
        if ((try >= RETRIES)); then
            disturbed[$key]=1
            echo "bench: $1 still got only ${srv_cpu[$key]}% of core 0: kept, marked" >&2
            return 0
        fi
        retries[$1,$2]=$((${retries[$1,$2]:-0} + 1))
        echo "bench: $1 got only ${srv_cpu[$key]}% of core 0 (< $MIN_CPU%): other work? again in 5 s" >&2
        sleep 5
    done
}
for enc in $ENCODINGS; do
    for conns in $CONNS_LIST; do
        wait_load
        load_pre[$enc,$conns]=$(loadavg)
        for ((run = 1; run <= RUNS; run++)); do
            for s in cached nginx fresh; do
                measure_steady "$s" "$enc" "$conns" "$run"
            done
        done
        load_post[$enc,$conns]=$(loadavg)
        kill -0 "$cached_pid" 2>/dev/null || { echo "bench: the cached pane died during the runs" >&2; exit 1; }
        kill -0 "$nginx_pid" 2>/dev/null || { echo "bench: nginx died during the runs" >&2; exit 1; }
    done
done
# the cached pane must still be answering from its cache
curl -sS --max-time 10 -D "$tmp/cached-end.h" -o /dev/null "$cached_url"
[[ $(hdr "$tmp/cached-end.h" X-Pane-Cache) == hit ]] || { echo "bench: the cached pane stopped hitting" >&2; exit 1; }

# ---- tables -------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
med_of() { # ARRAY-NAME NAME ENC CONNS
    local -n a=$1
    local i vals=()
    for ((i = 1; i <= RUNS; i++)); do vals+=("${a[$2,$3,$4,$i]}"); done
    median "${vals[@]}"
}
runs_of() { # NAME ENC CONNS -> "r1 / r2 / r3"
    local i out=
    for ((i = 1; i <= RUNS; i++)); do out+="${out:+ / }${rps[$1,$2,$3,$i]}${disturbed[$1,$2,$3,$i]:+ \\*}"; done
    echo "$out"
}
cpus_of() { # ARRAY-NAME NAME ENC CONNS -> "99/100/98"
    local -n a=$1
    local i vals=()
    for ((i = 1; i <= RUNS; i++)); do vals+=("${a[$2,$3,$4,$i]}"); done
    local IFS=/
    echo "${vals[*]}"
}
percore_of() { # NAME ENC CONNS -> median of req/s / (server CPU share)
    local i vals=()
    for ((i = 1; i <= RUNS; i++)); do
        vals+=("$(awk -v r="${rps[$1,$2,$3,$i]}" -v c="${srv_cpu[$1,$2,$3,$i]}" 'BEGIN {print (c > 0) ? r * 100 / c : 0}')")
    done
    median "${vals[@]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
fmt() { awk -v v="$1" 'BEGIN {printf "%.0f", v}'; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
git diff --quiet HEAD -- src include examples web 2>/dev/null || commit+=" + local changes in src/"
built=${PANE_BUILT_FROM:-the working tree at $commit}
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
cmd="bench/reuse.sh (RUNS=$RUNS DURATION=$DURATION CONNS_LIST=\"$CONNS_LIST\" ENCODINGS=\"$ENCODINGS\" NGINX_SENDFILE=$NGINX_SENDFILE LOAD_MAX=$LOAD_MAX LOAD_WAIT=$LOAD_WAIT MIN_CPU=$MIN_CPU RETRIES=$RETRIES)"
table=$(
    echo "Latest run: $(date -u '+%Y-%m-%d %H:%M UTC'), repository at $commit, $(nproc) cores ($cpu), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)."
    echo "Command: \`$cmd\` with PANE_BIN=$(realpath --relative-to="$root" "$PANE_BIN") (built from $built)."
    echo "Servers pinned to core 0, wrk (1 thread, keep-alive) to core 1; $DURATION s per run, runs alternating cached, nginx, fresh."
    echo
    echo "- **cached**: \`pane serve ${PANE_FLAGS[*]} --reuse-sessions --warm $APP\` (every request \`X-Pane-Cache: hit\`)"
    echo "- **nginx**: same bytes from a file (\`open_file_cache\`, \`sendfile $NGINX_SENDFILE\`, \`gzip_static on\`, \`access_log off\`), head cut/padded to pane's size (the CSP value cut by $cut bytes)"
    echo "- **fresh**: \`pane serve ${PANE_FLAGS[*]} $APP\` (no reuse: a new live session + render per request), a new process per run"
    echo
    echo "Response sizes (head + body bytes, as curl received them):"
    echo
    echo "| response | head | body |"
    echo "|---|---|---|"
    echo "| cached, identity | $head_cached | $bytes |"
    echo "| nginx, identity | $head_nginx | $bytes (same bytes) |"
    echo "| cached, gzip | $head_cached_gz | $gz_bytes |"
    echo "| nginx, gzip | $head_nginx_gz | $gz_bytes (same bytes) |"
    echo "| fresh, identity | $head_fresh | $fresh_bytes (≈, random numbers and a session token) |"
    echo "| fresh, gzip | $head_fresh_gz | $fresh_gz_bytes (compressed per request) |"
    for enc in $ENCODINGS; do
        echo
        echo "**$enc** (\`Accept-Encoding: $([[ $enc == gzip ]] && echo gzip || echo "(none)")\`), median req/s of $RUNS runs:"
        echo
        echo "| conns | cached | nginx | fresh | **cached / nginx** | **fresh / cached** | per server CPU-s: cached / nginx, fresh / cached | load before → after |"
        echo "|---|---|---|---|---|---|---|---|"
        for conns in $CONNS_LIST; do
            c=$(med_of rps cached "$enc" "$conns")
            n=$(med_of rps nginx "$enc" "$conns")
            f=$(med_of rps fresh "$enc" "$conns")
            pc=$(percore_of cached "$enc" "$conns")
            pn=$(percore_of nginx "$enc" "$conns")
            pf=$(percore_of fresh "$enc" "$conns")
            echo "| $conns | $(fmt "$c") | $(fmt "$n") | $(fmt "$f") | **$(ratio "$c" "$n")** | **$(ratio "$f" "$c")** | $(ratio "$pc" "$pn"), $(ratio "$pf" "$pc") | ${load_pre[$enc,$conns]} → ${load_post[$enc,$conns]} |"
        done
        echo
        echo "<details><summary>$enc: every run, bytes/response, latency, CPU share, fresh RSS</summary>"
        echo
        echo "| conns | server | req/s per run | req per server CPU-s (median) | bytes/response (wrk) | p50/p99 ms (run 1) | server CPU % | wrk CPU % |"
        echo "|---|---|---|---|---|---|---|---|"
        for conns in $CONNS_LIST; do
            for s in cached nginx fresh; do
                echo "| $conns | $s | $(runs_of "$s" "$enc" "$conns") | $(fmt "$(percore_of "$s" "$enc" "$conns")") | ${bpr[$s,$enc,$conns,1]} | ${lat[$s,$enc,$conns,1]} | $(cpus_of srv_cpu "$s" "$enc" "$conns") | $(cpus_of wrk_cpu "$s" "$enc" "$conns") |"
            done
        done
        echo
        echo "| conns | fresh run | RSS before → after (KiB) | peak (KiB) | requests in the run | KiB per request (≈ per live session) |"
        echo "|---|---|---|---|---|---|"
        for conns in $CONNS_LIST; do
            for ((run = 1; run <= RUNS; run++)); do
                reqs=$(awk -v r="${rps[fresh,$enc,$conns,$run]}" -v d="$DURATION" 'BEGIN {printf "%.0f", r * d}')
                per=$(awk -v a="${rss0[$enc,$conns,$run]}" -v b="${rss1[$enc,$conns,$run]}" -v n="$reqs" 'BEGIN {printf "%.2f", (b - a) / n}')
                echo "| $conns | $run | ${rss0[$enc,$conns,$run]} → ${rss1[$enc,$conns,$run]} | ${hwm[$enc,$conns,$run]} | $reqs | $per |"
            done
        done
        echo
        echo "</details>"
        for s in cached nginx fresh; do
            [[ -n ${notes[$s,$enc]:-} ]] && echo && echo "wrk errors for $s ($enc): ${notes[$s,$enc]}"
            [[ -n ${retries[$s,$enc]:-} ]] && echo && echo "$s ($enc): ${retries[$s,$enc]} run(s) repeated because the server got < $MIN_CPU% of core 0."
        done
        if [[ " ${!disturbed[*]} " == *",$enc,"* ]]; then
            echo
            echo "\\* = the server still got < $MIN_CPU% of core 0 after $RETRIES repeats (other work on the machine); kept in the median."
        fi
    done
    echo
    echo "Heads compared (identity; Date differs per request, same length):"
    echo
    echo '```'
    sed 's/\r$//' "$tmp/cached.h"
    sed 's/\r$//' "$tmp/nginx.h"
    echo '```'
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
