/*
 * redis: shared feeds (pn_feed_redis) across processes and machines, through Redis pub/sub.
 *
 * One bridge per process, on a thread and a libuv loop of its own, with two connections
 * (hiredis and its libuv adapter): "cmd" runs the scripts, "sub" is subscribed to one channel
 * per shared feed. The server's loops are never involved: an update comes back into the feed
 * (pn__feed_apply), which wakes the loops whose sessions show it, as a local publish does.
 *
 * A publish of a shared feed is taken by the bridge (the feed's mirror hook, any thread):
 * queued, and on the bridge's thread sent as one script that, atomically in Redis, counts the
 * feed's version, keeps its latest state (a value; a series' last chunks, at most rollover of
 * them, so at least the window) and publishes "VERSION:UPDATE" on the feed's channel. Every
 * process applies what comes on the channel, its own publishes included, so all of them see
 * one order. A value is applied when its version is newer than the one shown; a series' chunk
 * when it is the next one, and a gap (a lost message) makes the process read the state again.
 *
 * Catching up: when the subscription to a feed's channel is confirmed, the bridge reads the
 * state (one script: version, type, value, chunks) and shows it; what arrives on the channel
 * meanwhile is held and applied after it, if newer. A process that starts late or reconnects
 * therefore shows the latest state without waiting for the next publish.
 *
 * Redis away: both connections are dropped, the sessions keep what they show, the failure is
 * logged once and the bridge tries again with a growing delay (0.1 s doubling to 5 s, jittered).
 * Meanwhile the process's own publishes are shown at once and kept (a value: the latest; a
 * series: up to rollover points) to be sent when Redis is back, before the state is read again.
 * A connection that does not answer within 3 s (connecting, or a script's reply) counts as
 * away. A publish under way when the connection breaks is shown here and sent again.
 *
 * Redis keys, with the feed's name in a hash tag (one cluster slot per feed):
 *   pane:{NAME}:state   hash: v (version), t (number, text, series/K), s (a value's update)
 *   pane:{NAME}:chunks  list: a series' last updates
 *   pane:{NAME}         the channel
 * An update's bytes are the feed's (doc.h: a double, text, or u32 n, u32 k, doubles in host
 * order: every machine sharing a Redis must agree, as x86-64 and arm64 do).
 */
#include <hiredis/adapters/libuv.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc/doc.h"
#include "runtime/redis.h"

enum { DOWN, CONNECTING, UP };

#define TIMEOUT_MS 3000
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

struct msg {
    struct msg *next;
    struct link *l;
    bool shown; /* applied here while Redis was away */
    size_t points;
    size_t len;
    uint64_t sent_ms; /* when its script was sent (bridge thread) */
    unsigned char data[];
};

struct held { /* an update that came while the feed's state was being read */
    struct held *next;
    uint64_t version;
    size_t len;
    unsigned char data[];
};

struct link { /* one shared feed */
    struct link *next;
    pn_feed *f;
    char *state, *chunks, *channel, *type; /* its keys and its type as Redis keeps it */
    size_t cap;                            /* series: rollover */
    /* under B.mu: */
    struct msg *out, **out_tail; /* published, not yet sent */
    size_t out_points;
    bool listed; /* in B.work */
    struct link *work_next;
    /* bridge thread: */
    bool subscribed, syncing, broken;
    uint64_t seen; /* the version shown */
    struct held *held, **held_tail;
    size_t held_points;
    bool held_overflow;
};

static struct {
    pthread_mutex_t mu;
    /* under mu: */
    bool running;
    int refs;
    char *url;
    struct link *links;
    struct link *work; /* links with messages to send or show */
    bool new_links;
    bool stopping;
    /* bridge thread: */
    uv_loop_t loop;
    uv_async_t wake;
    uv_timer_t retry, watchdog;
    uv_thread_t thread;
    redisAsyncContext *cmd, *sub;
    int state, connected; /* connections that said they are up */
    unsigned backoff_ms;
    uint64_t state_since;
    bool logged_down, ever_up;
    struct pn_redis_url u;
    struct msg *inflight, **inflight_tail; /* scripts sent, in order */
    struct msg *failed, **failed_tail;     /* sent, the connection broke before the reply */
    char url_shown[600];                   /* the URL without its password */
    unsigned seed;
    bool stopping_now;
} B = {.mu = PTHREAD_MUTEX_INITIALIZER};

static const char PUBLISH_LUA[] =
    "local t = redis.call('HGET', KEYS[1], 't')\n"
    "if t and t ~= ARGV[2] then return redis.error_reply('WRONGTYPE feed of type ' .. t) end\n"
    "local v = redis.call('HINCRBY', KEYS[1], 'v', 1)\n"
    "if ARGV[4] ~= '0' then\n"
    "  redis.call('HSET', KEYS[1], 't', ARGV[2])\n"
    "  redis.call('RPUSH', KEYS[2], ARGV[3])\n"
    "  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)\n"
    "else\n"
    "  redis.call('HSET', KEYS[1], 't', ARGV[2], 's', ARGV[3])\n"
    "end\n"
    "redis.call('PUBLISH', ARGV[1], v .. ':' .. ARGV[3])\n"
    "return v\n";

static const char STATE_LUA[] =
    "return {redis.call('HGET', KEYS[1], 'v') or '0', redis.call('HGET', KEYS[1], 't') or '',\n"
    "        redis.call('HGET', KEYS[1], 's') or '', redis.call('LRANGE', KEYS[2], 0, -1)}\n";

/* ---- the URL ---- */

int pn__redis_parse_url(const char *url, struct pn_redis_url *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof *u);
    u->port = 6379;
    const char *p;
    if (strncmp(url, "unix:", 5) == 0) {
        p = url + 5;
        if (strncmp(p, "//", 2) == 0)
            p += 2;
        if (*p != '/' || strlen(p) >= sizeof u->path) {
            snprintf(err, errlen, "--redis %.100s: unix:/PATH/TO/redis.sock", url);
            return PN_EINVAL;
        }
        snprintf(u->path, sizeof u->path, "%s", p);
        return 0;
    }
    if (strncmp(url, "redis://", 8) != 0) {
        snprintf(err, errlen,
                 "--redis %.100s: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or unix:PATH", url);
        return PN_EINVAL;
    }
    p = url + 8;
    const char *at = strchr(p, '@'), *slash = strchr(p, '/');
    if (at && (!slash || at < slash)) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        const char *pw = colon ? colon + 1 : p;
        size_t ulen = colon ? (size_t)(colon - p) : 0, plen = (size_t)(at - pw);
        if (ulen >= sizeof u->user || plen >= sizeof u->pass || !plen) {
            snprintf(err, errlen, "--redis: a user or password too long, or no password");
            return PN_EINVAL;
        }
        memcpy(u->user, p, ulen);
        memcpy(u->pass, pw, plen);
        p = at + 1;
    }
    const char *end = p + strcspn(p, "/"), *port = NULL;
    if (*p == '[') { /* [::1]:6379 */
        const char *close = memchr(p, ']', (size_t)(end - p));
        if (!close || close == p + 1 || (size_t)(close - p - 1) >= sizeof u->host)
            goto bad;
        memcpy(u->host, p + 1, (size_t)(close - p - 1));
        if (close + 1 < end) {
            if (close[1] != ':')
                goto bad;
            port = close + 2;
        }
    } else {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        const char *hend = colon ? colon : end;
        if (hend == p || (size_t)(hend - p) >= sizeof u->host)
            goto bad;
        memcpy(u->host, p, (size_t)(hend - p));
        if (colon)
            port = colon + 1;
    }
    if (port) {
        char *e;
        long n = strtol(port, &e, 10);
        if (port == end || e != end || n < 1 || n > 65535)
            goto bad;
        u->port = (int)n;
    }
    if (*end == '/' && end[1]) {
        char *e;
        long n = strtol(end + 1, &e, 10);
        if (*e || n < 0 || n > 1000000)
            goto bad;
        u->db = (int)n;
    }
    return 0;
bad:
    snprintf(err, errlen, "--redis %.100s: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]", url);
    return PN_EINVAL;
}

/* ---- publishing threads: the feeds' mirror ---- */

static void msg_free_list(struct msg *m)
{
    for (struct msg *next; m; m = next)
        next = m->next, free(m);
}

static bool is_series(const struct link *l)
{
    return l->cap != 0;
}

/* Under B.mu: l is in the work list. */
static void list_work(struct link *l)
{
    if (!l->listed) {
        l->listed = true;
        l->work_next = B.work;
        B.work = l;
    }
}

/* Under B.mu: a series' queue kept to its rollover's points (the oldest go; the window only
 * ever shows the last ones). */
static void out_trim(struct link *l)
{
    while (l->out && l->out->next && l->out_points - l->out->points >= l->cap) {
        struct msg *m = l->out;
        l->out = m->next;
        l->out_points -= m->points;
        free(m);
    }
}

static bool mirror_publish(pn_feed *f, void *link, const void *update, size_t len)
{
    (void)f;
    struct link *l = link;
    pthread_mutex_lock(&B.mu);
    if (!B.running || !l) {
        pthread_mutex_unlock(&B.mu);
        return false; /* shown here, as an unshared feed's */
    }
    struct msg *m = pn__xmalloc(sizeof *m + len);
    *m = (struct msg){.l = l, .len = len};
    memcpy(m->data, update, len);
    if (is_series(l)) {
        uint32_t n;
        memcpy(&n, update, 4);
        m->points = n;
    } else { /* a value: only the latest matters */
        msg_free_list(l->out);
        l->out = NULL;
        l->out_tail = &l->out;
    }
    *l->out_tail = m;
    l->out_tail = &m->next;
    l->out_points += m->points;
    if (is_series(l))
        out_trim(l);
    list_work(l);
    uv_async_send(&B.wake); /* under B.mu: the handle is closed only after B.running is off */
    pthread_mutex_unlock(&B.mu);
    return true;
}

static struct link *link_new(pn_feed *f)
{
    struct link *l = pn__xcalloc(1, sizeof *l);
    const char *name = pn__feed_name(f);
    size_t n = strlen(name) + 32;
    l->f = f;
    l->state = pn__xmalloc(n);
    l->chunks = pn__xmalloc(n);
    l->channel = pn__xmalloc(n);
    l->type = pn__xmalloc(32);
    snprintf(l->state, n, "pane:{%s}:state", name);
    snprintf(l->chunks, n, "pane:{%s}:chunks", name);
    snprintf(l->channel, n, "pane:{%s}", name);
    int t = pn__feed_type(f);
    if (t == PN_FEED_SERIES) {
        l->cap = pn__feed_cap(f);
        snprintf(l->type, 32, "series/%d", pn__feed_nseries(f));
    } else {
        snprintf(l->type, 32, "%s", t == PN_FEED_NUMBER ? "number" : "text");
    }
    l->out_tail = &l->out;
    l->held_tail = &l->held;
    return l;
}

static void *mirror_shared(pn_feed *f)
{
    pthread_mutex_lock(&B.mu);
    struct link *l = B.links;
    while (l && l->f != f)
        l = l->next;
    if (!l) {
        l = link_new(f);
        l->next = B.links;
        B.links = l;
        B.new_links = true;
    }
    if (B.running)
        uv_async_send(&B.wake);
    pthread_mutex_unlock(&B.mu);
    return l;
}

static const struct pn_feed_mirror MIRROR = {mirror_publish, mirror_shared};

/* ---- the bridge's thread ---- */

static uint64_t now_ms(void)
{
    return uv_now(&B.loop);
}

static void held_clear(struct link *l)
{
    for (struct held *h = l->held, *next; h; h = next)
        next = h->next, free(h);
    l->held = NULL;
    l->held_tail = &l->held;
    l->held_points = 0;
    l->held_overflow = false;
}

static void apply(struct link *l, const void *update, size_t len)
{
    if (pn__feed_apply(l->f, update, len) != 0 && !l->broken) {
        l->broken = true; /* another program's feed under the same name */
        pn__warn("redis: feed \"%s\": an update that is not a %s feed's (%zu bytes): ignored, "
                 "and this feed's later ones too",
                 pn__feed_name(l->f), l->type, len);
    }
}

static void go_down(const char *why);
static void state_read(struct link *l);
static void connect_now(uv_timer_t *t);
static void stop_bridge(bool threaded);

static void on_publish_reply(redisAsyncContext *ac, void *r, void *priv)
{
    (void)ac;
    redisReply *reply = r;
    struct msg *mine = priv;
    if (B.inflight == mine) { /* always the oldest: one connection answers in order */
        B.inflight = mine->next;
        if (!B.inflight)
            B.inflight_tail = &B.inflight;
    }
    mine->next = NULL;
    if (!reply) { /* the connection broke before the reply: shown here and sent again */
        *B.failed_tail = mine;
        B.failed_tail = &mine->next;
        return;
    }
    if (reply->type == REDIS_REPLY_ERROR && !mine->l->broken) {
        mine->l->broken = true;
        pn__warn("redis: feed \"%s\" is another type in Redis (%s): this process shows its "
                 "own publishes of it only",
                 pn__feed_name(mine->l->f), reply->str);
    }
    if (mine->l->broken)
        apply(mine->l, mine->data, mine->len);
    free(mine);
}

/* After a connection broke: the publishes that had no reply go back to the front of their
 * feed's queue (a value's only if nothing newer is queued), shown here if they were not. */
static void requeue_failed(void)
{
    struct msg *failed = B.failed;
    B.failed = NULL;
    B.failed_tail = &B.failed;
    for (struct msg *m = failed, *next; m; m = next) {
        next = m->next;
        if (!m->shown)
            apply(m->l, m->data, m->len);
        m->shown = true;
    }
    while (failed) { /* the first one's link: all of its, in order */
        struct link *l = failed->l;
        struct msg *mine = NULL, **mt = &mine, *rest = NULL, **rt = &rest;
        for (struct msg *m = failed, *next; m; m = next) {
            next = m->next;
            m->next = NULL;
            if (m->l == l)
                *mt = m, mt = &m->next;
            else
                *rt = m, rt = &m->next;
        }
        failed = rest;
        pthread_mutex_lock(&B.mu);
        if (!is_series(l) && l->out) {
            msg_free_list(mine); /* a newer value is queued */
        } else {
            for (struct msg *m = mine; m; m = m->next)
                l->out_points += m->points;
            *mt = l->out;
            l->out = mine;
            if (l->out_tail == &l->out)
                l->out_tail = mt;
            out_trim(l);
        }
        list_work(l);
        pthread_mutex_unlock(&B.mu);
    }
}

static void send_publish(struct msg *m)
{
    struct link *l = m->l;
    char keep[32];
    snprintf(keep, sizeof keep, "%zu", l->cap);
    const char *argv[] = {"EVAL",  PUBLISH_LUA,           "2", l->state, l->chunks, l->channel,
                          l->type, (const char *)m->data, keep};
    size_t lens[] = {4,
                     sizeof PUBLISH_LUA - 1,
                     1,
                     strlen(l->state),
                     strlen(l->chunks),
                     strlen(l->channel),
                     strlen(l->type),
                     m->len,
                     strlen(keep)};
    m->next = NULL;
    m->sent_ms = now_ms();
    if (redisAsyncCommandArgv(B.cmd, on_publish_reply, m, 9, argv, lens) != REDIS_OK) {
        *B.failed_tail = m; /* never sent: shown here and sent again, as a broken one's */
        B.failed_tail = &m->next;
        go_down("cannot send a command");
        return;
    }
    *B.inflight_tail = m; /* its reply comes after those of the ones before it */
    B.inflight_tail = &m->next;
}

/* The work list: send what was published (up), or show it here and keep it (down). */
static void drain(void)
{
    for (;;) {
        /* one link at a time off the list, under B.mu: a publisher may list it again */
        pthread_mutex_lock(&B.mu);
        struct link *l = B.work;
        if (l) {
            B.work = l->work_next;
            l->listed = false;
        }
        pthread_mutex_unlock(&B.mu);
        if (!l)
            break;
        bool send = B.state == UP && l->subscribed && !l->broken;
        struct msg *todo = NULL, **tt = &todo;
        pthread_mutex_lock(&B.mu);
        if (send) { /* all of it goes */
            todo = l->out;
            l->out = NULL;
            l->out_tail = &l->out;
            l->out_points = 0;
        } else { /* copies of the new ones, to show; the queue waits for Redis */
            for (struct msg *m = l->out; m; m = m->next)
                if (!m->shown) {
                    m->shown = true;
                    struct msg *c = pn__xmalloc(sizeof *c + m->len);
                    memcpy(c, m, sizeof *c + m->len);
                    c->next = NULL;
                    *tt = c, tt = &c->next;
                }
            if (l->broken) { /* never sent */
                msg_free_list(l->out);
                l->out = NULL;
                l->out_tail = &l->out;
                l->out_points = 0;
            }
        }
        pthread_mutex_unlock(&B.mu);
        for (struct msg *m = todo, *mnext; m; m = mnext) {
            mnext = m->next;
            if (!send) {
                apply(l, m->data, m->len);
                free(m);
            } else if (B.state == UP) {
                send_publish(m);
            } else { /* went down while sending: back to the queue */
                m->next = NULL;
                *B.failed_tail = m;
                B.failed_tail = &m->next;
            }
        }
        if (send && B.state != UP)
            requeue_failed();
    }
}

/* ---- what comes from Redis ---- */

bool pn__redis_parse_message(const char *s, size_t len, uint64_t *version, const char **update,
                             size_t *ulen)
{
    const char *colon = memchr(s, ':', len < 21 ? len : 21); /* at most 20 digits */
    if (!colon || colon == s)
        return false;
    uint64_t v = 0;
    for (const char *p = s; p < colon; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *version = v;
    *update = colon + 1;
    *ulen = len - (size_t)(colon + 1 - s);
    return true;
}

static void hold(struct link *l, uint64_t v, const char *u, size_t len)
{
    if (!is_series(l)) { /* a value: the newest only */
        if (l->held && l->held->version >= v)
            return;
        held_clear(l);
    }
    size_t points = 0;
    if (is_series(l) && len >= 4) {
        uint32_t n;
        memcpy(&n, u, 4);
        points = n;
    }
    if (l->held_points + points > 4 * l->cap + 4096) { /* read the state again after */
        l->held_overflow = true;
        return;
    }
    struct held *h = pn__xmalloc(sizeof *h + len);
    h->next = NULL;
    h->version = v;
    h->len = len;
    memcpy(h->data, u, len);
    *l->held_tail = h;
    l->held_tail = &h->next;
    l->held_points += points;
}

static void take(struct link *l, uint64_t v, const void *u, size_t len)
{
    if (l->broken)
        return;
    if (l->syncing) {
        hold(l, v, u, len);
    } else if (v <= l->seen) {
        /* shown already (with the state) */
    } else if (!is_series(l) || v == l->seen + 1) {
        l->seen = v;
        apply(l, u, len);
    } else { /* a series' chunk lost: the state again */
        state_read(l);
        hold(l, v, u, len);
    }
}

static void on_state(redisAsyncContext *ac, void *r, void *priv)
{
    (void)ac;
    redisReply *reply = r;
    struct link *l = priv;
    if (!reply)
        return; /* down: read again when up */
    l->syncing = false;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 4 ||
        reply->element[0]->type != REDIS_REPLY_STRING ||
        reply->element[3]->type != REDIS_REPLY_ARRAY) {
        pn__warn("redis: feed \"%s\": an unexpected reply to reading its state",
                 pn__feed_name(l->f));
        held_clear(l);
        return;
    }
    uint64_t v = strtoull(reply->element[0]->str, NULL, 10);
    const redisReply *t = reply->element[1], *val = reply->element[2], *chunks = reply->element[3];
    if (t->type == REDIS_REPLY_STRING && t->len && strcmp(t->str, l->type) != 0) {
        l->broken = true;
        pn__warn("redis: feed \"%s\" is a %s feed in Redis, a %s feed here: this process "
                 "shows its own publishes of it only",
                 pn__feed_name(l->f), t->str, l->type);
        held_clear(l);
        return;
    }
    if (is_series(l)) {
        pn__feed_reset(l->f);
        for (size_t i = 0; i < chunks->elements; i++)
            if (chunks->element[i]->type == REDIS_REPLY_STRING)
                apply(l, chunks->element[i]->str, chunks->element[i]->len);
        l->seen = v;
    } else if (v > l->seen && val->type == REDIS_REPLY_STRING && val->len) {
        apply(l, val->str, val->len);
        l->seen = v;
    } else if (v > l->seen) {
        l->seen = v;
    }
    bool again = l->held_overflow;
    struct held *h = l->held;
    l->held = NULL;
    l->held_tail = &l->held;
    l->held_points = 0;
    l->held_overflow = false;
    for (struct held *next; h; h = next) {
        next = h->next;
        if (!again)
            take(l, h->version, h->data, h->len);
        free(h);
    }
    if (again)
        state_read(l);
}

static void state_read(struct link *l)
{
    if (l->syncing || B.state != UP)
        return;
    const char *argv[] = {"EVAL", STATE_LUA, "2", l->state, l->chunks};
    size_t lens[] = {4, sizeof STATE_LUA - 1, 1, strlen(l->state), strlen(l->chunks)};
    l->syncing = true;
    if (redisAsyncCommandArgv(B.cmd, on_state, l, 5, argv, lens) != REDIS_OK)
        go_down("cannot send a command");
}

/* The subscription's callback: its confirmation, then each message on the channel. */
static void on_channel(redisAsyncContext *ac, void *r, void *priv)
{
    (void)ac;
    redisReply *reply = r;
    struct link *l = priv;
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
        reply->element[0]->type != REDIS_REPLY_STRING)
        return;
    const char *kind = reply->element[0]->str;
    if (strcmp(kind, "subscribe") == 0) {
        l->subscribed = true;
        pthread_mutex_lock(&B.mu);
        list_work(l);
        pthread_mutex_unlock(&B.mu);
        drain();       /* the publishes queued while down go first, */
        state_read(l); /* so the state read after them has them */
        return;
    }
    const redisReply *payload = reply->element[2];
    uint64_t v;
    const char *u;
    size_t len;
    if (strcmp(kind, "message") != 0 || payload->type != REDIS_REPLY_STRING ||
        !pn__redis_parse_message(payload->str, payload->len, &v, &u, &len))
        return;
    take(l, v, u, len);
}

/* ---- the connections ---- */

static void subscribe_all(void)
{
    pthread_mutex_lock(&B.mu);
    struct link *links = B.links;
    B.new_links = false;
    pthread_mutex_unlock(&B.mu);
    for (struct link *l = links; l && B.state == UP; l = l->next) {
        if (l->subscribed || l->broken)
            continue;
        const char *argv[] = {"SUBSCRIBE", l->channel};
        size_t lens[] = {9, strlen(l->channel)};
        if (redisAsyncCommandArgv(B.sub, on_channel, l, 2, argv, lens) != REDIS_OK)
            go_down("cannot subscribe");
    }
}

static void schedule_retry(void)
{
    unsigned d = B.backoff_ms ? B.backoff_ms : BACKOFF_MIN_MS;
    B.backoff_ms = d * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : d * 2;
    d = d / 2 + (unsigned)((uint64_t)rand_r(&B.seed) % (d / 2 + 1)); /* jittered: a fleet does
                                                                          not come back at once */
    uv_timer_start(&B.retry, connect_now, d, 0);
}

static void go_down(const char *why)
{
    if (B.state == DOWN)
        return;
    bool was_up = B.state == UP;
    B.state = DOWN;
    B.state_since = now_ms();
    redisAsyncContext *cmd = B.cmd, *sub = B.sub;
    B.cmd = B.sub = NULL;
    B.connected = 0;
    if (cmd) /* its callbacks run now, with no reply */
        redisAsyncFree(cmd);
    if (sub)
        redisAsyncFree(sub);
    /* what was in flight and had no reply is in B.failed; anything else cannot be */
    B.inflight = NULL;
    B.inflight_tail = &B.inflight;
    pthread_mutex_lock(&B.mu);
    struct link *links = B.links;
    pthread_mutex_unlock(&B.mu);
    for (struct link *l = links; l; l = l->next) {
        l->subscribed = l->syncing = false;
        l->seen = 0; /* the Redis that comes back may be another (restarted, versions anew):
                        its state is shown whatever its version */
        held_clear(l);
    }
    requeue_failed();
    if (!B.logged_down && !B.stopping_now) {
        B.logged_down = true;
        if (was_up)
            pn__warn("redis: lost the connection to %s (%s); sessions keep the feeds' last "
                     "values, this process's publishes are shown here and sent when it is back; "
                     "connecting again",
                     B.url_shown, why);
        else
            pn__warn("redis: cannot reach %s (%s); shared feeds show this process's publishes "
                     "only until it can; trying again",
                     B.url_shown, why);
    }
    if (!B.stopping_now)
        schedule_retry();
}

static void on_disconnect(const redisAsyncContext *ac, int status);
static void on_connect(const redisAsyncContext *ac, int status);

static void on_setup_reply(redisAsyncContext *ac, void *r, void *priv)
{
    redisReply *reply = r;
    if (reply && reply->type == REDIS_REPLY_ERROR) {
        char why[200];
        snprintf(why, sizeof why, "%s: %.150s", (const char *)priv, reply->str);
        if (ac == B.cmd || ac == B.sub)
            go_down(why);
    }
}

static redisAsyncContext *open_one(char *why, size_t whylen)
{
    redisAsyncContext *ac =
        B.u.path[0] ? redisAsyncConnectUnix(B.u.path) : redisAsyncConnect(B.u.host, B.u.port);
    if (!ac) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    if (ac->err) {
        snprintf(why, whylen, "%s", ac->errstr);
        redisAsyncFree(ac);
        return NULL;
    }
    if (redisLibuvAttach(ac, &B.loop) != REDIS_OK) {
        snprintf(why, whylen, "cannot watch its socket");
        redisAsyncFree(ac);
        return NULL;
    }
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    if (B.u.pass[0]) {
        const char *argv[] = {"AUTH", B.u.user, B.u.pass};
        size_t lens[] = {4, strlen(B.u.user), strlen(B.u.pass)};
        int skip = B.u.user[0] ? 0 : 1; /* AUTH PASSWORD, or AUTH USER PASSWORD (Redis 6) */
        if (skip) {
            argv[1] = B.u.pass;
            lens[1] = lens[2];
        }
        redisAsyncCommandArgv(ac, on_setup_reply, "AUTH", 3 - skip, argv, lens);
    }
    if (B.u.db) {
        char db[16];
        snprintf(db, sizeof db, "%d", B.u.db);
        const char *argv[] = {"SELECT", db};
        size_t lens[] = {6, strlen(db)};
        redisAsyncCommandArgv(ac, on_setup_reply, "SELECT", 2, argv, lens);
    }
    return ac;
}

static void connect_now(uv_timer_t *t)
{
    (void)t;
    if (B.state != DOWN || B.stopping_now)
        return;
    char why[200] = "";
    B.state = CONNECTING;
    B.state_since = now_ms();
    B.connected = 0;
    B.cmd = open_one(why, sizeof why);
    if (B.cmd)
        B.sub = open_one(why, sizeof why);
    if (!B.cmd || !B.sub)
        go_down(why);
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    if (status != REDIS_OK) { /* hiredis frees it after this */
        if (ac == B.cmd)
            B.cmd = NULL;
        if (ac == B.sub)
            B.sub = NULL;
        go_down(ac->errstr[0] ? ac->errstr : "cannot connect");
        return;
    }
    redisEnableKeepAlive((redisContext *)&ac->c);
    if (++B.connected < 2 || B.state != CONNECTING)
        return;
    B.state = UP;
    B.state_since = now_ms();
    B.backoff_ms = 0;
    if (B.logged_down)
        pn__info("redis: connected to %s again", B.url_shown);
    else if (!B.ever_up)
        pn__info("redis: connected to %s", B.url_shown);
    B.logged_down = false;
    B.ever_up = true;
    requeue_failed();
    subscribe_all();
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    (void)status;
    if (ac == B.cmd)
        B.cmd = NULL;
    if (ac == B.sub)
        B.sub = NULL;
    go_down(ac->errstr[0] ? ac->errstr : "closed by the server");
}

static void on_watchdog(uv_timer_t *t)
{
    (void)t;
    uint64_t now = now_ms();
    if (B.state == CONNECTING && now - B.state_since > TIMEOUT_MS)
        go_down("no answer to connecting in 3 s");
    else if (B.state == UP && B.inflight && now - B.inflight->sent_ms > TIMEOUT_MS)
        go_down("no answer to a publish in 3 s");
}

static void on_handle_closed(uv_handle_t *h)
{
    (void)h;
}

static void on_wake(uv_async_t *a)
{
    (void)a;
    pthread_mutex_lock(&B.mu);
    bool stopping = B.stopping, fresh = B.new_links;
    pthread_mutex_unlock(&B.mu);
    if (stopping) {
        B.stopping_now = true;
        go_down("stopping");
        uv_close((uv_handle_t *)&B.wake, on_handle_closed);
        uv_close((uv_handle_t *)&B.retry, on_handle_closed);
        uv_close((uv_handle_t *)&B.watchdog, on_handle_closed);
        return;
    }
    if (fresh && B.state == UP)
        subscribe_all();
    drain();
}

static void bridge_main(void *arg)
{
    (void)arg;
    uv_run(&B.loop, UV_RUN_DEFAULT);
}

int pn__redis_start(const char *url, char *err, size_t errlen)
{
    struct pn_redis_url u;
    if (pn__redis_parse_url(url, &u, err, errlen) != 0)
        return PN_EINVAL;
    pthread_mutex_lock(&B.mu);
    if (B.refs) {
        int rc = strcmp(B.url, url) ? PN_EINVAL : 0;
        if (rc)
            snprintf(err, errlen, "--redis %.100s: this process uses %s already", url, B.url_shown);
        else
            B.refs++;
        pthread_mutex_unlock(&B.mu);
        return rc;
    }
    B.u = u;
    B.url = pn__xstrdup(url);
    if (u.path[0])
        snprintf(B.url_shown, sizeof B.url_shown, "unix:%s", u.path);
    else
        snprintf(B.url_shown, sizeof B.url_shown, "redis://%s%s%s:%d/%d",
                 strchr(u.host, ':') ? "[" : "", u.host, strchr(u.host, ':') ? "]" : "", u.port,
                 u.db);
    B.seed = (unsigned)getpid() ^ (unsigned)uv_hrtime();
    B.state = DOWN;
    B.backoff_ms = 0;
    B.logged_down = B.ever_up = B.stopping = B.stopping_now = false;
    B.inflight_tail = &B.inflight;
    B.failed_tail = &B.failed;
    int rc = uv_loop_init(&B.loop);
    if (rc != 0) {
        free(B.url);
        B.url = NULL;
        pthread_mutex_unlock(&B.mu);
        snprintf(err, errlen, "redis: cannot make its loop: %s", uv_strerror(rc));
        return PN_EINVAL;
    }
    uv_async_init(&B.loop, &B.wake, on_wake);
    uv_timer_init(&B.loop, &B.retry);
    uv_timer_init(&B.loop, &B.watchdog);
    uv_timer_start(&B.watchdog, on_watchdog, 500, 500);
    uv_timer_start(&B.retry, connect_now, 0, 0);
    B.running = true;
    B.refs = 1;
    pthread_mutex_unlock(&B.mu);
    pn__feed_set_mirror(&MIRROR); /* links for the feeds shared so far */
    if ((rc = uv_thread_create(&B.thread, bridge_main, NULL)) != 0) {
        snprintf(err, errlen, "redis: cannot start its thread: %s", uv_strerror(rc));
        pthread_mutex_lock(&B.mu);
        B.refs = 1;
        pthread_mutex_unlock(&B.mu);
        stop_bridge(false);
        return PN_EINVAL;
    }
    return 0;
}

/* The last user's stop; threaded: the bridge's thread runs (else its loop is run here to
 * close what start made). */
static void stop_bridge(bool threaded)
{
    pthread_mutex_lock(&B.mu);
    if (B.refs == 0 || --B.refs > 0) {
        pthread_mutex_unlock(&B.mu);
        return;
    }
    B.running = false; /* publishes are shown here from now on */
    B.stopping = true;
    uv_async_send(&B.wake);
    pthread_mutex_unlock(&B.mu);
    pn__feed_set_mirror(NULL);
    if (threaded)
        uv_thread_join(&B.thread);
    else
        uv_run(&B.loop, UV_RUN_DEFAULT);
    uv_loop_close(&B.loop);
    /* what was never sent is shown here: the feeds end with this process's last publishes */
    pthread_mutex_lock(&B.mu);
    struct link *links = B.links;
    B.links = NULL;
    B.work = NULL;
    pthread_mutex_unlock(&B.mu);
    requeue_failed();
    for (struct link *l = links, *next; l; l = next) {
        next = l->next;
        for (struct msg *m = l->out; m; m = m->next)
            if (!m->shown)
                apply(l, m->data, m->len);
        msg_free_list(l->out);
        held_clear(l);
        free(l->state);
        free(l->chunks);
        free(l->channel);
        free(l->type);
        free(l);
    }
    free(B.url);
    B.url = NULL;
}

void pn__redis_stop(void)
{
    stop_bridge(true);
}
