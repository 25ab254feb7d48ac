#!/usr/bin/env bash
# Builds and tests pane as CI does: the dev preset (Debug, -Werror: unit, e2e, browser,
# fuzz-replay and check tests), then the asan preset (the same under ASan+UBSan; browser tests
# are skipped there), then the tsan preset (ThreadSanitizer: the tests labelled tsan, where
# threads meet: embedding, posts, feeds on several loops, the image store). Each runs even if
# one before it failed; the summary of all is printed last and the exit status is non-zero if
# any failed.
#
#   scripts/test.sh                  # all three presets
#   scripts/test.sh dev              # only one
#   PANE_TEST_JOBS=1 scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# the browser tests need playwright-core (package-lock.json pins it)
if [[ ! -d node_modules/playwright-core || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "=== npm ci"
    npm ci --no-audit --no-fund
fi

presets=("$@")
((${#presets[@]})) || presets=(dev asan tsan)
jobs=${PANE_TEST_JOBS:-2}
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

status=0
declare -A summary
for preset in "${presets[@]}"; do
    echo "=== $preset: configure and build"
    if ! cmake --preset "$preset" || ! cmake --build --preset "$preset"; then
        summary[$preset]="build FAILED"
        status=1
        continue
    fi
    echo "=== $preset: ctest"
    if ! ctest --preset "$preset" --parallel "$jobs" 2>&1 | tee "$logdir/$preset.log"; then
        status=1
    fi
    summary[$preset]=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' \
        "$logdir/$preset.log" | tail -n 1 || true)
    if [[ -z ${summary[$preset]} ]]; then
        summary[$preset]="no ctest summary (no tests found?)"
        status=1
    fi
done

passed=0
failed=0
echo
echo "=== summary"
for preset in "${presets[@]}"; do
    line=${summary[$preset]}
    echo "$preset: $line"
    if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
        failed=$((failed + BASH_REMATCH[1]))
        passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
    fi
done
echo "tests: $passed passed, $failed failed"
exit "$status"
