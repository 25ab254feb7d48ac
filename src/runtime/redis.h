/*
 * redis: shared feeds (pn_feed_redis) across processes and machines through Redis (see
 * redis.c). One Redis per process: every runtime started with the same URL shares it.
 */
#ifndef PN_RUNTIME_REDIS_H
#define PN_RUNTIME_REDIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pn_redis_url {
    char host[256]; /* or */
    char path[512]; /* a Unix socket */
    char user[128], pass[256];
    int port, db;
};
/* "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]", "redis://[::1]:6379", "unix:/PATH". 0 or
 * PN_EINVAL with a message. */
int pn__redis_parse_url(const char *url, struct pn_redis_url *u, char *err, size_t errlen);

/* A message on a feed's channel, "VERSION:UPDATE" (VERSION decimal, at most 20 digits):
 * false when it is not one. *update points into s. */
bool pn__redis_parse_message(const char *s, size_t len, uint64_t *version, const char **update,
                             size_t *ulen);

/* Starts the process's bridge (or counts one more user of it): feeds shared with
 * pn_feed_redis go through it from now on. It connects in the background: an unreachable
 * Redis is logged, not an error. PN_EINVAL for a bad URL or another URL than the running
 * bridge's. */
int pn__redis_start(const char *url, char *err, size_t errlen);
/* The last user stops it: what it had not sent is shown here. Thread: not a feed publisher
 * holding a lock. */
void pn__redis_stop(void);

#endif
