/*
 * render/internal.h: helpers shared by the files of src/render only; other modules include
 * render/render.h.
 */
#ifndef PN_RENDER_INTERNAL_H
#define PN_RENDER_INTERNAL_H

#include "render/render.h"

/* (pn__utf8_seq_len, which escaping uses, is base's: one UTF-8 decoder in pane.) */

#endif
