/*
 * log: one line per event, "TIME pane LEVEL: message" on stderr, filtered by --log-level.
 * --log-format json writes each as one JSON object instead ({"time", "level", "pid", "msg"},
 * the message made valid UTF-8 and escaped), and --log-file appends to a file instead of
 * stderr: opened O_APPEND, each line one write(), so the supervisor, its workers and their
 * threads write whole lines to the same file; pn__log_reopen (on SIGHUP) opens the path again
 * for log rotation, and the workers started after it write to the new file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"

enum pn_log_level pn__log_level = PN_LOG_INFO;

static const char *const level_names[] = {"debug", "info", "warning", "error", "critical"};

int pn__log_level_parse(const char *name, enum pn_log_level *out)
{
    for (size_t i = 0; i < sizeof level_names / sizeof *level_names; i++)
        if (strcasecmp(name, level_names[i]) == 0) {
            *out = (enum pn_log_level)i;
            return 0;
        }
    if (strcasecmp(name, "warn") == 0) {
        *out = PN_LOG_WARN;
        return 0;
    }
    return PN_EINVAL;
}

static enum pn_log_format log_format = PN_LOG_TEXT;
static int log_fd = 2;
static char *log_path;

static int open_log(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
    if (fd < 0 && err && errlen)
        snprintf(err, errlen, "--log-file %s: %s", path, strerror(errno));
    return fd;
}

int pn__log_setup(enum pn_log_format fmt, const char *path, char *err, size_t errlen)
{
    log_format = fmt;
    if (!path)
        return 0;
    int fd = open_log(path, err, errlen);
    if (fd < 0)
        return PN_EIO;
    if (log_fd > 2)
        close(log_fd);
    log_fd = fd;
    free(log_path);
    log_path = pn__xstrdup(path);
    return 0;
}

int pn__log_reopen(void)
{
    if (!log_path)
        return 0;
    char err[300];
    int fd = open_log(log_path, err, sizeof err);
    if (fd < 0) {
        pn__error("%s: logging on to the file as it was", err);
        return PN_EIO;
    }
    dup2(fd, log_fd); /* the same descriptor number: nothing else needs telling */
    close(fd);
    return 0;
}

/* A JSON string's body: quotes, backslashes and control bytes escaped; s is valid UTF-8. */
static size_t json_body(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            out[n++] = '\\', out[n++] = (char)c;
        else if (c == '\n')
            out[n++] = '\\', out[n++] = 'n';
        else if (c < 0x20 || c == 0x7f)
            n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
        else
            out[n++] = (char)c;
    }
    out[n] = '\0';
    return n;
}

void pn__log(enum pn_log_level lvl, const char *fmt, ...)
{
    if (lvl < pn__log_level)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char when[32];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char line[8192 + 200];
    int n;
    if (log_format == PN_LOG_JSON) {
        char clean[3 * sizeof msg], body[8192];
        clean[pn__utf8_sanitize(msg, strlen(msg), clean)] = '\0';
        json_body(clean, body, sizeof body);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
        n = snprintf(line, sizeof line,
                     "{\"time\":\"%s.%03ldZ\",\"level\":\"%s\",\"pid\":%d,\"msg\":\"%s\"}\n", when,
                     ts.tv_nsec / 1000000, level_names[lvl], (int)getpid(), body);
    } else {
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        n = snprintf(line, sizeof line, "%s pane %s: %s\n", when, level_names[lvl], msg);
    }
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (line[len - 1] != '\n') /* cut: still one line */
        line[len - 1] = '\n';
    ssize_t w;
    do /* one write: lines of several processes and threads never interleave */
        w = write(log_fd, line, len);
    while (w < 0 && errno == EINTR);
}
