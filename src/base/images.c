/*
 * images: the process's store of pictures (images.h).
 *
 * One table of entries keyed "<sha256 hex>.<ext>", under one mutex. An entry has the nodes'
 * references (refs), its bytes when they are in memory (a refcounted struct pn_image_bytes, so
 * that a response being written or a write to disk keeps them after the entry let them go),
 * and its place in the LRU list of the entries whose bytes are in memory. After a put or a
 * release the list is trimmed from its least recently used end while the memory is over the
 * bound: an entry no node holds is dropped whole; one that nodes hold only loses its bytes,
 * and only once they are on disk (a node's picture is always somewhere). So memory stays under
 * the bound but for the pictures nodes hold that are still waiting to be written (or that
 * cannot be: no folder, or a failed write).
 *
 * Writes go to one thread of the store's own, started with the first one: it checks whether
 * the file is already there (another worker wrote it, or an earlier run did), else writes a
 * temporary file in the folder (O_EXCL, 0600), fsyncs it and renames it into place, so that a
 * reader sees a whole file or none, never a part. The job holds a reference to the bytes: a
 * session that ends meanwhile takes nothing away from it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/images.h"

struct pn_image {
    struct pn_image_info info; /* ext and mime point at sniff.c's table */
    char key[PN_IMAGE_KEY_MAX];
    size_t refs;                  /* nodes' references */
    struct pn_image_bytes *bytes; /* NULL: only on disk */
    bool on_disk, queued;
    struct pn_image *hnext;
    struct pn_image *lprev, *lnext; /* the LRU list, while bytes is set (head: most recent) */
};

_Static_assert(sizeof(struct pn_image) + sizeof(struct pn_image_bytes) + 64 <= PN_IMAGE_OVERHEAD,
               "PN_IMAGE_OVERHEAD counts an entry and its allocations");

struct job {
    char key[PN_IMAGE_KEY_MAX];
    struct pn_image_bytes *bytes;
    struct job *next;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER, idle = PTHREAD_COND_INITIALIZER;
static struct {
    size_t max_memory;
    char *dir;
    struct pn_image **buckets;
    size_t nbuckets, count;
    struct pn_image *lru_head, *lru_tail;
    size_t memory;
    struct job *jobs, **jobs_tail;
    bool writer_running, writing, stop;
    pthread_t writer;
    struct pn_images_stats stats;
} st = {.max_memory = PN_IMAGES_MEMORY};

/* ---- bytes ---- */

static struct pn_image_bytes *bytes_new(const void *p, size_t n)
{
    struct pn_image_bytes *b = pn__xmalloc(sizeof *b + n);
    atomic_init(&b->refs, 1);
    b->len = n;
    memcpy(b->data, p, n);
    return b;
}

static struct pn_image_bytes *bytes_ref(struct pn_image_bytes *b)
{
    atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
    return b;
}

void pn__image_bytes_unref(void *v)
{
    struct pn_image_bytes *b = v;
    if (b && atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
        free(b);
}

/* ---- the table and the LRU list (under mu) ---- */

/* The key's first 16 hex digits: already uniform. */
static size_t bucket_of(const char *key)
{
    uint64_t h = 0;
    for (int i = 0; i < 16; i++)
        h = h << 4 | (uint64_t)(key[i] <= '9' ? key[i] - '0' : key[i] - 'a' + 10);
    return (size_t)(h % st.nbuckets);
}

static struct pn_image *find(pn_str key)
{
    if (!st.nbuckets || key.len < 16 || key.len >= PN_IMAGE_KEY_MAX)
        return NULL;
    char z[PN_IMAGE_KEY_MAX];
    memcpy(z, key.ptr, key.len);
    z[key.len] = '\0';
    for (struct pn_image *e = st.buckets[bucket_of(z)]; e; e = e->hnext)
        if (strcmp(e->key, z) == 0)
            return e;
    return NULL;
}

static void table_add(struct pn_image *e)
{
    if (st.count + 1 > st.nbuckets * 2 / 3) {
        size_t nb = st.nbuckets ? st.nbuckets * 2 : 64;
        struct pn_image **old = st.buckets;
        size_t oldn = st.nbuckets;
        st.buckets = pn__xcalloc(nb, sizeof *st.buckets);
        st.nbuckets = nb;
        for (size_t i = 0; i < oldn; i++)
            for (struct pn_image *x = old[i], *next; x; x = next) {
                next = x->hnext;
                size_t b = bucket_of(x->key);
                x->hnext = st.buckets[b];
                st.buckets[b] = x;
            }
        free(old);
    }
    size_t b = bucket_of(e->key);
    e->hnext = st.buckets[b];
    st.buckets[b] = e;
    st.count++;
}

static void table_remove(struct pn_image *e)
{
    struct pn_image **at = &st.buckets[bucket_of(e->key)];
    while (*at != e)
        at = &(*at)->hnext;
    *at = e->hnext;
    st.count--;
}

static void lru_unlink(struct pn_image *e)
{
    if (e->lprev)
        e->lprev->lnext = e->lnext;
    else
        st.lru_head = e->lnext;
    if (e->lnext)
        e->lnext->lprev = e->lprev;
    else
        st.lru_tail = e->lprev;
    e->lprev = e->lnext = NULL;
}

static void lru_front(struct pn_image *e)
{
    e->lnext = st.lru_head;
    e->lprev = NULL;
    if (st.lru_head)
        st.lru_head->lprev = e;
    st.lru_head = e;
    if (!st.lru_tail)
        st.lru_tail = e;
}

/* A use: e's bytes (if any) become the most recent. */
static void touch(struct pn_image *e)
{
    if (e->bytes && st.lru_head != e) {
        lru_unlink(e);
        lru_front(e);
    }
}

static void drop_bytes(struct pn_image *e)
{
    lru_unlink(e);
    st.memory -= e->bytes->len + PN_IMAGE_OVERHEAD;
    pn__image_bytes_unref(e->bytes);
    e->bytes = NULL;
}

/* Lets go of the least recently used bytes while over the bound (see the top). */
static void trim(void)
{
    struct pn_image *e = st.lru_tail;
    while (st.memory > st.max_memory && e) {
        struct pn_image *prev = e->lprev;
        if (e->refs == 0) {
            drop_bytes(e);
            table_remove(e);
            free(e);
        } else if (e->on_disk) {
            drop_bytes(e);
        }
        e = prev;
    }
}

/* ---- the writer ---- */

/* Writes b to the folder as key, unless the file is there: 1 written, 0 there, -1 failed. */
static int write_file(const char *dir, const char *key, const struct pn_image_bytes *b)
{
    char path[4200], tmp[4300];
    if (snprintf(path, sizeof path, "%s/%s", dir, key) >= (int)sizeof path)
        return -1;
    struct stat sb;
    if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == b->len)
        return 0;
    static unsigned counter;
    snprintf(tmp, sizeof tmp, "%s/.%s.%d.%u.tmp", dir, key, (int)getpid(), counter++);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        pn__warn("image folder: cannot create %s: %s", tmp, strerror(errno));
        return -1;
    }
    size_t off = 0;
    while (off < b->len) {
        ssize_t k = write(fd, b->data + off, b->len - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    int err = off == b->len ? 0 : errno ? errno : EIO;
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        pn__warn("image folder: cannot write %s: %s", path, strerror(err));
        unlink(tmp);
        return -1;
    }
    return 1;
}

static void *writer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;) {
        while (!st.jobs && !st.stop)
            pthread_cond_wait(&work, &mu);
        if (!st.jobs)
            break; /* stop, and nothing left */
        struct job *j = st.jobs;
        st.jobs = j->next;
        if (!st.jobs)
            st.jobs_tail = &st.jobs;
        st.writing = true;
        char *dir = st.dir ? pn__xstrdup(st.dir) : NULL;
        pthread_mutex_unlock(&mu);
        int rc = dir ? write_file(dir, j->key, j->bytes) : -1;
        free(dir);
        pthread_mutex_lock(&mu);
        st.writing = false;
        struct pn_image *e = find(pn__str(j->key));
        if (e) {
            e->queued = false;
            e->on_disk = rc >= 0;
        }
        if (rc > 0)
            st.stats.written++;
        else if (rc == 0)
            st.stats.found++;
        else
            st.stats.write_failed++;
        pn__image_bytes_unref(j->bytes);
        free(j);
        if (rc >= 0)
            trim(); /* what waited for its file may go now */
        if (!st.jobs)
            pthread_cond_broadcast(&idle);
    }
    pthread_cond_broadcast(&idle);
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* Queues e's bytes for the folder (under mu). */
static void queue_write(struct pn_image *e)
{
    if (!st.dir || e->on_disk || e->queued || !e->bytes)
        return;
    if (!st.writer_running) {
        if (pthread_create(&st.writer, NULL, writer_main, NULL) != 0) {
            pn__warn("image folder: cannot start the writer thread; pictures stay in memory");
            return;
        }
        st.writer_running = true;
    }
    struct job *j = pn__xcalloc(1, sizeof *j);
    memcpy(j->key, e->key, sizeof j->key);
    j->bytes = bytes_ref(e->bytes);
    if (!st.jobs_tail)
        st.jobs_tail = &st.jobs;
    *st.jobs_tail = j;
    st.jobs_tail = &j->next;
    e->queued = true;
    pthread_cond_signal(&work);
}

/* Removes the temporary files a process that died while writing left in dir (an hour old:
 * none is still being written). */
static void remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    time_t now = time(NULL);
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        struct stat sb;
        if (de->d_name[0] != '.' || len < 5 || strcmp(de->d_name + len - 4, ".tmp") != 0 ||
            fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode) ||
            now - sb.st_mtime < 3600)
            continue;
        unlinkat(dirfd(d), de->d_name, 0);
    }
    closedir(d);
}

/* ---- the API ---- */

void pn__images_init(const struct pn_images_opts *o)
{
    pthread_mutex_lock(&mu);
    st.max_memory = o && o->max_memory ? o->max_memory : PN_IMAGES_MEMORY;
    free(st.dir);
    st.dir = o && o->dir ? pn__xstrdup(o->dir) : NULL;
    for (size_t b = 0; b < st.nbuckets; b++)
        for (struct pn_image *e = st.buckets[b]; e; e = e->hnext) {
            e->on_disk = false; /* another folder (tests): written there too */
            queue_write(e);
        }
    trim();
    pthread_mutex_unlock(&mu);
    if (o && o->dir)
        remove_stale(o->dir);
}

void pn__images_flush(void)
{
    pthread_mutex_lock(&mu);
    while (st.writer_running && (st.jobs || st.writing))
        pthread_cond_wait(&idle, &mu);
    pthread_mutex_unlock(&mu);
}

void pn__images_fini(void)
{
    pthread_mutex_lock(&mu);
    bool running = st.writer_running;
    st.stop = true;
    pthread_cond_signal(&work);
    pthread_mutex_unlock(&mu);
    if (running)
        pthread_join(st.writer, NULL);
    pthread_mutex_lock(&mu);
    st.writer_running = st.stop = false;
    for (size_t b = 0; b < st.nbuckets; b++)
        for (struct pn_image *e = st.buckets[b], *next; e; e = next) {
            next = e->hnext;
            if (e->refs)
                continue;
            if (e->bytes)
                drop_bytes(e);
            table_remove(e);
            free(e);
        }
    if (st.count == 0) {
        free(st.buckets);
        st.buckets = NULL;
        st.nbuckets = 0;
    }
    free(st.dir);
    st.dir = NULL;
    pthread_mutex_unlock(&mu);
}

struct pn_image *pn__images_put(const void *p, size_t n, const struct pn_image_info *info)
{
    char key[PN_IMAGE_KEY_MAX];
    pn__sha256_hex(p, n, key);
    snprintf(key + 64, sizeof key - 64, ".%s", info->ext);
    struct pn_image_bytes *copy = NULL;
    pthread_mutex_lock(&mu);
    struct pn_image *e = find(pn__str(key));
    while (!e || !e->bytes) {
        if (!copy) { /* copied outside the lock, then looked up again */
            pthread_mutex_unlock(&mu);
            copy = bytes_new(p, n);
            pthread_mutex_lock(&mu);
            e = find(pn__str(key));
            continue;
        }
        if (!e) {
            e = pn__xcalloc(1, sizeof *e);
            memcpy(e->key, key, sizeof key);
            e->info = *info;
            table_add(e);
        }
        if (!e->bytes) {
            e->bytes = copy;
            copy = NULL;
            st.memory += n + PN_IMAGE_OVERHEAD;
            lru_front(e);
        }
    }
    e->refs++;
    touch(e);
    queue_write(e);
    trim();
    pthread_mutex_unlock(&mu);
    pn__image_bytes_unref(copy); /* an equal entry got there first */
    return e;
}

struct pn_image *pn__images_ref(struct pn_image *img)
{
    pthread_mutex_lock(&mu);
    img->refs++;
    pthread_mutex_unlock(&mu);
    return img;
}

void pn__images_release(struct pn_image *img)
{
    if (!img)
        return;
    pthread_mutex_lock(&mu);
    if (--img->refs == 0 && !img->bytes) {
        table_remove(img); /* only on disk: the folder keeps it */
        free(img);
    } else {
        trim();
    }
    pthread_mutex_unlock(&mu);
}

const char *pn__image_key(const struct pn_image *img)
{
    return img->key;
}

const struct pn_image_info *pn__image_info(const struct pn_image *img)
{
    return &img->info;
}

struct pn_image_bytes *pn__images_get(pn_str key)
{
    pthread_mutex_lock(&mu);
    struct pn_image *e = find(key);
    struct pn_image_bytes *b = e && e->bytes ? bytes_ref(e->bytes) : NULL;
    if (b)
        touch(e);
    pthread_mutex_unlock(&mu);
    return b;
}

bool pn__image_key_ok(pn_str key)
{
    if (key.len < 66 || key.len >= PN_IMAGE_KEY_MAX || key.ptr[64] != '.')
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((key.ptr[i] >= '0' && key.ptr[i] <= '9') || (key.ptr[i] >= 'a' && key.ptr[i] <= 'f')))
            return false;
    return pn__image_mime((pn_str){key.ptr + 65, key.len - 65}) != NULL;
}

int pn__images_path(pn_str key, char *out, size_t outlen)
{
    pthread_mutex_lock(&mu);
    int rc = PN_ENOTFOUND;
    if (st.dir) {
        int k = snprintf(out, outlen, "%s/%.*s", st.dir, (int)key.len, key.ptr);
        rc = k > 0 && (size_t)k < outlen ? 0 : PN_ETOOBIG;
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

void pn__images_stats(struct pn_images_stats *out)
{
    pthread_mutex_lock(&mu);
    *out = st.stats;
    out->entries = st.count;
    out->memory = st.memory;
    out->held = out->refs = out->in_memory = 0;
    for (size_t b = 0; b < st.nbuckets; b++)
        for (struct pn_image *e = st.buckets[b]; e; e = e->hnext) {
            out->held += e->refs > 0;
            out->refs += e->refs;
            out->in_memory += e->bytes != NULL;
        }
    pthread_mutex_unlock(&mu);
}
