#!/bin/sh
# check_macros.sh PANE_H TEST_CPP: every macro of pane.h built on a C compound literal
# (`(const T){...}`, `(T[]){...}`), which C++ does not have, is defined again in pane.h's C++
# block and used by the C++ test (tests/cxx/pane_h.cpp), so a new builder cannot miss either.
set -eu
h=$1
cpp=$2
# pane.h with its continued lines joined, split at the C++ block
joined=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$h")
c_part=$(printf '%s\n' "$joined" | sed '/^\/\* ---- C++ ----/,$d')
cxx_part=$(printf '%s\n' "$joined" | sed -n '/^\/\* ---- C++ ----/,$p')
names=$(printf '%s\n' "$c_part" |
        grep -E '^#define [A-Za-z_0-9]+.*\([A-Za-z_][A-Za-z0-9_ *]*(\[\])?\)\{' |
        sed -E 's/^#define ([A-Za-z_0-9]+).*/\1/')
[ -n "$names" ] || { echo "no compound-literal macros found in $h"; exit 1; }
fail=0
for n in $names; do
    printf '%s\n' "$cxx_part" | grep -qE "^#define $n[( ]" ||
        { echo "$n: a compound literal in C, not defined again for C++ in $h"; fail=1; }
    grep -qE "\b$n\b" "$cpp" || { echo "$n: not used by $cpp"; fail=1; }
done
[ $fail = 0 ] && echo "ok: $(echo $names | wc -w) compound-literal macros, each defined for C++ and used"
exit $fail
