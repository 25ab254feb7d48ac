/*
 * hist: latency histograms with 4 buckets per power of two (the log-linear layout of HdrHistogram
 * with two bits of precision): bucket b < 4 holds b µs; above, the value's top bit e and the two
 * bits under it pick bucket 4 (e - 1) + those two bits. Fixed size, no allocation, summed by
 * adding counts, so each loop keeps one in its line of the stats record.
 */
#include "base/base.h"

static int bucket_of(uint64_t us)
{
    if (us < 4)
        return (int)us;
    int e = 63 - __builtin_clzll(us); /* >= 2 */
    int b = 4 * (e - 1) + (int)((us >> (e - 2)) & 3);
    return b < PN_HIST_BUCKETS ? b : PN_HIST_BUCKETS - 1;
}

static uint64_t upper_of(int b)
{
    if (b < 4)
        return (uint64_t)b + 1;
    int e = b / 4 + 1, sub = b % 4;
    return (uint64_t)(5 + sub) << (e - 2);
}

void pn__hist_add(uint64_t *h, uint64_t us)
{
    h[bucket_of(us)]++;
}

uint64_t pn__hist_quantile(const uint64_t *h, double q)
{
    uint64_t total = 0;
    for (int b = 0; b < PN_HIST_BUCKETS; b++)
        total += h[b];
    if (!total)
        return 0;
    uint64_t want = (uint64_t)(q * (double)total + 0.999999), seen = 0;
    if (want < 1)
        want = 1;
    for (int b = 0; b < PN_HIST_BUCKETS; b++)
        if ((seen += h[b]) >= want)
            return upper_of(b);
    return upper_of(PN_HIST_BUCKETS - 1);
}
