/*
 * app: turns `app.c` into a loaded app. The source is compiled with $CC (else cc) into a
 * shared object cached under $XDG_CACHE_HOME/pane by a hash of the source, the compiler, the
 * flags and pane's own header, then dlopened; its pn_* calls resolve against the pane binary.
 * A prebuilt .so is loaded as it is.
 */
#ifndef PN_APP_H
#define PN_APP_H

#include "base/base.h"

struct pn_app {
    char *name;    /* "weather": the file name without its extension */
    char *source;  /* the path given */
    char *so_path; /* the shared object loaded */
    void *dl;
    int fd; /* 1 + the descriptor of the cached object while it is loaded; 0: none */
    void (*build)(pn_session *s);                   /* pn_app */
    void (*key)(const pn_request *r, pn_key *k);    /* pn_session_key, or NULL */
    void (*init)(pn_app_ctx *ctx);                  /* pn_app_init, or NULL */
    void (*cleanup)(pn_app_ctx *ctx);               /* pn_app_cleanup, or NULL */
    bool initialised;                               /* init ran: cleanup will */
    int argc;    /* pn_app_ctx's: `pane serve --args …` (not owned) */
    char **argv;
    char **deps; /* compiled apps: the source and the local headers it includes (real paths,
                    NULL-terminated), what --dev watches; else NULL */
};

/* Compiles (or finds in the cache) and loads the app at path. On failure returns PN_ECOMPILE
 * (the compiler's messages went to stderr) or PN_ELOAD, with a message in err. */
int pn__app_load(const char *path, struct pn_app *out, char *err, size_t errlen);
/* The messages of the last compile (pn__app_compile's compiler, stdout and stderr; also
 * copied to stderr as they came), NUL-terminated, at most 32 KiB: what --dev shows. */
const char *pn__app_compile_messages(void);
/* The flags every app is compiled with from now on: cflags before its source, libs after it
 * (each split on spaces), pkgs ("zlib,libpng") through `pkg-config --cflags/--libs`, and
 * $PANE_CFLAGS / $PANE_LIBS. They are part of the compiled-app cache's key. 0, or an error with
 * a message (pkg-config failed). */
int pn__app_set_build(const char *cflags, const char *libs, const char *pkgs, char *err,
                      size_t errlen);
/* The two halves of pn__app_load: compile (or find in the cache) without loading — what a
 * supervisor does, which never runs app code — then, in the process that serves, load. */
int pn__app_compile(const char *path, struct pn_app *out, char *err, size_t errlen);
int pn__app_open(struct pn_app *a, char *err, size_t errlen);
/* An app an embedding program gives as functions (no file, nothing to load: pn__app_open
 * accepts it as it is). build must not be NULL. */
void pn__app_builtin(struct pn_app *out, const char *name, void (*build)(pn_session *s),
                     void (*key)(const pn_request *r, pn_key *k));
/* Runs the app's pn_app_init (once; noted in the record as the app's entry), and its
 * pn_app_cleanup if init ran. */
void pn__app_init(struct pn_app *a);
void pn__app_cleanup(struct pn_app *a);
void pn__app_unload(struct pn_app *a);
/* The cache directory used for compiled apps: $XDG_CACHE_HOME/pane or ~/.cache/pane, else
 * /tmp/pane-cache-<uid>. It and every folder under it must be this user's and not writable by
 * group or others (else loading fails with a message naming the folder); each cached .so is
 * checked the same way before it is loaded (else it is compiled anew). */
int pn__app_cache_dir(char *out, size_t outlen);
/* The folder `<cache>/name` (the image folder, "img"), made 0700 if missing and checked as
 * the cache's folders are, into out: 0, or an error with a message. */
int pn__app_cache_subdir(const char *name, char *out, size_t outlen, char *err, size_t errlen);

#endif
