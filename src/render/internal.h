/*
 * render/internal.h: helpers shared by the files of src/render only; other modules include
 * render/render.h.
 */
#ifndef PN_RENDER_INTERNAL_H
#define PN_RENDER_INTERNAL_H

#include "render/render.h"

/* Length of the valid UTF-8 sequence at p (1–4 bytes), or 0 if the bytes there (at most n)
 * are not one: overlong forms, surrogates, > U+10FFFF and truncated sequences give 0. */
size_t pn__utf8_seq_len(const unsigned char *p, size_t n);

#endif
