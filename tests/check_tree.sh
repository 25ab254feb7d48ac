#!/bin/sh
# Tree checks that a compiler does not make: the module edges of DESIGN.md §2 (every module
# under src/ must be listed) and a list of banned functions (curl's checksrc idea). Prints every
# violation, fails if there is one.
set -u
cd "$1" || exit 2
fail=0
edge() { # edge DIR PATTERN WHY
    hits=$(grep -nE "$2" "$1"/*.c "$1"/*.h 2>/dev/null)
    if [ -n "$hits" ]; then echo "layering: $3"; echo "$hits"; fail=1; fi
}
edge src/base '#include "(net|server|doc|render|app|cli)/' "base depends on nothing else in pane"
edge src/net '#include "(server|doc|render|app|cli)/' "net knows nothing of sessions, docs or pages"
edge src/doc '#include "(net|server|render|kinds|app|cli)/' "doc knows nothing of sockets, rendering or any kind"
edge src/render '#include "(net|server|kinds|app|cli)/' "render reads a doc and writes bytes; it knows no kind"
edge src/kinds '#include "(net|server|app|cli)/' "a kind is doc and render: it knows nothing of sockets or sessions' loops"
edge src/app '#include "(net|server|doc|render|cli)/' "app compiles and loads apps: base only"
edge src/server '#include "(cli|kinds|runtime)/' "server routes messages and knows no kind; the runtime drives it"
edge src/runtime '#include "(cli|kinds)/' "the runtime is a library the command line and an embedding program drive"
# net's sockets: only the transport (transport.c, and tls.c's contexts) does socket I/O or TLS;
# HTTP and WebSocket go through it (internal.h's pn__tp_*)
hits=$(grep -nE '\b(uv_read_start|uv_read_stop|uv_write|uv_try_write|uv_shutdown|uv_stream_get_write_queue_size|uv_fileno|uv_tcp_[a-z_]+|SSL_[A-Za-z_]+|BIO_[a-z_]+)[[:space:]]*\(' \
       src/net/*.c | grep -vE '^src/net/(transport|tls)\.c:')
if [ -n "$hits" ]; then echo "layering: socket I/O outside src/net/transport.c"; echo "$hits"; fail=1; fi
# every module under src/ has its edges here: a new one must be added above
for d in src/*/; do
    case $d in src/base/|src/net/|src/doc/|src/render/|src/kinds/|src/app/|src/server/|src/runtime/|src/cli/) ;;
    *) echo "layering: $d has no edges in tests/check_tree.sh"; fail=1 ;;
    esac
done
banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strncat|gets|atoi|atol|atof|strtok|tmpnam|mktemp)[[:space:]]*\('
hits=$(grep -rnE "$banned" src include tools tests/unit tests/e2e fuzz --include='*.c' --include='*.h' |
       grep -v 'check_tree.sh')
if [ -n "$hits" ]; then echo "banned functions (use snprintf, pn__buf_*, strtol …):"; echo "$hits"; fail=1; fi
[ $fail = 0 ] && echo "ok: module edges and banned functions"
exit $fail
