/*
 * loader: compile app.c → <cache>/<version>/apps/<name>-<hash>.so, then dlopen it.
 *
 * The key of the cache is a SHA-256 over pane's version, the embedded pane.h, the compiler
 * command and the app's source, so editing any of them recompiles and nothing else does. The
 * compiler writes to a temporary file renamed into place, so two pane processes starting at
 * once never load a half-written object. pane.h is written next to the cache from the copy
 * embedded in the binary, so a lone `pane` binary can compile apps.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/app.h"
#include "base/record.h"

extern char **environ;

#define CFLAGS "-std=gnu17", "-O2", "-g", "-fPIC", "-shared", "-Wall"

int pn__app_cache_dir(char *out, size_t outlen)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && *xdg)
        n = snprintf(out, outlen, "%s/pane", xdg);
    else if (home && *home)
        n = snprintf(out, outlen, "%s/.cache/pane", home);
    else
        n = snprintf(out, outlen, "/tmp/pane-cache-%d", (int)getuid());
    return n > 0 && (size_t)n < outlen ? 0 : PN_ETOOBIG;
}

/*
 * The cache holds code pane runs, so nobody else may be able to write it (as ssh and gnupg
 * treat ~/.ssh and ~/.gnupg): the cache folder and every folder under it are created 0700 and
 * must be owned by this user and not writable by group or others; a symbolic link is followed
 * only if it is this user's own. Each .so is opened without following a link, checked the same
 * way (and to be a regular file), and dlopened through its descriptor, so what was checked is
 * what is loaded.
 */

/* Why st (of path, a folder or a .so) is not safe to trust, or NULL. */
static const char *unsafe(const struct stat *st)
{
    if (st->st_uid != geteuid())
        return "is owned by another user";
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return "is writable by group or others";
    return NULL;
}

/* Checks the folder path (an existing one, or one just made) as above. */
static int check_dir(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        snprintf(err, errlen, "cache folder %s: %s", path, strerror(errno));
        return PN_ELOAD;
    }
    if (S_ISLNK(st.st_mode)) {
        if (st.st_uid != geteuid()) {
            snprintf(err, errlen,
                     "cache folder %s is a symbolic link owned by another user (uid %d): "
                     "refusing to use it (remove it, or set XDG_CACHE_HOME)",
                     path, (int)st.st_uid);
            return PN_ELOAD;
        }
        if (stat(path, &st) != 0) {
            snprintf(err, errlen, "cache folder %s: %s", path, strerror(errno));
            return PN_ELOAD;
        }
    }
    const char *why = S_ISDIR(st.st_mode) ? unsafe(&st) : "is not a folder";
    if (why) {
        snprintf(err, errlen,
                 "cache folder %s %s (owner uid %d, mode %04o): refusing to compile or load "
                 "apps there (it must be yours and not writable by others: chmod 700 it, "
                 "remove it, or set XDG_CACHE_HOME)",
                 path, why, (int)st.st_uid, (unsigned)(st.st_mode & 07777));
        return PN_ELOAD;
    }
    return 0;
}

/* Makes path and its missing parents (0700). The folders from `from` (the cache folder) down
 * to path are checked, whether they were made now or were there. */
static int mkdirs(char *path, size_t from, char *err, size_t errlen)
{
    size_t n = strlen(path);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char c = path[i];
        path[i] = '\0';
        int rc = mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : PN_EIO;
        if (rc)
            snprintf(err, errlen, "cannot create the cache folder %s: %s", path, strerror(errno));
        else if (i >= from)
            rc = check_dir(path, err, errlen);
        path[i] = c;
        if (rc)
            return rc;
    }
    return 0;
}

int pn__app_cache_subdir(const char *name, char *out, size_t outlen, char *err, size_t errlen)
{
    char dir[4096];
    int n;
    if (pn__app_cache_dir(dir, sizeof dir) != 0 ||
        (n = snprintf(out, outlen, "%s/%s", dir, name)) < 0 || (size_t)n >= outlen) {
        snprintf(err, errlen, "cache directory path too long");
        return PN_ETOOBIG;
    }
    return mkdirs(out, strlen(dir), err, errlen);
}

/* Opens the cached object at path for loading: a regular file of this user's that nobody else
 * can write, not through a symbolic link. Returns the descriptor, or -1 with *why set (and
 * errno ENOENT when there is no such file). */
static int open_so(const char *path, const char **why)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *why = errno == ELOOP ? "is a symbolic link" : strerror(errno);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0)
        *why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        *why = "is not a regular file";
    else
        *why = unsafe(&st);
    if (*why) {
        close(fd);
        errno = EPERM;
        return -1;
    }
    return fd;
}

static int read_file(const char *path, struct pn_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return PN_ENOTFOUND;
    char chunk[8192];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = pn__buf_append(out, chunk, n);
    if (ferror(f))
        rc = PN_EIO;
    fclose(f);
    return rc;
}

/* Writes data to path through a temporary file and rename, unless path already holds it. */
static int write_if_changed(const char *path, const void *data, size_t len)
{
    struct pn_buf cur;
    pn__buf_init(&cur, len + 1);
    bool same = read_file(path, &cur) == 0 && cur.len == len && memcmp(cur.data, data, len) == 0;
    pn__buf_fini(&cur);
    if (same)
        return 0;
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return PN_EIO;
    bool ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return PN_EIO;
    }
    return 0;
}

static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    const char *dot = strrchr(b, '.');
    return pn__xstrndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Splits $CC ("ccache gcc") into argv words in place; returns the count. */
static int split_words(char *s, char **argv, int max)
{
    int n = 0;
    while (*s && n < max) {
        while (*s == ' ' || *s == '\t')
            *s++ = '\0';
        if (!*s)
            break;
        argv[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
    }
    return n;
}

/* --cflags, --libs and --pkg (pn__app_set_build) with $PANE_CFLAGS and $PANE_LIBS: the words
 * every app is compiled with, before and after its source. */
static char build_cflags[4096], build_libs[4096];

/* Runs argv, its standard output into out (at most outlen - 1 bytes, NUL-terminated, newlines
 * as spaces). 0, or an error with a message. */
static int run_capture(char *const argv[], char *out, size_t outlen, char *err, size_t errlen)
{
    int fds[2];
    if (pipe(fds) != 0)
        return snprintf(err, errlen, "pipe: %s", strerror(errno)), PN_EIO;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    size_t len = 0;
    ssize_t k;
    while (rc == 0 && (k = read(fds[0], out + len, outlen - 1 - len)) != 0) {
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 || (len += (size_t)k) == outlen - 1)
            break;
    }
    close(fds[0]);
    out[len] = '\0';
    for (char *c = out; *c; c++)
        if (*c == '\n')
            *c = ' ';
    int status = 0;
    if (rc == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return snprintf(err, errlen, "%s failed%s%s", argv[0], rc ? ": " : "",
                        rc ? strerror(rc) : " (its messages are above)"),
               PN_EIO;
    return 0;
}

int pn__app_set_build(const char *cflags, const char *libs, const char *pkgs, char *err,
                      size_t errlen)
{
    const char *env_c = getenv("PANE_CFLAGS"), *env_l = getenv("PANE_LIBS");
    char pc_c[2048] = "", pc_l[2048] = "";
    if (pkgs && *pkgs) { /* "zlib,libpng": pkg-config's words for them */
        char names[1024], *argv[40] = {"pkg-config", "--cflags"};
        snprintf(names, sizeof names, "%s", pkgs);
        int n = 2;
        for (char *save = NULL, *t = strtok_r(names, ", ", &save); t && n < 38;
             t = strtok_r(NULL, ", ", &save))
            argv[n++] = t;
        argv[n] = NULL;
        int rc = run_capture(argv, pc_c, sizeof pc_c, err, errlen);
        argv[1] = "--libs";
        if (rc == 0)
            rc = run_capture(argv, pc_l, sizeof pc_l, err, errlen);
        if (rc)
            return rc;
    }
    int a = snprintf(build_cflags, sizeof build_cflags, "%s %s %s", env_c ? env_c : "",
                     cflags ? cflags : "", pc_c);
    int b = snprintf(build_libs, sizeof build_libs, "%s %s %s", env_l ? env_l : "",
                     libs ? libs : "", pc_l);
    if (a >= (int)sizeof build_cflags || b >= (int)sizeof build_libs)
        return snprintf(err, errlen, "compile or link flags longer than %zu bytes",
                        sizeof build_cflags - 1),
               PN_ETOOBIG;
    return 0;
}

/* Calls fn for each file of a compile's dependency file (make syntax: "out: src h1 h2") but
 * src: the local headers it read. */
static void each_dep(const char *dfile, const char *src, void (*fn)(void *ud, const char *path),
                     void *ud)
{
    struct pn_buf d;
    pn__buf_init(&d, 1u << 20);
    if (read_file(dfile, &d) == 0 && d.data) {
        char *p = strchr(d.data, ':');
        for (char *save = NULL, *t = p ? strtok_r(p + 1, " \t\n\\", &save) : NULL; t;
             t = strtok_r(NULL, " \t\n\\", &save))
            if (strcmp(t, src) != 0)
                fn(ud, t);
    }
    pn__buf_fini(&d);
}

static void hash_one(void *all, const char *path)
{
    pn__buf_printf(all, "%s\n", path);
    if (read_file(path, all) != 0)
        pn__buf_puts(all, "(missing)\n");
}

/* The local headers a compile used, hashed with their contents into out: what the cached
 * object depends on besides its key. */
static void deps_hash(const char *dfile, const char *src, char out[65])
{
    struct pn_buf all;
    pn__buf_init(&all, 256u << 20);
    each_dep(dfile, src, hash_one, &all);
    pn__sha256_hex(all.data ? all.data : "", all.len, out);
    pn__buf_fini(&all);
}

/* The last compile's messages (the supervisor compiles on one thread). */
static char messages[32768];
static size_t messages_len;

const char *pn__app_compile_messages(void)
{
    return messages;
}

/* The files a compile read besides pane.h: the source and the local headers of its dependency
 * file, as paths (a NULL-terminated heap list), for --dev to watch. */
struct dep_list {
    char **list;
    size_t n, cap;
    const char *incdir; /* pane.h's: not the app's */
};

static void list_one(void *ud, const char *path)
{
    struct dep_list *l = ud;
    if (!strncmp(path, l->incdir, strlen(l->incdir)))
        return;
    if (l->n + 2 > l->cap)
        l->list = pn__xrealloc(l->list, (l->cap *= 2) * sizeof *l->list);
    char *rp = realpath(path, NULL);
    l->list[l->n++] = rp ? rp : pn__xstrdup(path);
}

static char **deps_list(const char *dfile, const char *src, const char *incdir)
{
    struct dep_list l = {.list = pn__xmalloc(8 * sizeof(char *)), .cap = 8, .incdir = incdir};
    list_one(&l, src);
    each_dep(dfile, src, list_one, &l);
    l.list[l.n] = NULL;
    return l.list;
}

static int compile(const char *cc, const char *incdir, const char *src, const char *out,
                   const char *dfile, char *err, size_t errlen)
{
    char *ccdup = pn__xstrdup(cc), *cdup = pn__xstrdup(build_cflags),
         *ldup = pn__xstrdup(build_libs);
    char *argv[560];
    int n = split_words(ccdup, argv, 16);
    if (n == 0) {
        free(ccdup);
        snprintf(err, errlen, "CC is empty");
        return PN_ECOMPILE;
    }
    char inc[4300];
    snprintf(inc, sizeof inc, "-I%s", incdir);
    const char *rest[] = {CFLAGS, inc, "-MMD", "-MF", dfile, "-o", out, NULL};
    for (int i = 0; rest[i]; i++)
        argv[n++] = (char *)rest[i];
    n += split_words(cdup, argv + n, 256);
    argv[n++] = (char *)src;
    n += split_words(ldup, argv + n, 256);
    argv[n++] = "-lm";
    argv[n] = NULL;
    /* its messages go to our stderr as they come, and are kept for pn__app_compile_messages
     * (--dev shows them in the page) */
    int fds[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (pipe2(fds, O_CLOEXEC) == 0) {
        posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
        posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    }
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (fds[1] >= 0)
        close(fds[1]);
    messages_len = 0;
    messages[0] = '\0';
    if (rc != 0) {
        if (fds[0] >= 0)
            close(fds[0]);
        snprintf(err, errlen, "cannot run the C compiler '%s': %s (set CC)", argv[0], strerror(rc));
        snprintf(messages, sizeof messages, "%s\n", err);
        free(ccdup), free(cdup), free(ldup);
        return PN_ECOMPILE;
    }
    char chunk[4096];
    ssize_t k;
    while (fds[0] >= 0 && (k = read(fds[0], chunk, sizeof chunk)) != 0) {
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            break;
        fwrite(chunk, 1, (size_t)k, stderr);
        size_t room = sizeof messages - 1 - messages_len,
               take = (size_t)k < room ? (size_t)k : room;
        memcpy(messages + messages_len, chunk, take);
        messages[messages_len += take] = '\0';
    }
    if (fds[0] >= 0)
        close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status))
            snprintf(err, errlen,
                     "%s: compile error: '%s' exited with status %d (its messages, if any, are "
                     "above; set CC to use another compiler)",
                     src, argv[0], WEXITSTATUS(status));
        if (!messages_len)
            snprintf(messages, sizeof messages, "%s\n", err);
        else
            snprintf(err, errlen, "%s: compile error: '%s' was killed by signal %d", src, argv[0],
                     WTERMSIG(status));
        free(ccdup), free(cdup), free(ldup);
        return PN_ECOMPILE;
    }
    free(ccdup), free(cdup), free(ldup);
    return 0;
}

/* dlopens a->so_path, or, given fd (the checked object), the file behind it. The descriptor
 * stays open while the app is loaded, so its /proc/self/fd name is never one a later dlopen
 * could mistake for an object already loaded. */
static int load_so(struct pn_app *a, int fd, char *err, size_t errlen)
{
    char byfd[64];
    const char *name = a->so_path;
    if (fd >= 0) {
        snprintf(byfd, sizeof byfd, "/proc/self/fd/%d", fd);
        if (access(byfd, F_OK) == 0) /* no /proc: the path, checked just now */
            name = byfd;
    }
    a->dl = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!a->dl) {
        snprintf(err, errlen, "%s: cannot load: %s", a->source, dlerror());
        if (fd >= 0)
            close(fd);
        return PN_ELOAD;
    }
    a->fd = fd + 1;
    *(void **)&a->build = dlsym(a->dl, "pn_app");
    *(void **)&a->key = dlsym(a->dl, "pn_session_key");
    *(void **)&a->init = dlsym(a->dl, "pn_app_init");
    *(void **)&a->cleanup = dlsym(a->dl, "pn_app_cleanup");
    if (!a->build) {
        snprintf(err, errlen,
                 "%s: no pn_app function: an app must define void pn_app(pn_session *s)",
                 a->source);
        return PN_ELOAD; /* the caller's pn__app_unload closes it */
    }
    return 0;
}

int pn__app_compile(const char *path, struct pn_app *out, char *err, size_t errlen)
{
    struct pn_app a = {0};
    a.source = pn__xstrdup(path);
    a.name = base_name(path);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: no such file", path);
        pn__app_unload(&a);
        return PN_ELOAD;
    }
    if (has_suffix(path, ".so")) {
        char *rp = realpath(path, NULL);
        a.so_path = rp ? rp : pn__xstrdup(path);
        *out = a;
        return 0;
    }

    const struct pn_asset *hdr = pn__asset_find(PN_STRLIT("include/pane.h"));
    const char *cc = getenv("CC");
    if (!cc || !*cc)
        cc = PANE_CC_DEFAULT;
    struct pn_buf src;
    pn__buf_init(&src, 64u << 20);
    int rc = read_file(path, &src);
    if (rc || !hdr) {
        snprintf(err, errlen, "%s: cannot read%s", path, hdr ? "" : " (pane.h not embedded)");
        pn__buf_fini(&src);
        pn__app_unload(&a);
        return PN_ELOAD;
    }
    /* key: version, header, compiler, flags, source */
    struct pn_buf key;
    pn__buf_init(&key, SIZE_MAX / 2);
    pn__buf_printf(&key, "%s\n%s\n%s\n", PANE_VERSION_STRING, hdr->etag, cc);
    const char *flags[] = {CFLAGS};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        pn__buf_printf(&key, "%s ", flags[i]);
    pn__buf_printf(&key, "\n%s\n%s\n", build_cflags, build_libs);
    pn__buf_append(&key, src.data, src.len);
    char hash[65];
    pn__sha256_hex(key.data, key.len, hash);
    pn__buf_fini(&key);
    pn__buf_fini(&src);

    char dir[4096], incdir[4200], appdir[4200], so[4400];
    if (pn__app_cache_dir(dir, sizeof dir) != 0) {
        snprintf(err, errlen, "cache directory path too long");
        pn__app_unload(&a);
        return PN_ELOAD;
    }
    snprintf(incdir, sizeof incdir, "%s/%s/include", dir, PANE_VERSION_STRING);
    snprintf(appdir, sizeof appdir, "%s/%s/apps", dir, PANE_VERSION_STRING);
    snprintf(so, sizeof so, "%s/%s-%.16s.so", appdir, a.name, hash);
    if (mkdirs(incdir, strlen(dir), err, errlen) != 0 ||
        mkdirs(appdir, strlen(dir), err, errlen) != 0) {
        pn__app_unload(&a);
        return PN_ELOAD;
    }
    char hpath[4300];
    snprintf(hpath, sizeof hpath, "%s/pane.h", incdir);
    if (write_if_changed(hpath, hdr->data, hdr->len) != 0) {
        snprintf(err, errlen, "cannot write %s", hpath);
        pn__app_unload(&a);
        return PN_ELOAD;
    }
    a.so_path = pn__xstrdup(so);
    const char *why = NULL;
    int fd = open_so(so, &why);
    int open_errno = errno; /* ENOENT: none yet */
    char dfile[4500], depsfile[4500], deps[65], was[80] = "", depdir[4300];
    /* what it included, beside the cache of objects (which holds objects only) */
    snprintf(depdir, sizeof depdir, "%s/%s/deps", dir, PANE_VERSION_STRING);
    snprintf(dfile, sizeof dfile, "%s/%s-%.16s.d", depdir, a.name, hash);
    snprintf(depsfile, sizeof depsfile, "%s/%s-%.16s.hash", depdir, a.name, hash);
    if (mkdirs(depdir, strlen(dir), err, errlen) != 0) {
        pn__app_unload(&a);
        return PN_ELOAD;
    }
    if (fd >= 0) { /* the headers it included may have changed since */
        deps_hash(dfile, path, deps);
        FILE *f = fopen(depsfile, "r");
        if (!f || !fgets(was, sizeof was, f) || strncmp(was, deps, 64) != 0) {
            pn__info("%s: a header it includes changed: compiling again", path);
            close(fd);
            fd = -1;
            unlink(so);
            open_errno = ENOENT;
        }
        if (f)
            fclose(f);
    }
    if (fd < 0 && open_errno != ENOENT) {
        /* not one we can trust: made anew in its place (the folder is ours, checked above) */
        pn__warn("cached %s %s: removed, compiling again", so, why);
        if (unlink(so) != 0) {
            snprintf(err, errlen, "cached %s %s, and cannot be removed: %s", so, why,
                     strerror(errno));
            pn__app_unload(&a);
            return PN_ELOAD;
        }
    }
    if (fd < 0) {
        char tmp[4500];
        snprintf(tmp, sizeof tmp, "%s.tmp.%d.so", so, (int)getpid());
        bool given = build_cflags[strspn(build_cflags, " ")] || build_libs[strspn(build_libs, " ")];
        pn__info("compiling %s with %s%s", path, cc, given ? " and the flags given" : "");
        rc = compile(cc, incdir, path, tmp, dfile, err, errlen);
        if (rc == 0) { /* what it included, for the next start's check */
            deps_hash(dfile, path, deps);
            write_if_changed(depsfile, deps, 64);
        }
        if (rc == 0 && (chmod(tmp, 0700) != 0 || rename(tmp, so) != 0)) {
            snprintf(err, errlen, "cannot move %s into place: %s", tmp, strerror(errno));
            rc = PN_ELOAD;
        }
        if (rc == 0 && (fd = open_so(so, &why)) < 0) {
            snprintf(err, errlen, "compiled %s %s: refusing to load it", so, why);
            rc = PN_ELOAD;
        }
        if (rc) {
            unlink(tmp);
            pn__app_unload(&a);
            return rc;
        }
    }
    a.fd = fd + 1;
    a.deps = deps_list(dfile, path, incdir);
    *out = a;
    return 0;
}

void pn__app_builtin(struct pn_app *out, const char *name, void (*build)(pn_session *s),
                     void (*key)(const pn_request *r, pn_key *k))
{
    memset(out, 0, sizeof *out);
    out->name = pn__xstrdup(name);
    out->source = pn__xstrdup("(built in)");
    out->build = build;
    out->key = key;
}

int pn__app_open(struct pn_app *a, char *err, size_t errlen)
{
    if (!a->so_path) /* built in: its functions are there */
        return a->build ? 0 : (snprintf(err, errlen, "%s: no pn_app function", a->name), PN_ELOAD);
    int fd = a->fd - 1;
    a->fd = 0;
    return load_so(a, fd, err, errlen);
}

int pn__app_load(const char *path, struct pn_app *out, char *err, size_t errlen)
{
    int rc = pn__app_compile(path, out, err, errlen);
    if (rc == 0 && (rc = pn__app_open(out, err, errlen)) != 0)
        pn__app_unload(out);
    return rc;
}

void pn__app_init(struct pn_app *a)
{
    if (!a->init || a->initialised)
        return;
    pn__entry_enter(PN_ENTRY_APP, a->name, 0, "pn_app_init");
    a->init(&(pn_app_ctx){.name = a->name, .argc = a->argc, .argv = a->argv});
    pn__entry_leave();
    a->initialised = true;
}

void pn__app_cleanup(struct pn_app *a)
{
    if (!a->initialised)
        return;
    a->initialised = false;
    if (!a->cleanup)
        return;
    pn__entry_enter(PN_ENTRY_APP, a->name, 0, "pn_app_cleanup");
    a->cleanup(&(pn_app_ctx){.name = a->name, .argc = a->argc, .argv = a->argv});
    pn__entry_leave();
}

void pn__app_unload(struct pn_app *a)
{
    if (a->dl)
        dlclose(a->dl);
    if (a->fd > 0)
        close(a->fd - 1);
    free(a->name);
    free(a->source);
    free(a->so_path);
    for (char **d = a->deps; d && *d; d++)
        free(*d);
    free(a->deps);
    memset(a, 0, sizeof *a);
}
