/* The processes of this machine by memory: a Table over an array the session refreshes every
 * 2 s (sort by any header, filter by command, scroll), and the selected process's details. */
#include <dirent.h>
#include <pane.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct proc { double pid, mb, threads; char name[32]; };
struct top { struct proc p[4096]; size_t n; pn_node *table, *details; };

static void cell(void *top, size_t row, int col, pn_cell *c)
{
    const struct proc *p = &((struct top *)top)->p[row];
    c->num = col == 0 ? p->pid : col == 2 ? p->mb : p->threads, c->text = p->name;
}

static void scan(pn_session *s, void *top) /* fields 1, 2, 20 and 24 of /proc/PID/stat */
{
    struct top *t = top;
    DIR *d = opendir("/proc");
    struct dirent *e;
    for (t->n = 0; d && t->n < 4096 && (e = readdir(d));) {
        char path[300], line[512] = "";
        snprintf(path, sizeof path, "/proc/%.20s/stat", e->d_name);
        FILE *f = atoi(e->d_name) > 0 ? fopen(path, "r") : NULL;
        struct proc *p = &t->p[t->n];
        long threads, pages;
        if (f && fgets(line, sizeof line, f) && sscanf(line, "%lf (%31[^)]) %*s %*s %*s %*s %*s"
            " %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %ld %*s %*s %*s %ld", &p->pid,
            p->name, &threads, &pages) == 4)
            p->threads = threads, p->mb = pages * (sysconf(_SC_PAGESIZE) / 1048576.0), t->n++;
        if (f) fclose(f);
    }
    if (d) closedir(d);
    if (t->table) pn_table_set_rows(t->table, t->n, NULL); /* sorted and selected as left */
    (void)s;
}

static void show(pn_session *s, pn_node *table, void *top)
{
    const struct proc *p = &((struct top *)top)->p[pn_table_selected(table)];
    pn_markdown_set_text(((struct top *)top)->details, pn_fmt(s, "**%s** (PID %.0f) uses "
                         "%.1f MB with %.0f threads", p->name, p->pid, p->mb, p->threads));
}

static void drop(pn_session *s, void *top) { (void)s, free(top); }

void pn_app(pn_session *s)
{
    struct top *t = calloc(1, sizeof *t);
    if (!t)
        return;
    pn_on_session_destroyed(s, drop, t);
    scan(s, t);
    pn_template(s, .name = "material", .title = "Processes");
    t->details = pn_markdown(s, .text = "Select a process to see its details.");
    t->table = pn_table(s, .columns = PN_COLUMNS({"PID", PN_NUMBER, .width = 90}, {"Command"},
        {"Memory", PN_NUMBER, "{value:.1f} MB", 130}, {"Threads", PN_NUMBER, .width = 100}),
        .rows = t->n, .cell = cell, .data = t, .sort = -3, .filter = true, .key_column = 1,
        .on_select = show, .arg = t);
    pn_servable(s, pn_card(s, .title = "Top processes by memory",
                           .items = PN_ITEMS(t->table, t->details)));
    pn_every(s, 2000, scan, t);
}
