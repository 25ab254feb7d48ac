# bench/lib.sh — what the bench scripts share; sourced, not run.
#
#   stop_pid PID [SECONDS]   SIGTERM, wait up to SECONDS (default 10), then SIGKILL; reaps it.
#   bench_tmp NAME           makes $tmp (/tmp/pane-NAME.XXXXXX) with the load client built in it
#                            ($tmp/sessions, from bench/sessions.c) and $tmp/cache; on exit stops
#                            the pane whose PID is in $pane_pid and removes $tmp.
#   wait_url PID OUT ERR     waits up to 60 s (the first start compiles the app) for the
#                            "pane: serving http://…" line in OUT and prints the URL; fails
#                            with ERR's contents if the process exits first.

stop_pid() {
    local pid=$1 tenths=$((${2:-10} * 10)) i
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < tenths; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

wait_url() {
    local pid=$1 out=$2 err=$3 url i
    for ((i = 0; i < 600; i++)); do
        url=$(sed -n 's/^pane: serving \(http:[^ ]*\).*/\1/p' "$out" | head -n 1 || true)
        [[ -n $url ]] && { echo "$url"; return 0; }
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench: pane exited:" >&2
            cat "$err" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "bench: pane printed no URL in 60 s" >&2
    return 1
}

bench_tmp() {
    tmp=$(mktemp -d "/tmp/pane-$1.XXXXXX")
    pane_pid=
    trap 'stop_pid "$pane_pid"; rm -rf "$tmp"' EXIT
    trap 'exit 130' INT TERM
    cc -O2 -Wall -Wextra -o "$tmp/sessions" bench/sessions.c
    mkdir -p "$tmp/cache"
}
