/*
 * record: what each worker process is doing, in memory its supervisor can read after the worker
 * has died (or while it hangs). The supervisor maps it shared before it forks the workers; each
 * worker owns one slot, each of its loops one line in that slot:
 *   - a note of the app code the loop is running (pn_app, a callback of node N, a timer, the key
 *     function, a destroy hook), of which app, for which request line or session, and since when:
 *     written before entering app code and cleared after it (pn__entry_enter/leave). A worker
 *     killed by a signal is reported with the note it left; a note that stays longer than
 *     PN_STALL_MS is reported by the supervisor's watchdog while the loop is still stuck.
 *   - the loop's counters (page cache, sessions), published after every loop iteration, so that
 *     /_pane/stats on any worker can add up every loop of every worker.
 * Without a record (tests, a single process) the notes go to a per-thread line nobody reads.
 * Each line has one writer (its loop's thread); readers copy it and check its sequence number
 * (a seqlock), so no lock is ever taken on the way into app code.
 */
#ifndef PN_RECORD_H
#define PN_RECORD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/base.h"

#define PN_STALL_MS 500 /* app code that holds its loop longer than this is logged */

enum pn_entry {
    PN_ENTRY_NONE,
    PN_ENTRY_APP,      /* pn_app */
    PN_ENTRY_KEY,      /* pn_session_key */
    PN_ENTRY_CALLBACK, /* a widget's callback */
    PN_ENTRY_TIMER,    /* a pn_every / pn_timeout function */
    PN_ENTRY_DESTROY,  /* a pn_on_session_destroyed hook */
    PN_ENTRY_POST,     /* a function posted to a session (pn_post, pn_post_app) */
    PN_ENTRY_CELL,     /* a Table's cell function (node: the Table's id) */
};

struct pn_note {
    uint32_t kind; /* enum pn_entry; NONE: not in app code */
    uint32_t node; /* PN_ENTRY_CALLBACK: the node's id */
    uint64_t since_ns; /* uv_hrtime-like monotonic clock (CLOCK_MONOTONIC) */
    char app[64];
    char what[200]; /* `request "GET /x?y"` or `session 0123…` */
};

/* The counters of one loop, as /_pane/stats shows them. */
struct pn_loop_stats {
    uint64_t cache_enabled, hits, misses, bypasses, inserts, evictions, too_big, entries, bytes,
        max_entries, max_bytes;
    uint64_t live, sockets, unused, max_unused, created, destroyed, resumed, dropped;
    uint64_t feed_encodings; /* the process's (on its loop 0's line only): value feed encodings */
    uint64_t feed_sent;      /* value feed patches written */
    uint64_t feed_delay[PN_HIST_BUCKETS]; /* their delay from the publish to the write, µs */
    struct pn_http_counts http;           /* what the loop's server answered */
};

struct pn_record_line {
    _Atomic uint32_t note_seq; /* odd while the note is written */
    struct pn_note note;
    _Atomic uint32_t stats_seq;
    struct pn_loop_stats stats;
    _Atomic uint32_t used; /* the loop exists */
};

struct pn_record;

/* Maps a record of nslots slots of nloops lines each, shared with the processes forked after
 * it. NULL if it cannot be mapped (the caller goes on without one). */
struct pn_record *pn__record_new(int nslots, int nloops);
int pn__record_slots(const struct pn_record *r);
int pn__record_loops(const struct pn_record *r);
/* Slot bookkeeping, done by the supervisor: who (pid, worker number) holds slot i; 0: free.
 * A slot is released once its worker has been reaped, which clears its lines (so a slot is
 * clean before the next worker that gets it starts writing). */
void pn__record_claim(struct pn_record *r, int slot, pid_t pid, int worker);
void pn__record_release(struct pn_record *r, int slot);
pid_t pn__record_pid(const struct pn_record *r, int slot, int *worker);
/* Adds st's counts to sum's, field by field. */
void pn__stats_add(struct pn_loop_stats *sum, const struct pn_loop_stats *st);
/* The counters of the workers released so far (pn__record_release adds a worker's last
 * published counts, gauges left out): totals that include them never go down. */
void pn__record_retired(struct pn_record *r, struct pn_loop_stats *out);
/* Workers restarted after they died (the supervisor counts, /metrics reads). */
void pn__record_restarted(struct pn_record *r);
uint64_t pn__record_restarts(const struct pn_record *r);
struct pn_record_line *pn__record_line(struct pn_record *r, int slot, int loop);
/* --dev: the supervisor says what every page shows of the last compile (its messages after a
 * failure, "" after a good one); a loop asks whether it changed since *seen (then out gets it,
 * NUL-terminated, and *seen the new count). */
#define PN_DEV_ERROR_MAX 32768
void pn__record_dev_set(struct pn_record *r, const char *text);
bool pn__record_dev_get(struct pn_record *r, uint32_t *seen, char *out, size_t outlen);

/* In a worker: the slot this process writes (before its loops start), and, in each loop's
 * thread, which of its lines that thread writes. */
void pn__record_use(struct pn_record *r, int slot);
struct pn_record *pn__record_current(int *slot);
void pn__record_bind_thread(int loop);

/* Notes (thread: the loop's). Nested entries keep the outermost note. what_fmt is printf-style:
 * `request "GET /x"` or `session 0123abcd…`. */
void pn__entry_enter(enum pn_entry kind, const char *app, uint32_t node, const char *what_fmt,
                     ...) __attribute__((format(printf, 4, 5)));
void pn__entry_leave(void);
/* A copy of a line's note (false when it could not be read whole after a few tries: a writer
 * died half-way; *out then holds what was there). */
bool pn__note_read(struct pn_record_line *l, struct pn_note *out);
/* "callback of node 7 (session 0123…)" for a log line. */
void pn__note_describe(const struct pn_note *n, char *out, size_t outlen);

/* Counters (thread: the loop's for publish, any for read). */
void pn__stats_publish(struct pn_record_line *l, const struct pn_loop_stats *st);
void pn__stats_read(struct pn_record_line *l, struct pn_loop_stats *out);

uint64_t pn__mono_ns(void);

#endif
