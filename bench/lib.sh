# bench/lib.sh — what the bench scripts share; sourced, not run.
#
#   stop_pid PID [SECONDS]   SIGTERM, wait up to SECONDS (default 10), then SIGKILL; reaps it.
#   bench_tmp NAME           makes $tmp (/tmp/pane-NAME.XXXXXX) with the load client built in it
#                            ($tmp/sessions, from bench/sessions.c) and $tmp/cache; on exit stops
#                            the pane whose PID is in $pane_pid and removes $tmp.
#   nginx_like_pane SCHEME   nginx serving pane's page with the same bytes and head size
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

# nginx_like_pane SCHEME: nginx (core 0) serving pane's page ($tmp/www/weather, its head in
# $tmp/pane.headers, Content-Type $ctype) with the same bytes and a head of the same size
# (pane's own headers added, the longest cut or padded to make up for nginx's), checked; sets
# port, nginx_url, nginx_pid, pane_head, nginx_head. SCHEME https: $NGINX_HTTP_EXTRA (the ssl_*
# lines, in http {}) and NGINX_LISTEN=ssl.
nginx_like_pane() {
    port=
    for ((i = 0; i < 50; i++)); do
        p=$((20000 + RANDOM % 20000))
        if [[ -z $(ss -Htln "sport = :$p") ]]; then
            port=$p
            break
        fi
    done
    [[ -n $port ]] || { echo "bench: no free port for nginx" >&2; exit 1; }
    # pane's headers that nginx does not send by itself, in pane's order: "Name<TAB>value"
    awk 'NR > 1 && /: / {sub(/\r$/, ""); n = $0; sub(/:.*/, "", n); v = $0; sub(/^[^:]*: /, "", v);
        if (tolower(n) !~ /^(server|date|content-type|content-length|content-encoding|connection)$/)
            print n "\t" v}' "$tmp/pane.headers" >"$tmp/added.tsv"
    longest=$(awk -F'\t' 'length($2) > max {max = length($2); n = NR} END {print n + 0}' "$tmp/added.tsv")
    write_nginx_conf() { # CUT: bytes cut from (< 0: padded onto) the longest added value
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
        sendfile off;
        open_file_cache max=16 inactive=600s;
        open_file_cache_valid 3600s;
        etag off;
        max_ranges 0;
        keepalive_timeout 65;
        keepalive_requests 10000000;
        client_body_temp_path $tmp/nginx/body;
        proxy_temp_path $tmp/nginx/proxy;
        types { }
        default_type "$ctype";
    ${NGINX_HTTP_EXTRA:-}    server {
            listen 127.0.0.1:$port${NGINX_LISTEN:+ $NGINX_LISTEN};
            location = /weather {
                alias $tmp/www/weather;
                add_header Last-Modified "";
EOF
            awk -F'\t' -v cut="$1" -v longest="$longest" '{
                v = $2
                if (NR == longest) {
                    if (cut > 0) v = substr(v, 1, length(v) - cut)
                    else for (i = 0; i < -cut; i++) v = v ";"
                }
                gsub(/\\/, "\\\\", v); gsub(/"/, "\\\"", v)
                printf "            add_header %s \"%s\" always;\n", $1, v
            }' "$tmp/added.tsv"
            printf '        }\n    }\n}\n'
        } >"$tmp/nginx/nginx.conf"
    }
    nginx_url=$1://127.0.0.1:$port/weather
    start_nginx() {
        taskset -c 0 nginx -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
        nginx_pid=$!
        for ((i = 0; i < 100; i++)); do
            curl -sS --max-time 2 -o "$tmp/nginx.body" -D "$tmp/nginx.headers" "$nginx_url" 2>/dev/null && return 0
            kill -0 "$nginx_pid" 2>/dev/null || { echo "bench: nginx exited:" >&2; cat "$tmp/nginx/error.log" >&2; exit 1; }
            sleep 0.1
        done
        echo "bench: nginx does not answer" >&2
        exit 1
    }
    write_nginx_conf 0
    start_nginx
    cut=$(($(wc -c <"$tmp/nginx.headers") - $(wc -c <"$tmp/pane.headers")))
    if ((cut != 0 && longest > 0)); then # nginx's own "Connection: keep-alive": cut off a value
        stop_pid "$nginx_pid" 5
        nginx_pid=
        write_nginx_conf "$cut"
        start_nginx
    fi
    cmp -s "$tmp/www/weather" "$tmp/nginx.body" || { echo "bench: nginx does not serve pane's bytes" >&2; exit 1; }
    grep -qiF "content-type: $ctype" "$tmp/nginx.headers" || { echo "bench: nginx Content-Type differs" >&2; exit 1; }
    pane_head=$(wc -c <"$tmp/pane.headers")
    nginx_head=$(wc -c <"$tmp/nginx.headers")
    echo "bench: response heads: pane $pane_head bytes, nginx $nginx_head bytes; bodies $bytes bytes"
}
