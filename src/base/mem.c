/*
 * mem: allocation that aborts on OOM (h2o, redis), session arenas (a chain of blocks freed
 * together), and bounded growable buffers (curl's dynbuf: the maximum is set at init and an
 * append past it fails with PN_ETOOBIG, leaving the buffer as it was).
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/base.h"

static void oom(size_t n)
{
    fprintf(stderr, "pane: out of memory allocating %zu bytes\n", n);
    abort();
}

void *pn__xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *pn__xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *pn__xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *pn__xstrndup(const char *s, size_t n)
{
    char *p = pn__xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pn__xstrdup(const char *s)
{
    return pn__xstrndup(s, strlen(s));
}

/* ---- arena ---- */

struct pn_arena_block {
    struct pn_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

#define ARENA_ALIGN 16

void pn__arena_init(struct pn_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 4096;
    a->total = 0;
}

void pn__arena_fini(struct pn_arena *a)
{
    struct pn_arena_block *b = a->head;
    while (b) {
        struct pn_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void pn__arena_reset(struct pn_arena *a)
{
    if (!a->head)
        return;
    /* keep the oldest block (the last in the chain), free the rest */
    struct pn_arena_block *b = a->head, *keep = NULL;
    while (b) {
        struct pn_arena_block *next = b->next;
        if (!next)
            keep = b;
        else
            free(b);
        b = next;
    }
    keep->used = 0;
    keep->next = NULL;
    a->head = keep;
    a->total = 0;
}

void *pn__arena_alloc(struct pn_arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n)
        oom(n);
    struct pn_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > a->block_size / 2 ? need : a->block_size;
        if (need > a->block_size / 2 && b) {
            /* a big allocation gets its own block behind the current one, which stays open */
            struct pn_arena_block *big = pn__xmalloc(sizeof *big + need);
            big->size = need;
            big->used = need;
            big->next = b->next;
            b->next = big;
            a->total += need;
            memset(big->data, 0, need);
            return big->data;
        }
        b = pn__xmalloc(sizeof *b + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    memset(p, 0, need);
    return p;
}

char *pn__arena_strndup(struct pn_arena *a, const char *s, size_t n)
{
    char *p = pn__arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pn__arena_strdup(struct pn_arena *a, const char *s)
{
    return s ? pn__arena_strndup(a, s, strlen(s)) : NULL;
}

char *pn__arena_vfmt(struct pn_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return pn__arena_strdup(a, "");
    char *p = pn__arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *pn__arena_fmt(struct pn_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = pn__arena_vfmt(a, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- bounded buffer ---- */

void pn__buf_init(struct pn_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void pn__buf_init_fixed(struct pn_buf *b, char *mem, size_t cap)
{
    b->data = mem;
    b->len = 0;
    b->cap = cap;
    b->max = cap ? cap - 1 : 0;
    if (cap)
        mem[0] = '\0';
}

void pn__buf_fini(struct pn_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void pn__buf_reset(struct pn_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int buf_reserve(struct pn_buf *b, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return PN_ETOOBIG;
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap - 1 > b->max) /* cap >= 1: cannot wrap, unlike max + 1 when max = SIZE_MAX */
        cap = b->max + 1;
    b->data = pn__xrealloc(b->data, cap);
    b->cap = cap;
    return 0;
}

int pn__buf_append(struct pn_buf *b, const void *p, size_t n)
{
    int rc = buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int pn__buf_puts(struct pn_buf *b, const char *s)
{
    return pn__buf_append(b, s, strlen(s));
}

int pn__buf_putc(struct pn_buf *b, char c)
{
    return pn__buf_append(b, &c, 1);
}

int pn__buf_printf(struct pn_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return PN_EINVAL;
    if ((size_t)n < sizeof small)
        return pn__buf_append(b, small, (size_t)n);
    int rc = buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *pn__buf_steal(struct pn_buf *b, size_t *len)
{
    char *p = b->data ? b->data : pn__xstrdup("");
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
