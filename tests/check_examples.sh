#!/bin/sh
# check_examples.sh SOURCE_DIR: every example app (examples/*.c) compiles as pane compiles an app
# (gnu17, as pane compiles apps, with -Wall -Wextra -Werror), so none of them rots between the tests that serve it.
set -eu
SRC=$1
fail=0
for f in "$SRC"/examples/*.c; do
    if ! cc -std=gnu17 -Wall -Wextra -Wno-missing-field-initializers -Werror -fsyntax-only \
        -I "$SRC/include" "$f"; then
        echo "examples: $f does not compile"
        fail=1
    fi
done
[ $fail -eq 0 ] && echo "ok examples: $(ls "$SRC"/examples/*.c | wc -l) apps compile"
exit $fail
