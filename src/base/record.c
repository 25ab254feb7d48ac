/*
 * record: the shared memory a supervisor reads its workers' notes and counters from (record.h).
 */
#include "base/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "base/base.h"

struct pn_record_slot {
    _Atomic pid_t pid; /* 0: free */
    _Atomic int worker;
};

struct pn_record {
    int nslots, nloops;
    size_t size;
    _Atomic uint64_t restarts; /* workers that died and were started again */
    /* the counters of workers that are gone (their gauges zeroed), so that totals over the
     * workers never go down when one is replaced: written by the supervisor alone */
    _Atomic uint32_t retired_seq;
    struct pn_loop_stats retired;
    /* --dev: the compile error every page shows ("" when the last compile was good), written
     * by the supervisor; dev_seq counts its writes (odd while one is under way) */
    _Atomic uint32_t dev_seq;
    char dev_error[PN_DEV_ERROR_MAX];
    /* then nslots struct pn_record_slot, then nslots * nloops struct pn_record_line */
};

static void write_begin(_Atomic uint32_t *seq);
static void write_end(_Atomic uint32_t *seq);
static bool read_guarded(_Atomic uint32_t *seq, void *out, const void *body, size_t n);

static size_t align64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

static struct pn_record_slot *slots_of(const struct pn_record *r)
{
    return (struct pn_record_slot *)((char *)r + align64(sizeof *r));
}

static struct pn_record_line *lines_of(const struct pn_record *r)
{
    return (struct pn_record_line *)((char *)slots_of(r) +
                                     align64((size_t)r->nslots * sizeof(struct pn_record_slot)));
}

struct pn_record *pn__record_new(int nslots, int nloops)
{
    size_t size = align64(sizeof(struct pn_record)) +
                  align64((size_t)nslots * sizeof(struct pn_record_slot)) +
                  (size_t)nslots * (size_t)nloops * sizeof(struct pn_record_line);
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    struct pn_record *r = p; /* zero-filled by the kernel */
    r->nslots = nslots;
    r->nloops = nloops;
    r->size = size;
    return r;
}

int pn__record_slots(const struct pn_record *r)
{
    return r->nslots;
}

int pn__record_loops(const struct pn_record *r)
{
    return r->nloops;
}

struct pn_record_line *pn__record_line(struct pn_record *r, int slot, int loop)
{
    return &lines_of(r)[(size_t)slot * (size_t)r->nloops + (size_t)loop];
}

void pn__record_claim(struct pn_record *r, int slot, pid_t pid, int worker)
{
    atomic_store(&slots_of(r)[slot].worker, worker);
    atomic_store(&slots_of(r)[slot].pid, pid);
}

void pn__stats_add(struct pn_loop_stats *sum, const struct pn_loop_stats *st)
{
    uint64_t *a = (uint64_t *)sum;
    const uint64_t *b = (const uint64_t *)st;
    for (size_t i = 0; i < sizeof *sum / sizeof(uint64_t); i++)
        a[i] += b[i];
    sum->cache_enabled = sum->cache_enabled || st->cache_enabled; /* a flag, not a count */
}

void pn__record_retired(struct pn_record *r, struct pn_loop_stats *out)
{
    read_guarded(&r->retired_seq, out, &r->retired, sizeof *out);
}

void pn__record_release(struct pn_record *r, int slot)
{
    struct pn_loop_stats sum = r->retired, st;
    for (int l = 0; l < r->nloops; l++) {
        struct pn_record_line *line = pn__record_line(r, slot, l);
        if (!atomic_load(&line->used))
            continue;
        pn__stats_read(line, &st);
        /* what was true of the worker, not a count of what it did: gone with it */
        st.cache_enabled = st.entries = st.bytes = st.max_entries = st.max_bytes = 0;
        st.live = st.sockets = st.unused = st.max_unused = 0;
        pn__stats_add(&sum, &st);
    }
    write_begin(&r->retired_seq);
    r->retired = sum;
    write_end(&r->retired_seq);
    atomic_store(&slots_of(r)[slot].pid, 0);
    /* its writer is gone: the lines start clean for the next one */
    memset(pn__record_line(r, slot, 0), 0, (size_t)r->nloops * sizeof(struct pn_record_line));
}

void pn__record_restarted(struct pn_record *r)
{
    atomic_fetch_add(&r->restarts, 1);
}

uint64_t pn__record_restarts(const struct pn_record *r)
{
    return atomic_load(&((struct pn_record *)r)->restarts);
}

pid_t pn__record_pid(const struct pn_record *r, int slot, int *worker)
{
    if (worker)
        *worker = atomic_load(&slots_of(r)[slot].worker);
    return atomic_load(&slots_of(r)[slot].pid);
}

/* ---- this process's slot, this thread's line ---- */

static struct pn_record *rec;
static int rec_slot;
static _Thread_local struct pn_record_line own; /* no record, or a thread without a loop */
static _Thread_local struct pn_record_line *line;
static _Thread_local int depth;

void pn__record_use(struct pn_record *r, int slot)
{
    rec = r;
    rec_slot = slot;
}

struct pn_record *pn__record_current(int *slot)
{
    if (slot)
        *slot = rec_slot;
    return rec;
}

void pn__record_bind_thread(int loop)
{
    if (rec && loop >= 0 && loop < rec->nloops) {
        line = pn__record_line(rec, rec_slot, loop);
        atomic_store(&line->used, 1);
    } else {
        line = &own;
    }
}

uint64_t pn__mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The seqlock's writer: odd while the body changes. */
static void write_begin(_Atomic uint32_t *seq)
{
    uint32_t s = atomic_load_explicit(seq, memory_order_relaxed);
    atomic_store_explicit(seq, s + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
}

static void write_end(_Atomic uint32_t *seq)
{
    uint32_t s = atomic_load_explicit(seq, memory_order_relaxed);
    atomic_store_explicit(seq, s + 1, memory_order_release);
}

/* Copies n bytes guarded by seq; false if no try saw them whole. */
static bool read_guarded(_Atomic uint32_t *seq, void *out, const void *body, size_t n)
{
    for (int tries = 0; tries < 100; tries++) {
        uint32_t a = atomic_load_explicit(seq, memory_order_acquire);
        memcpy(out, body, n);
        atomic_thread_fence(memory_order_acquire);
        uint32_t b = atomic_load_explicit(seq, memory_order_relaxed);
        if (a == b && !(a & 1))
            return true;
    }
    return false;
}

void pn__entry_enter(enum pn_entry kind, const char *app, uint32_t node, const char *what_fmt, ...)
{
    if (depth++ > 0)
        return;
    struct pn_record_line *l = line ? line : &own;
    write_begin(&l->note_seq);
    l->note.kind = kind;
    l->note.node = node;
    snprintf(l->note.app, sizeof l->note.app, "%s", app ? app : "?");
    va_list ap;
    va_start(ap, what_fmt);
    vsnprintf(l->note.what, sizeof l->note.what, what_fmt, ap);
    va_end(ap);
    l->note.since_ns = pn__mono_ns();
    write_end(&l->note_seq);
}

void pn__entry_leave(void)
{
    if (depth == 0 || --depth > 0)
        return;
    struct pn_record_line *l = line ? line : &own;
    uint64_t ms = (pn__mono_ns() - l->note.since_ns) / 1000000u;
    if (ms > PN_STALL_MS) {
        char what[300];
        pn__note_describe(&l->note, what, sizeof what);
        pn__warn("app %s: %s blocked its loop for %llu ms", l->note.app, what,
                 (unsigned long long)ms);
    }
    write_begin(&l->note_seq);
    l->note.kind = PN_ENTRY_NONE;
    write_end(&l->note_seq);
}

bool pn__note_read(struct pn_record_line *l, struct pn_note *out)
{
    bool whole = read_guarded(&l->note_seq, out, &l->note, sizeof *out);
    out->app[sizeof out->app - 1] = '\0';
    out->what[sizeof out->what - 1] = '\0';
    return whole;
}

void pn__note_describe(const struct pn_note *n, char *out, size_t outlen)
{
    switch (n->kind) {
    case PN_ENTRY_APP: /* for a page's request, or (a socket's hello) in a session */
        snprintf(out, outlen, strncmp(n->what, "request", 7) ? "pn_app (%s)" : "pn_app for %s",
                 n->what);
        break;
    case PN_ENTRY_KEY:
        snprintf(out, outlen, "pn_session_key for %s", n->what);
        break;
    case PN_ENTRY_CALLBACK:
        snprintf(out, outlen, "callback of node %u (%s)", (unsigned)n->node, n->what);
        break;
    case PN_ENTRY_TIMER:
        snprintf(out, outlen, "a timer (%s)", n->what);
        break;
    case PN_ENTRY_POST:
        snprintf(out, outlen, "a posted function (%s)", n->what);
        break;
    case PN_ENTRY_DESTROY:
        snprintf(out, outlen, "a destroy hook (%s)", n->what);
        break;
    case PN_ENTRY_CELL:
        snprintf(out, outlen, "the cell function of Table node %u (%s)", (unsigned)n->node,
                 n->what);
        break;
    default:
        snprintf(out, outlen, "nothing");
    }
}

void pn__stats_publish(struct pn_record_line *l, const struct pn_loop_stats *st)
{
    write_begin(&l->stats_seq);
    l->stats = *st;
    write_end(&l->stats_seq);
}

void pn__stats_read(struct pn_record_line *l, struct pn_loop_stats *out)
{
    read_guarded(&l->stats_seq, out, &l->stats, sizeof *out);
}

void pn__record_dev_set(struct pn_record *r, const char *text)
{
    write_begin(&r->dev_seq);
    snprintf(r->dev_error, sizeof r->dev_error, "%s", text ? text : "");
    write_end(&r->dev_seq);
}

bool pn__record_dev_get(struct pn_record *r, uint32_t *seen, char *out, size_t outlen)
{
    uint32_t now = atomic_load_explicit(&r->dev_seq, memory_order_acquire);
    if (now == *seen || (now & 1))
        return false;
    char *copy = pn__xmalloc(sizeof r->dev_error);
    if (!read_guarded(&r->dev_seq, copy, r->dev_error, sizeof r->dev_error)) {
        free(copy);
        return false;
    }
    copy[sizeof r->dev_error - 1] = '\0';
    snprintf(out, outlen, "%s", copy);
    free(copy);
    *seen = now;
    return true;
}
