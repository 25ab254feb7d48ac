/*
 * hist: latency histograms with 4 buckets per power of two (the log-linear layout of HdrHistogram
 * with two bits of precision): bucket b < 4 holds b µs; above, the value's top bit e and the two
 * bits under it pick bucket 4 (e - 1) + those two bits. Fixed size, no allocation, summed by
 * adding counts, so each loop keeps one in its line of the stats record.
 *
 * Also the HTTP counts (base.h, struct pn_http_counts): Prometheus's fixed buckets.
 */
#include "base/base.h"

#include <math.h>

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

uint64_t pn__hist_upper(int b)
{
    return upper_of(b);
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

const int pn__http_count_statuses[PN_HTTP_NSTATUS] = {101, 200, 204, 206, 301, 302, 304, 400,
                                                      403, 404, 405, 408, 413, 414, 416, 426,
                                                      431, 500, 503, 0};
const double pn__http_count_le[PN_HTTP_NDURATION] = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, INFINITY};

void pn__http_count(struct pn_http_counts *c, int status, uint64_t us)
{
    int s = PN_HTTP_NSTATUS - 1;
    for (int i = 0; i < PN_HTTP_NSTATUS - 1; i++)
        if (pn__http_count_statuses[i] == status)
            s = i;
    c->status[s]++;
    if (status == 101)
        return; /* a socket's life is not a response time */
    int b = 0;
    while (b < PN_HTTP_NDURATION - 1 && (double)us / 1e6 > pn__http_count_le[b])
        b++;
    c->duration[b]++;
    c->duration_us += us;
}
