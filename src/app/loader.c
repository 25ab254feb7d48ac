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
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/app.h"

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

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return PN_EIO;
    }
    return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : PN_EIO;
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

static int compile(const char *cc, const char *incdir, const char *src, const char *out,
                   char *err, size_t errlen)
{
    char *ccdup = pn__xstrdup(cc);
    char *argv[48];
    int n = split_words(ccdup, argv, 16);
    if (n == 0) {
        free(ccdup);
        snprintf(err, errlen, "CC is empty");
        return PN_ECOMPILE;
    }
    char inc[4300];
    snprintf(inc, sizeof inc, "-I%s", incdir);
    const char *rest[] = {CFLAGS, inc, "-o", out, src, "-lm", NULL};
    for (int i = 0; rest[i]; i++)
        argv[n++] = (char *)rest[i];
    argv[n] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0) {
        snprintf(err, errlen, "cannot run the C compiler '%s': %s (set CC)", argv[0],
                 strerror(rc));
        free(ccdup);
        return PN_ECOMPILE;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status))
            snprintf(err, errlen,
                     "%s: compile error: '%s' exited with status %d (its messages, if any, are "
                     "above; set CC to use another compiler)",
                     src, argv[0], WEXITSTATUS(status));
        else
            snprintf(err, errlen, "%s: compile error: '%s' was killed by signal %d", src,
                     argv[0], WTERMSIG(status));
        free(ccdup);
        return PN_ECOMPILE;
    }
    free(ccdup);
    return 0;
}

static int load_so(struct pn_app *a, char *err, size_t errlen)
{
    a->dl = dlopen(a->so_path, RTLD_NOW | RTLD_LOCAL);
    if (!a->dl) {
        snprintf(err, errlen, "%s: cannot load: %s", a->source, dlerror());
        return PN_ELOAD;
    }
    *(void **)&a->build = dlsym(a->dl, "pn_app");
    *(void **)&a->key = dlsym(a->dl, "pn_session_key");
    if (!a->build) {
        snprintf(err, errlen,
                 "%s: no pn_app function: an app must define void pn_app(pn_session *s)",
                 a->source);
        dlclose(a->dl);
        a->dl = NULL;
        return PN_ELOAD;
    }
    return 0;
}

int pn__app_load(const char *path, struct pn_app *out, char *err, size_t errlen)
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
        int rc = load_so(&a, err, errlen);
        if (rc)
            pn__app_unload(&a);
        else
            *out = a;
        return rc;
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
    if (mkdirs(incdir) != 0 || mkdirs(appdir) != 0) {
        snprintf(err, errlen, "cannot create the cache directory %s: %s", dir, strerror(errno));
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
    if (access(so, R_OK) != 0) {
        char tmp[4500];
        snprintf(tmp, sizeof tmp, "%s.tmp.%d.so", so, (int)getpid());
        pn__info("compiling %s with %s", path, cc);
        rc = compile(cc, incdir, path, tmp, err, errlen);
        if (rc == 0 && rename(tmp, so) != 0) {
            snprintf(err, errlen, "cannot rename %s: %s", tmp, strerror(errno));
            rc = PN_ELOAD;
        }
        if (rc) {
            unlink(tmp);
            pn__app_unload(&a);
            return rc;
        }
    }
    rc = load_so(&a, err, errlen);
    if (rc) {
        pn__app_unload(&a);
        return rc;
    }
    *out = a;
    return 0;
}

void pn__app_unload(struct pn_app *a)
{
    if (a->dl)
        dlclose(a->dl);
    free(a->name);
    free(a->source);
    free(a->so_path);
    memset(a, 0, sizeof *a);
}
