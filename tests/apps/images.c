/* Pictures (pn_image) for tests/e2e/image_test.c: a PNG from bytes, an SVG naming the worker
   process that made it (so that each worker of --num-procs makes a picture of its own, which
   the other can only serve from the image folder), a 3 MiB picture, the pid as text, and a
   button that shows another PNG. */
#include <pane.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const unsigned char bars_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x20, 0x08, 0x06, 0x00, 0x00, 0x00, 0x73, 0x7a, 0x7a,
    0xf4, 0x00, 0x00, 0x00, 0x48, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x18, 0x05, 0x74,
    0x02, 0x6f, 0x73, 0x98, 0xfe, 0x23, 0xe3, 0x51, 0x07, 0x0c, 0x23, 0x07, 0x14, 0x6d, 0xfd, 0x8f,
    0x82, 0x47, 0x1d, 0x30, 0xea, 0x00, 0x1c, 0x62, 0x43, 0xd0, 0x01, 0x44, 0x06, 0xed, 0xa8, 0x03,
    0x46, 0x98, 0x03, 0x28, 0x10, 0x1b, 0x75, 0xc0, 0x20, 0x77, 0x00, 0x95, 0x2d, 0x1b, 0x75, 0xc0,
    0xa8, 0x03, 0x46, 0x1d, 0x30, 0xea, 0x80, 0x21, 0xe8, 0x80, 0x91, 0x0c, 0x00, 0x29, 0x0d, 0xea,
    0x9e, 0xb6, 0x8a, 0x56, 0x75, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
    0x82};

/* 3 MiB: a PNG's signature and IHDR (1000×700), then filler that depends on the offset */
#define BIG (3u << 20)
static unsigned char big[BIG];

void pn_app_init(pn_app_ctx *ctx)
{
    (void)ctx;
    static const unsigned char head[24] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a,
                                           0,    0,   0,   0x0d, 'I', 'H',  'D',  'R',
                                           0,    0,   0x03, 0xe8, 0,   0,    0x02, 0xbc};
    for (size_t i = 0; i < BIG; i++)
        big[i] = (unsigned char)(i * 2654435761u >> 13);
    memcpy(big, head, sizeof head);
}

static void next(pn_session *s, pn_node *b, void *picture)
{
    (void)s, (void)b;
    /* the same PNG with its last byte of IEND's CRC changed: other bytes, another URL */
    unsigned char other[sizeof bars_png];
    memcpy(other, bars_png, sizeof other);
    other[sizeof other - 1] ^= 0xff;
    pn_image_set(picture, other, sizeof other);
    pn_image_set_caption(picture, "another one");
}

void pn_app(pn_session *s)
{
    char svg[256], pid[32];
    snprintf(svg, sizeof svg,
             "<svg xmlns='http://www.w3.org/2000/svg' width='140' height='30'>"
             "<text x='4' y='20'>worker %d</text></svg>",
             (int)getpid());
    snprintf(pid, sizeof pid, "pid %d", (int)getpid());
    pn_node *bars = pn_image(s, .data = bars_png, .len = sizeof bars_png, .alt = "Bars",
                             .caption = "A PNG");
    pn_servable(s, pn_column(s, bars,
                             pn_image(s, .data = svg, .len = strlen(svg), .alt = "Worker"),
                             pn_image(s, .data = big, .len = BIG, .alt = "Big"),
                             pn_pre(s, .text = pid),
                             pn_button(s, .label = "Next", .on_click = next, .arg = bars)));
}
