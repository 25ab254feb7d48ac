/*
 * suggest: "did you mean" for the command line. An unknown command or option is compared with
 * the known ones by edit distance (Damerau–Levenshtein: a swap of two neighbours is one edit,
 * as in git's and cargo's suggestions), and also as a prefix (`--prot` for `--port`); the
 * nearest within a third of its length is named. The options are read from the usage text
 * itself, so a new option is suggested without a second list to keep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define MAXLEN 64

static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n >= MAXLEN || m >= MAXLEN)
        return (size_t)-1;
    size_t d[MAXLEN + 1][MAXLEN + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

const char *pn__cli_nearest(const char *word, const char *const *known, size_t nknown)
{
    size_t len = strlen(word), best = (size_t)-1;
    const char *found = NULL;
    if (len < 2)
        return NULL;
    for (size_t i = 0; i < nknown; i++) {
        size_t d = distance(word, known[i]);
        /* a prefix of one option only counts as near (--prot, --reuse) */
        if (len >= 4 && strncmp(known[i], word, len) == 0)
            d = d < 1 ? d : 1;
        if (d < best)
            best = d, found = known[i];
    }
    size_t allowed = len / 3 > 2 ? len / 3 : 2;
    return best <= allowed ? found : NULL;
}

size_t pn__cli_options(const char *usage, char out[][MAXLEN], size_t max)
{
    size_t n = 0;
    for (const char *p = usage; (p = strstr(p, "--")) && n < max;) {
        if (p > usage && p[-1] != ' ' && p[-1] != ',' && p[-1] != '[') {
            p += 2;
            continue;
        }
        size_t k = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
        if (k > 3 && k < MAXLEN) {
            bool seen = false;
            for (size_t i = 0; i < n && !seen; i++)
                seen = strlen(out[i]) == k && !strncmp(out[i], p, k);
            if (!seen) {
                memcpy(out[n], p, k);
                out[n++][k] = '\0';
            }
        }
        p += k;
    }
    return n;
}
