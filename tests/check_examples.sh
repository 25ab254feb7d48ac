#!/bin/sh
# check_examples.sh SOURCE_DIR: every example app (examples/*.c and the tutorial's steps,
# examples/tutorial/*.c) compiles as pane compiles an app (gnu17, as pane compiles apps, with
# -Wall -Wextra -Werror), so none of them rots between the tests that serve it. (examples/embed
# holds programs with their own main, built by CMake.)
set -eu
SRC=$1
fail=0
n=0
for f in "$SRC"/examples/*.c "$SRC"/examples/tutorial/*.c; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    if ! cc -std=gnu17 -Wall -Wextra -Wno-missing-field-initializers -Werror -fsyntax-only \
        -I "$SRC/include" "$f"; then
        echo "examples: $f does not compile"
        fail=1
    fi
done
[ $fail -eq 0 ] && echo "ok examples: $n apps compile"
exit $fail
