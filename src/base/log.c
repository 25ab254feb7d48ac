/*
 * log: one line per event on stderr, "pane: LEVEL: message", filtered by --log-level.
 */
#include <stdio.h>
#include <strings.h>
#include <time.h>

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
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s pane %s: %s\n", when, level_names[lvl], msg);
}
