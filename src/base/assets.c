/*
 * assets: lookup in the table of embedded files. tools/embed.c generates pn__assets[] (into
 * build/gen/assets.c) sorted by path with strcmp order; this is a binary search over it by a
 * path slice, comparing bytes the same way, so "client/pane.css" finds its entry without
 * needing a NUL-terminated key.
 */
#include "base/base.h"

/* strcmp order for a slice against a NUL-terminated string. */
static int path_cmp(pn_str key, const char *path)
{
    size_t plen = strlen(path);
    size_t n = key.len < plen ? key.len : plen;
    int c = n ? memcmp(key.ptr, path, n) : 0;
    if (c != 0)
        return c;
    return key.len < plen ? -1 : key.len > plen ? 1 : 0;
}

const struct pn_asset *pn__asset_find(pn_str path)
{
    size_t lo = 0, hi = pn__assets_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = path_cmp(path, pn__assets[mid].path);
        if (c == 0)
            return &pn__assets[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
