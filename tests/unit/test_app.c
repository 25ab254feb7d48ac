/*
 * test_app: the app loader. Small app sources are written into a temporary directory and
 * XDG_CACHE_HOME points at another, so every test compiles with the real $CC into a cache of
 * its own: a good app loads and builds a session; a second load uses the cache; a compile
 * error is PN_ECOMPILE with the compiler's messages on stderr; an app without pn_app is
 * PN_ELOAD naming the file; a prebuilt .so loads as it is; a broken $CC gives a clear error.
 *
 * The dlopened apps resolve pn_* against this executable (ENABLE_EXPORTS), so the builders
 * they call must be linked in: see `linked` below.
 */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/app.h"
#include "doc/doc.h"

/* Keeps the builders the test apps call in the executable (a static library member is linked
 * only when something refers to it). */
typedef void (*any_fn)(void);
any_fn pn_test_app_linked[] = {
    (any_fn)pn_template_set, (any_fn)pn_servable_add, (any_fn)pn_card_new, (any_fn)pn_number_new,
    (any_fn)pn_fmt_at,       (any_fn)pn_session_arg_at, (any_fn)pn_key_add,  (any_fn)pn_request_arg,
};

struct fx {
    char src[256];   /* app sources */
    char cache[256]; /* XDG_CACHE_HOME */
    char err[1024];
    char *old_xdg, *old_cc;
};

static char *dup_env(const char *name)
{
    const char *v = getenv(name);
    return v ? strdup(v) : NULL;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->src, sizeof f->src, "/tmp/pane-test-app-src-XXXXXX");
    snprintf(f->cache, sizeof f->cache, "/tmp/pane-test-app-cache-XXXXXX");
    if (!mkdtemp(f->src) || !mkdtemp(f->cache))
        return -1;
    f->old_xdg = dup_env("XDG_CACHE_HOME");
    f->old_cc = dup_env("CC");
    setenv("XDG_CACHE_HOME", f->cache, 1);
    unsetenv("CC");
    *state = f;
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    nftw(f->src, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    nftw(f->cache, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    if (f->old_xdg)
        setenv("XDG_CACHE_HOME", f->old_xdg, 1);
    else
        unsetenv("XDG_CACHE_HOME");
    if (f->old_cc)
        setenv("CC", f->old_cc, 1);
    else
        unsetenv("CC");
    free(f->old_xdg);
    free(f->old_cc);
    free(f);
    return 0;
}

/* Writes text to <src>/<name> and returns the path (static storage, one of a few). */
static const char *write_src(struct fx *f, const char *name, const char *text)
{
    static char ring[4][512];
    static int next;
    char *path = ring[next++ % 4];
    snprintf(path, sizeof ring[0], "%s/%s", f->src, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    return path;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void apps_dir(struct fx *f, char *out, size_t n)
{
    snprintf(out, n, "%s/pane/%s/apps", f->cache, PANE_VERSION_STRING);
}

/* Runs stderr into a file during fn; returns what was written (static buffer). */
static const char *capture_stderr_begin(int *saved, char *path, size_t n)
{
    snprintf(path, n, "/tmp/pane-test-app-stderr-%d", (int)getpid());
    fflush(stderr);
    *saved = dup(2);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    dup2(fd, 2);
    close(fd);
    return path;
}

static const char *capture_stderr_end(int saved, const char *path)
{
    static char text[16384];
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *fp = fopen(path, "r");
    size_t n = fp ? fread(text, 1, sizeof text - 1, fp) : 0;
    text[n] = '\0';
    if (fp)
        fclose(fp);
    unlink(path);
    return text;
}

static const char good_app[] = "#include <pane.h>\n"
                               "void pn_app(pn_session *s)\n"
                               "{\n"
                               "    pn_template(s, .name = \"material\", .title = \"Hi\");\n"
                               "    pn_servable(s, pn_card(s, .title = \"Answer\",\n"
                               "        .items = PN_ITEMS(pn_number(s, .name = \"n\", "
                               ".value = 42))));\n"
                               "}\n";

/* Runs the app's pn_app on a fresh session and checks the page it built. */
static void check_builds_answer_page(const struct pn_app *a)
{
    assert_non_null(a->build);
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = a->name});
    a->build(s);
    bool ok = s->nmisuse == 0 && s->tmpl.title && strcmp(s->tmpl.title, "Hi") == 0 &&
              s->root->first && !strcmp(s->root->first->desc->name, "Card") &&
              s->root->first->first && !strcmp(s->root->first->first->desc->name, "Number") &&
              PN_COPTS(s->root->first->first, pn_number_opts)->value == 42;
    pn__session_free(s);
    assert_true(ok);
}

/* ---- tests ---- */

static void test_load_good_app_compiles_and_builds_a_session(void **state)
{
    struct fx *f = *state;
    const char *path = write_src(f, "answer.c", good_app);
    struct pn_app a = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    if (rc != 0)
        fail_msg("load failed: %d %s", rc, f->err);
    assert_string_equal(a.name, "answer");
    assert_string_equal(a.source, path);
    assert_non_null(a.so_path);
    assert_true(strncmp(a.so_path, f->cache, strlen(f->cache)) == 0);
    assert_non_null(strstr(a.so_path, "/answer-"));
    assert_null(a.key); /* pn_session_key is optional */
    check_builds_answer_page(&a);
    pn__app_unload(&a);
    assert_null(a.dl);
    assert_null(a.name);
}

static void test_load_finds_optional_session_key(void **state)
{
    struct fx *f = *state;
    char text[2048];
    snprintf(text, sizeof text,
             "%s\nvoid pn_session_key(const pn_request *r, pn_key *k)\n"
             "{\n    pn_key_add(k, pn_request_arg(r, \"city\", \"Berlin\"));\n}\n",
             good_app);
    const char *path = write_src(f, "keyed.c", text);
    struct pn_app a = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    if (rc != 0)
        fail_msg("load failed: %d %s", rc, f->err);
    bool has_key = a.key != NULL;
    pn__app_unload(&a);
    assert_true(has_key);
}

static void test_load_twice_uses_the_cache(void **state)
{
    struct fx *f = *state;
    /* a compiler wrapper that counts its runs */
    char counter[512], wrapper_text[1024];
    snprintf(counter, sizeof counter, "%s/runs", f->src);
    snprintf(wrapper_text, sizeof wrapper_text, "#!/bin/sh\necho run >> '%s'\nexec cc \"$@\"\n",
             counter);
    const char *wrapper = write_src(f, "cc-count.sh", wrapper_text);
    assert_int_equal(chmod(wrapper, 0755), 0);
    setenv("CC", wrapper, 1);

    const char *path = write_src(f, "cached.c", good_app);
    struct pn_app a = {0}, b = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    if (rc != 0)
        fail_msg("first load failed: %d %s", rc, f->err);
    struct stat st1, st2;
    assert_int_equal(stat(a.so_path, &st1), 0);
    pn__app_unload(&a);

    rc = pn__app_load(path, &b, f->err, sizeof f->err);
    if (rc != 0)
        fail_msg("second load failed: %d %s", rc, f->err);
    assert_int_equal(stat(b.so_path, &st2), 0);
    check_builds_answer_page(&b);
    pn__app_unload(&b);

    assert_int_equal(st1.st_ino, st2.st_ino);
    assert_true(st1.st_mtim.tv_sec == st2.st_mtim.tv_sec &&
                st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec);
    char dir[512];
    apps_dir(f, dir, sizeof dir);
    assert_int_equal(count_files(dir), 1); /* one .so, no temporary left behind */
    FILE *fp = fopen(counter, "r");
    assert_non_null(fp);
    int runs = 0;
    char line[64];
    while (fgets(line, sizeof line, fp))
        runs++;
    fclose(fp);
    assert_int_equal(runs, 1);
}

static void test_load_after_edit_recompiles_into_a_new_object(void **state)
{
    struct fx *f = *state;
    const char *path = write_src(f, "edited.c", good_app);
    struct pn_app a = {0}, b = {0};
    assert_int_equal(pn__app_load(path, &a, f->err, sizeof f->err), 0);
    char first[1024];
    snprintf(first, sizeof first, "%s", a.so_path);
    pn__app_unload(&a);
    char text[2048];
    snprintf(text, sizeof text, "%s/* edited */\n", good_app);
    write_src(f, "edited.c", text);
    int rc = pn__app_load(path, &b, f->err, sizeof f->err);
    bool differs = rc == 0 && strcmp(first, b.so_path) != 0;
    pn__app_unload(&b);
    assert_int_equal(rc, 0);
    assert_true(differs);
    char dir[512];
    apps_dir(f, dir, sizeof dir);
    assert_int_equal(count_files(dir), 2);
}

static void test_load_compile_error_gives_ecompile_with_messages_on_stderr(void **state)
{
    struct fx *f = *state;
    const char *path = write_src(f, "broken.c",
                                 "#include <pane.h>\n"
                                 "void pn_app(pn_session *s) { this_is_not_c(s) }\n");
    struct pn_app a = {0};
    int saved;
    char tmp[256];
    capture_stderr_begin(&saved, tmp, sizeof tmp);
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    const char *messages = capture_stderr_end(saved, tmp);
    assert_int_equal(rc, PN_ECOMPILE);
    assert_null(a.dl);
    assert_non_null(strstr(f->err, "broken.c"));
    if (!strstr(messages, "broken.c") || !strstr(messages, "error"))
        fail_msg("the compiler's messages were not on stderr; got: %s", messages);
    char dir[512];
    apps_dir(f, dir, sizeof dir);
    assert_int_equal(count_files(dir), 0); /* no half-made object in the cache */
}

static void test_load_without_pn_app_gives_eload_naming_the_file(void **state)
{
    struct fx *f = *state;
    const char *path = write_src(f, "noapp.c",
                                 "#include <pane.h>\n"
                                 "void not_the_entry_point(pn_session *s) { (void)s; }\n");
    struct pn_app a = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    assert_int_equal(rc, PN_ELOAD);
    assert_non_null(strstr(f->err, path));
    assert_non_null(strstr(f->err, "pn_app"));
    assert_null(a.dl);
}

static void test_load_missing_file_gives_eload(void **state)
{
    struct fx *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/nope.c", f->src);
    struct pn_app a = {0};
    assert_int_equal(pn__app_load(path, &a, f->err, sizeof f->err), PN_ELOAD);
    assert_non_null(strstr(f->err, path));
    assert_int_equal(pn__app_load(f->src, &a, f->err, sizeof f->err), PN_ELOAD); /* a dir */
}

/* Compiles src into <src dir>/<so_name> with the system compiler, as a user would. */
static const char *build_so(struct fx *f, const char *src_name, const char *text,
                            const char *so_name)
{
    const char *root = getenv("PANE_SOURCE_DIR");
    if (!root)
        fail_msg("PANE_SOURCE_DIR is not set (run through ctest)");
    const char *src = write_src(f, src_name, text);
    static char so[512];
    snprintf(so, sizeof so, "%s/%s", f->src, so_name);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cc -std=c17 -shared -fPIC -I'%s/include' -o '%s' '%s'", root, so,
             src);
    if (system(cmd) != 0)
        fail_msg("could not build %s: %s", so, cmd);
    return so;
}

static void test_load_prebuilt_so_as_it_is(void **state)
{
    struct fx *f = *state;
    const char *so = build_so(f, "pre.c", good_app, "prebuilt.so");
    struct pn_app a = {0};
    int rc = pn__app_load(so, &a, f->err, sizeof f->err);
    if (rc != 0)
        fail_msg("load failed: %d %s", rc, f->err);
    assert_string_equal(a.name, "prebuilt");
    char *real = realpath(so, NULL);
    bool same = real && strcmp(real, a.so_path) == 0;
    free(real);
    check_builds_answer_page(&a);
    pn__app_unload(&a);
    assert_true(same);
    char dir[512];
    apps_dir(f, dir, sizeof dir);
    assert_true(count_files(dir) <= 0); /* nothing compiled into the cache */
}

static void test_load_prebuilt_so_without_pn_app_gives_eload(void **state)
{
    struct fx *f = *state;
    const char *so = build_so(f, "empty.c", "int pane_test_nothing;\n", "empty.so");
    struct pn_app a = {0};
    assert_int_equal(pn__app_load(so, &a, f->err, sizeof f->err), PN_ELOAD);
    assert_non_null(strstr(f->err, "empty.so"));
    assert_non_null(strstr(f->err, "pn_app"));
}

static void test_load_non_object_so_gives_eload(void **state)
{
    struct fx *f = *state;
    const char *so = write_src(f, "text.so", "not an ELF file\n");
    struct pn_app a = {0};
    assert_int_equal(pn__app_load(so, &a, f->err, sizeof f->err), PN_ELOAD);
    assert_non_null(strstr(f->err, "text.so"));
}

static void test_load_passes_words_of_cc_as_arguments(void **state)
{
    struct fx *f = *state;
    setenv("CC", "cc  -DPANE_TEST_FLAG=1", 1);
    char text[2048];
    snprintf(text, sizeof text, "#ifndef PANE_TEST_FLAG\n#error no flag\n#endif\n%s", good_app);
    const char *path = write_src(f, "flag.c", text);
    struct pn_app a = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    if (rc != 0)
        fail_msg("load failed: %d %s", rc, f->err);
    pn__app_unload(&a);
}

static void test_load_with_missing_compiler_names_it_and_cc(void **state)
{
    struct fx *f = *state;
    setenv("CC", "/nonexistent/pane-cc", 1);
    const char *path = write_src(f, "nocc.c", good_app);
    struct pn_app a = {0};
    assert_int_equal(pn__app_load(path, &a, f->err, sizeof f->err), PN_ECOMPILE);
    assert_non_null(strstr(f->err, "/nonexistent/pane-cc"));
    assert_non_null(strstr(f->err, "CC"));
}

/* CC=false prints nothing and exits 1: "the compiler's messages are above" points at nothing.
 * The error must say which compiler failed and how, so the user can fix $CC. */
static void test_load_with_cc_false_gives_a_clear_error(void **state)
{
    struct fx *f = *state;
    setenv("CC", "false", 1);
    const char *path = write_src(f, "cc_test.c", good_app);
    struct pn_app a = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    assert_int_equal(rc, PN_ECOMPILE);
    assert_null(a.dl);
    if (!strstr(f->err, "false"))
        fail_msg("the error does not name the compiler: \"%s\"", f->err);
}

static void test_load_with_empty_cc_uses_the_default_compiler(void **state)
{
    struct fx *f = *state;
    setenv("CC", "", 1);
    const char *path = write_src(f, "emptycc.c", good_app);
    struct pn_app a = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    if (rc != 0)
        fail_msg("load failed: %d %s", rc, f->err);
    pn__app_unload(&a);
}

static void test_cache_dir_follows_xdg_then_home(void **state)
{
    struct fx *f = *state;
    char out[512], want[512];
    assert_int_equal(pn__app_cache_dir(out, sizeof out), 0);
    snprintf(want, sizeof want, "%s/pane", f->cache);
    assert_string_equal(out, want);
    char *home = dup_env("HOME");
    setenv("XDG_CACHE_HOME", "", 1);
    setenv("HOME", "/home/someone", 1);
    int rc = pn__app_cache_dir(out, sizeof out);
    char tiny[4];
    int rc_small = pn__app_cache_dir(tiny, sizeof tiny);
    if (home)
        setenv("HOME", home, 1);
    else
        unsetenv("HOME");
    free(home);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "/home/someone/.cache/pane");
    assert_int_equal(rc_small, PN_ETOOBIG);
}

static void test_load_writes_pane_h_next_to_the_cache(void **state)
{
    struct fx *f = *state;
    const char *path = write_src(f, "hdr.c", good_app);
    struct pn_app a = {0};
    assert_int_equal(pn__app_load(path, &a, f->err, sizeof f->err), 0);
    pn__app_unload(&a);
    char h[512];
    snprintf(h, sizeof h, "%s/pane/%s/include/pane.h", f->cache, PANE_VERSION_STRING);
    struct stat st;
    assert_int_equal(stat(h, &st), 0);
    const struct pn_asset *emb = pn__asset_find(PN_STRLIT("include/pane.h"));
    assert_non_null(emb);
    assert_int_equal((size_t)st.st_size, emb->len);
}

/* ---- the cache is code pane runs: nobody else may write it ---- */

static void expect_refused(struct fx *f, const char *app, const char *folder, const char *what)
{
    const char *path = write_src(f, app, good_app);
    struct pn_app a = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    if (rc == 0)
        pn__app_unload(&a);
    assert_int_equal(rc, PN_ELOAD);
    assert_null(a.dl);
    if (!strstr(f->err, folder) || !strstr(f->err, what))
        fail_msg("the error should name %s and say it %s: \"%s\"", folder, what, f->err);
}

static void test_cache_folder_writable_by_others_is_refused(void **state)
{
    struct fx *f = *state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/pane", f->cache);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chmod(dir, 0777), 0); /* what another user's /tmp/pane-cache-<uid> is */
    expect_refused(f, "open.c", dir, "writable by group or others");
    assert_int_equal(chmod(dir, 0770), 0);
    expect_refused(f, "open.c", dir, "writable by group or others");
    assert_int_equal(chmod(dir, 0755), 0); /* an older pane's cache: only its owner writes */
    const char *path = write_src(f, "open.c", good_app);
    struct pn_app a = {0};
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    if (rc != 0)
        fail_msg("load failed: %d %s", rc, f->err);
    pn__app_unload(&a);
}

static void test_cache_subfolder_writable_by_others_is_refused(void **state)
{
    struct fx *f = *state;
    const char *path = write_src(f, "sub.c", good_app);
    struct pn_app a = {0};
    assert_int_equal(pn__app_load(path, &a, f->err, sizeof f->err), 0);
    pn__app_unload(&a);
    char dir[512];
    apps_dir(f, dir, sizeof dir);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700); /* made 0700 */
    assert_int_equal(chmod(dir, 0733), 0);
    expect_refused(f, "sub.c", dir, "writable by group or others");
}

static void test_cache_folder_of_another_user_is_refused(void **state)
{
    struct fx *f = *state;
    if (geteuid() != 0)
        skip(); /* making a folder of another user needs root */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/pane", f->cache);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chown(dir, 65534, 65534), 0);
    expect_refused(f, "other.c", dir, "owned by another user");
    /* nor through a symbolic link of another user's to a folder of ours */
    char real[512];
    snprintf(real, sizeof real, "%s/real", f->cache);
    assert_int_equal(rmdir(dir), 0);
    assert_int_equal(mkdir(real, 0700), 0);
    assert_int_equal(symlink(real, dir), 0);
    assert_int_equal(lchown(dir, 65534, 65534), 0);
    expect_refused(f, "other.c", dir, "symbolic link owned by another user");
}

/* The cached object of app `name`: its path in the apps folder (the only .so there). */
static void cached_so(struct fx *f, char *out, size_t n)
{
    char dir[512];
    apps_dir(f, dir, sizeof dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    out[0] = '\0';
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            snprintf(out, n, "%s/%s", dir, e->d_name);
    closedir(d);
    assert_true(out[0] != '\0');
}

static const char evil_app[] = "#include <pane.h>\n"
                               "void pn_app(pn_session *s) { pn_template(s, .title = \"evil\"); }\n";

/* Runs a's pn_app and returns its title (static copy). */
static const char *title_of(const struct pn_app *a)
{
    static char t[64];
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "x"});
    a->build(s);
    snprintf(t, sizeof t, "%s", s->tmpl.title ? s->tmpl.title : "");
    pn__session_free(s);
    return t;
}

static void test_group_writable_cached_so_is_compiled_again(void **state)
{
    struct fx *f = *state;
    const char *path = write_src(f, "gw.c", good_app);
    struct pn_app a = {0};
    assert_int_equal(pn__app_load(path, &a, f->err, sizeof f->err), 0);
    pn__app_unload(&a);
    char so[1024];
    cached_so(f, so, sizeof so);
    struct stat st1, st2;
    assert_int_equal(stat(so, &st1), 0);
    assert_int_equal(st1.st_mode & 022, 0);
    /* someone else's code in its place, writable by the group */
    const char *evil = build_so(f, "evil.c", evil_app, "evil.so");
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod 664 '%s'", evil, so, so);
    assert_int_equal(system(cmd), 0);
    int saved;
    char tmp[256];
    const char *cap = capture_stderr_begin(&saved, tmp, sizeof tmp);
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    const char *log = capture_stderr_end(saved, cap);
    if (rc != 0)
        fail_msg("load failed: %d %s", rc, f->err);
    assert_string_equal(title_of(&a), "Hi"); /* not the planted object */
    pn__app_unload(&a);
    if (!strstr(log, so) || !strstr(log, "writable by group or others"))
        fail_msg("the warning should name %s and what is wrong: \"%s\"", so, log);
    assert_int_equal(stat(so, &st2), 0);
    assert_int_equal(st2.st_mode & 022, 0);
    assert_true(st2.st_ino != st1.st_ino || st2.st_mtim.tv_nsec != st1.st_mtim.tv_nsec);
}

static void test_cached_so_that_is_a_symlink_is_not_followed(void **state)
{
    struct fx *f = *state;
    const char *path = write_src(f, "ln.c", good_app);
    struct pn_app a = {0};
    assert_int_equal(pn__app_load(path, &a, f->err, sizeof f->err), 0);
    pn__app_unload(&a);
    char so[1024];
    cached_so(f, so, sizeof so);
    const char *evil = build_so(f, "evil2.c", evil_app, "evil2.so");
    assert_int_equal(unlink(so), 0);
    assert_int_equal(symlink(evil, so), 0);
    int saved;
    char tmp[256];
    const char *cap = capture_stderr_begin(&saved, tmp, sizeof tmp);
    int rc = pn__app_load(path, &a, f->err, sizeof f->err);
    const char *log = capture_stderr_end(saved, cap);
    if (rc != 0)
        fail_msg("load failed: %d %s", rc, f->err);
    assert_string_equal(title_of(&a), "Hi");
    pn__app_unload(&a);
    assert_non_null(strstr(log, "symbolic link"));
    struct stat st;
    assert_int_equal(lstat(so, &st), 0);
    assert_true(S_ISREG(st.st_mode));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    pn__log_level = PN_LOG_WARN; /* "compiling …" is info */
    const struct CMUnitTest tests[] = {
        T(test_load_good_app_compiles_and_builds_a_session),
        T(test_load_finds_optional_session_key),
        T(test_load_twice_uses_the_cache),
        T(test_load_after_edit_recompiles_into_a_new_object),
        T(test_load_compile_error_gives_ecompile_with_messages_on_stderr),
        T(test_load_without_pn_app_gives_eload_naming_the_file),
        T(test_load_missing_file_gives_eload),
        T(test_load_prebuilt_so_as_it_is),
        T(test_load_prebuilt_so_without_pn_app_gives_eload),
        T(test_load_non_object_so_gives_eload),
        T(test_load_passes_words_of_cc_as_arguments),
        T(test_load_with_missing_compiler_names_it_and_cc),
        T(test_load_with_cc_false_gives_a_clear_error),
        T(test_load_with_empty_cc_uses_the_default_compiler),
        T(test_cache_dir_follows_xdg_then_home),
        T(test_load_writes_pane_h_next_to_the_cache),
        T(test_cache_folder_writable_by_others_is_refused),
        T(test_cache_subfolder_writable_by_others_is_refused),
        T(test_cache_folder_of_another_user_is_refused),
        T(test_group_writable_cached_so_is_compiled_again),
        T(test_cached_so_that_is_a_symlink_is_not_followed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
