#!/bin/sh
# check_api.sh SOURCE_DIR: every function pane exports (each PN_API function of include/pane.h)
# is shown somewhere a reader looks: an example (examples/, any .c or .cpp, recursively) or
# docs/tutorial.md. A function counts as shown when its own name or the name of a macro that
# expands to it appears there (pn_card for pn_card_new, pn_alert_set_text for
# pn_alert_set_text_at, pn_feed_push for pn_feed_push_n, pn_checkbox_value for pn_toggle_value):
# the macros are read from pane.h's #define lines, so a new pair needs no change here. Prints
# every function shown nowhere, fails if there is one.
set -eu
SRC=$1
H="$SRC/include/pane.h"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# the exported functions: the name before the first "(" of each PN_API line (not the data)
grep '^PN_API' "$H" | grep -v '^PN_API extern' |
    sed -E 's/^[^(]*[^A-Za-z0-9_](pn_[A-Za-z0-9_]+)[[:space:]]*\(.*/\1/' | sort -u >"$tmp/functions"

# every #define as "NAME BODY" on one line (continuation lines joined)
awk '/^#[[:space:]]*define[[:space:]]/ || cont {
         line = cont ? line " " $0 : $0
         cont = sub(/\\$/, "", line)
         if (!cont) {
             sub(/^#[[:space:]]*define[[:space:]]+/, "", line)
             name = line; sub(/[^A-Za-z0-9_].*$/, "", name)
             body = substr(line, length(name) + 1)
             print name, body
         }
     }' "$H" >"$tmp/defines"

# the names a reader may have written: every pn_ word of the examples and the tutorial
{
    find "$SRC/examples" -type f \( -name '*.c' -o -name '*.cpp' \) -exec cat {} +
    [ -f "$SRC/docs/tutorial.md" ] && cat "$SRC/docs/tutorial.md"
} | grep -oE 'pn_[A-Za-z0-9_]+' | sort -u >"$tmp/used"

# a function is shown when one of its names is used: its own, or a macro's whose body names one
# of them (pn_checkbox_set_value -> pn_toggle_set_value -> pn_toggle_set_value_at)
awk -v F="$tmp/functions" -v D="$tmp/defines" -v U="$tmp/used" '
    BEGIN {
        while ((getline line < D) > 0) {
            name = line; sub(/ .*$/, "", name); body = substr(line, length(name) + 1)
            while (match(body, /[A-Za-z_][A-Za-z0-9_]*/)) {
                w = substr(body, RSTART, RLENGTH); body = substr(body, RSTART + RLENGTH)
                names_of[w] = names_of[w] " " name # a use of name is a use of w
            }
        }
        while ((getline w < U) > 0) used[w] = 1
        while ((getline fn < F) > 0) {
            total++
            split("", seen); list = ""; seen[fn] = 1; queue[1] = fn; head = 1; tail = 1; shown = 0
            while (head <= tail) {
                w = queue[head++]
                if (w in used) shown = 1
                k = split(names_of[w], more, " ")
                for (i = 1; i <= k; i++)
                    if (!(more[i] in seen)) {
                        seen[more[i]] = 1; queue[++tail] = more[i]
                        list = list (list == "" ? "" : ", ") more[i]
                    }
            }
            if (!shown) {
                print "api: " fn (list == "" ? "" : " (written " list ")") \
                      " is in no example and not in docs/tutorial.md"
                missing++
            }
        }
        if (missing) {
            print "api: " missing " of " total " functions of pane.h are shown nowhere"
            exit 1
        }
        print "ok api: all " total " functions of pane.h are in an example or the tutorial"
    }'
