#!/bin/sh
# Fuzz every target (or the ones named) for SECONDS each with libFuzzer, one after another.
#
#   fuzz/run.sh                    # all targets, 600 s each, on core 1
#   SECONDS_PER=60 fuzz/run.sh http ws
#   MERGE=1 fuzz/run.sh            # and then merge what found new coverage into fuzz/corpus
#
# Builds the clang `fuzz` preset (ASan + UBSan + libFuzzer). New inputs go to a scratch corpus
# under build/fuzz/work/<target>/ (seeded from fuzz/corpus/<target>); crashes, leaks and
# timeouts are written to build/fuzz/work/<target>/{crash,leak,timeout,oom}-*. With MERGE=1 the
# inputs that add coverage are merged into fuzz/corpus/<target> (libFuzzer -merge=1: only what
# the committed corpus does not already cover), for CI's replay; a crash reproducer is copied by
# hand, with its fix. Do not SIGSTOP a run: libFuzzer's -timeout counts wall time, and a paused
# unit is reported as a timeout.
# A summary line per target (runs, exec/s, coverage, CPU seconds, findings) goes to stdout and
# build/fuzz/work/summary.txt.
set -eu
cd "$(dirname "$0")/.."

SECONDS_PER=${SECONDS_PER:-600}
CORE=${CORE:-1}
RSS_MB=${RSS_MB:-2048}

[ -x /usr/bin/time ] || { echo "fuzz/run.sh: needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null

targets=${*:-$(ls fuzz/fuzz_*.c | sed 's|fuzz/fuzz_||; s|\.c$||')}
work=build/fuzz/work
mkdir -p "$work"
: >"$work/summary.txt"

for t in $targets; do
  bin=build/fuzz/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz/run.sh: no target $t" >&2; exit 2; }
  dir=$work/$t
  mkdir -p "$dir/corpus"
  cp -n fuzz/corpus/$t/* "$dir/corpus/" 2>/dev/null || true
  log=$dir/fuzz.log
  dict=
  [ -f "fuzz/$t.dict" ] && dict=-dict=../../../../fuzz/$t.dict
  start=$(date +%s)
  # shellcheck disable=SC2086
  (cd "$dir" && /usr/bin/time -f '%U %S' -o cpu taskset -c "$CORE" "../../../../$bin" -max_total_time="$SECONDS_PER" \
      -rss_limit_mb="$RSS_MB" -timeout=10 -print_final_stats=1 \
      $dict \
      corpus >fuzz.log 2>&1) && status=ok || status="exit $?"
  end=$(date +%s)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo ?)
  eps=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo ?)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo ?)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo ?)
  found=$(ls "$dir" | grep -c -E '^(crash|leak|timeout|oom)-' || true)
  n=$(ls "$dir/corpus" | wc -l)
  cpu=$(awk 'NF == 2 { printf "%d", $1 + $2 }' "$dir/cpu" 2>/dev/null || echo ?)
  line="$t: $status, $((end - start)) s wall, ${cpu:-?} s CPU (user+sys) on core $CORE, $runs runs ($eps/s), cov $cov ft $ft, corpus $n, findings $found"
  echo "$line" | tee -a "$work/summary.txt"
  if [ "${MERGE:-0}" = 1 ]; then
    before=$(ls fuzz/corpus/$t | wc -l)
    taskset -c "$CORE" "$bin" -merge=1 -rss_limit_mb="$RSS_MB" fuzz/corpus/$t "$dir/corpus" \
      >"$dir/merge.log" 2>&1 || echo "$t: merge failed, see $dir/merge.log" >&2
    echo "$t: fuzz/corpus/$t $before -> $(ls fuzz/corpus/$t | wc -l) files" | tee -a "$work/summary.txt"
  fi
done
