#!/bin/sh
# valgrind.sh: the e2e harness (tests/e2e/harness.c, every data-file case and built-in check),
# the WebSocket test (tests/e2e/ws_test.c) and the session-lifetime cases of the live test
# (tests/e2e/live_test.c "lifetimes": timers stopped before their session ends, destroy hooks,
# calls from another thread) with the servers they start under memcheck.
# Builds nothing: give it a configured and built non-sanitizer build directory.
#
#     ninja -C build/dev pane pane_e2e ws_test ws_echo live_test
#     tests/valgrind.sh build/dev [CASE_FILTER]
#
# pane runs as `valgrind --tool=memcheck --error-exitcode=1 --leak-check=full
# --errors-for-leak-kinds=definite ... pane serve ...` through the harness's PANE_WRAPPER, with
# every harness timeout multiplied by PANE_TIMEOUT_SCALE (default 5 here); ws_echo runs under
# the same command through a small wrapper script. Each server process writes its own log to
# OUT (default BUILD/valgrind), and the summary at the end lists, per process, the errors
# memcheck counted and the bytes definitely lost, then the test results.
#
# Exit status: 0 if memcheck reported nothing and every test passed, 1 otherwise (the summary
# says which), 2 on a usage error. About 80 s on 2 cores (valgrind 3.19); ctest runs it in plain
# builds as valgrind.e2e.
set -u

usage() {
    echo "usage: $0 BUILD_DIR [CASE_FILTER]   (a non-sanitizer build with pane, pane_e2e, ws_test, ws_echo)" >&2
    exit 2
}
[ $# -ge 1 ] || usage
BUILD=$(cd "$1" 2>/dev/null && pwd) || usage
FILTER=${2:-}
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$BUILD/valgrind}
PANE=$BUILD/pane
E2E=$BUILD/tests/pane_e2e
WS_TEST=$BUILD/tests/ws_test
WS_ECHO=$BUILD/tests/ws_echo
LIVE_TEST=$BUILD/tests/live_test

command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind is not installed" >&2; exit 2; }
for f in "$PANE" "$E2E" "$WS_TEST" "$WS_ECHO" "$LIVE_TEST"; do
    [ -x "$f" ] || { echo "valgrind.sh: $f missing: build it first" >&2; exit 2; }
done
if grep -q '^PANE_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt" 2>/dev/null; then
    echo "valgrind.sh: $BUILD is a sanitizer build; valgrind needs a plain one (e.g. build/dev)" >&2
    exit 2
fi

rm -rf "$OUT"
mkdir -p "$OUT" "$BUILD/cache" || exit 2
VG="valgrind --tool=memcheck --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --num-callers=30"

# ws_test starts its server with execv(path): give it a script that execs ws_echo under valgrind
cat >"$OUT/ws_echo.sh" <<EOF
#!/bin/sh
exec $VG --log-file=$OUT/ws_echo.%p.log $WS_ECHO "\$@"
EOF
chmod +x "$OUT/ws_echo.sh"

start=$(date +%s)
echo "valgrind.sh: e2e harness (pane under memcheck), logs in $OUT"
PANE_WRAPPER="$VG --log-file=$OUT/pane.%p.log" PANE_TIMEOUT_SCALE=${PANE_TIMEOUT_SCALE:-5} \
    XDG_CACHE_HOME=$BUILD/cache timeout 3000 "$E2E" "$PANE" "$SRC" ${FILTER:+"$FILTER"} \
    >"$OUT/e2e.out" 2>"$OUT/e2e.err"
e2e_rc=$?
ws_rc=0
if [ -z "$FILTER" ]; then
    echo "valgrind.sh: ws_test (ws_echo under memcheck)"
    timeout 1200 "$WS_TEST" "$OUT/ws_echo.sh" >"$OUT/ws.out" 2>"$OUT/ws.err"
    ws_rc=$?
fi
live_rc=0
if [ -z "$FILTER" ]; then
    echo "valgrind.sh: live_test lifetimes (its life server under memcheck)"
    PANE_WRAPPER="$VG --log-file=$OUT/pane.%p.log" XDG_CACHE_HOME=$BUILD/cache \
        timeout 600 "$LIVE_TEST" "$PANE" "$SRC" lifetimes >"$OUT/live.out" 2>"$OUT/live.err"
    live_rc=$?
fi
took=$(( $(date +%s) - start ))

echo
echo "== memcheck, per server process"
vg_bad=0
nlogs=0
for log in "$OUT"/pane.*.log "$OUT"/ws_echo.*.log; do
    [ -f "$log" ] || continue
    nlogs=$((nlogs + 1))
    errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tail -n 1 | tr -d ,)
    lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1 bytes in \2 blocks/p' "$log" | tail -n 1)
    [ -n "$lost" ] || lost="0 bytes"
    if [ -z "$errs" ] && ! grep -q 'Process terminating\|Invalid\|uninitialised' "$log" &&
        [ "$(grep -vc '^==[0-9]*== *$' "$log")" -le 6 ]; then
        # the child of a fork that exec'd another program at once (pane running cc)
        echo "  $(basename "$log"): a forked child that exec'd (the app's compiler): nothing to check"
        continue
    elif [ -z "$errs" ]; then
        echo "  $(basename "$log"): no ERROR SUMMARY (killed before exit?)"
        vg_bad=1
    else
        echo "  $(basename "$log"): $errs errors, definitely lost $lost"
        [ "$errs" = 0 ] || vg_bad=1
    fi
done
[ "$nlogs" -gt 0 ] || { echo "  no valgrind logs: the servers did not start under valgrind"; vg_bad=1; }
if [ "$vg_bad" = 1 ]; then
    echo
    echo "== memcheck reports (first 60 lines of each log with errors)"
    for log in "$OUT"/*.log; do
        [ -f "$log" ] || continue
        grep -q 'ERROR SUMMARY: 0 errors' "$log" && continue
        grep -q 'ERROR SUMMARY' "$log" || [ "$(grep -vc '^==[0-9]*== *$' "$log")" -gt 6 ] || continue
        echo "-- $log"
        grep -v '^==[0-9]*== *$' "$log" | sed -n '/Invalid\|uninitialised\|definitely lost in\|Mismatched\|overlap\|Syscall param\|Process terminating/,$p' | head -n 60
    done
fi

echo
echo "== tests"
echo "  $(tail -n 1 "$OUT/e2e.out") (exit $e2e_rc)"
grep '^FAIL' "$OUT/e2e.out" | sed 's/^/    /'
if [ -z "$FILTER" ]; then
    echo "  $(tail -n 1 "$OUT/ws.out" 2>/dev/null) (exit $ws_rc)"
    grep -i '^FAIL\|^not ok' "$OUT/ws.out" | sed 's/^/    /'
    echo "  $(tail -n 1 "$OUT/live.out" 2>/dev/null) (exit $live_rc)"
    grep '^FAIL' "$OUT/live.out" | sed 's/^/    /'
fi
echo "  took ${took}s"

if [ "$vg_bad" = 0 ] && [ "$e2e_rc" = 0 ] && [ "$ws_rc" = 0 ] && [ "$live_rc" = 0 ]; then
    echo "valgrind.sh: clean"
    exit 0
fi
[ "$vg_bad" = 0 ] && echo "valgrind.sh: memcheck clean, but tests failed (see above; timing under valgrind, or real)" \
    || echo "valgrind.sh: memcheck found errors or leaks (logs in $OUT)"
exit 1
