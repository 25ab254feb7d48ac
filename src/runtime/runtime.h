/*
 * runtime: a process's servers, one per loop (--num-threads), and the threads that run them:
 * what `pane serve`'s worker and an embedding program both drive. It loads the apps it is
 * given, starts a server on each loop (on the listening sockets given, or binding its own),
 * links them (sockets move to their session's loop), fills their caches (--warm), runs loops
 * 1..n-1 on threads of their own and loop 0 on the caller's thread (pn__runtime_run) or on one
 * more thread (pn__runtime_run_in_background), and stops them all gracefully from any thread.
 */
#ifndef PN_RUNTIME_H
#define PN_RUNTIME_H

#include "app/app.h"
#include "server/server.h"

#define PN_MAX_LOOPS 64

struct pn_runtime_opts {
    struct pn_server_opts server; /* apps and napps: compiled or built in, not yet opened */
    int nloops;                   /* 1..PN_MAX_LOOPS */
    const int *listen_fds;        /* one listening socket per loop (taken), or NULL: each
                                     server binds server.address:port (SO_REUSEPORT) itself */
    bool warm;                    /* --warm: every app's page into every loop's cache */
    const char *const *warm_urls; /* --warm-url, nwarm of them */
    int nwarm;
    const char *redis; /* --redis: shared feeds through this Redis (runtime/redis.h) */
};

struct pn_runtime;

/* Loads the apps, starts the servers and fills their caches; nothing runs yet. 0, or an error
 * with a message (everything started is undone). */
int pn__runtime_start(const struct pn_runtime_opts *o, struct pn_runtime **out, char *err,
                      size_t errlen);
/* Runs loops 1..n-1 on threads of their own and loop 0 on this thread until every loop has
 * stopped (pn__runtime_stop). */
void pn__runtime_run(struct pn_runtime *rt);
/* The same with loop 0 on a thread too: returns at once. */
int pn__runtime_run_in_background(struct pn_runtime *rt);
/* Asks for a graceful stop (no more accepting, the requests under way finish, WebSockets get
 * 1001). Thread: any, also a signal handler's loop callback. */
void pn__runtime_stop(struct pn_runtime *rt);
/* After the loops have stopped (pn__runtime_run returned, or pn__runtime_wait): joins the
 * threads, closes the loops, frees the feeds, unloads the apps, frees rt. */
void pn__runtime_wait(struct pn_runtime *rt);
void pn__runtime_free(struct pn_runtime *rt);
/* Loop 0's libuv loop (a worker adds its signal handler to it) and the first server's port. */
uv_loop_t *pn__runtime_loop(struct pn_runtime *rt);
int pn__runtime_port(const struct pn_runtime *rt);

#endif
