/* The processes of this machine by memory: a Table over an array the session refreshes every
 * 2 s (sort by any header, filter by command, scroll), and the selected process's details. */
#include <glob.h>
#include <pane.h>
#include <stdio.h>
#include <unistd.h>

struct proc { double pid, mb, threads; char name[32]; };
struct top { struct proc p[4096]; size_t n; pn_node *table, *details; };

static void cell(void *top, size_t row, int col, pn_cell *c)
{
    const struct proc *p = &((struct top *)top)->p[row];
    c->num = col == 0 ? p->pid : col == 2 ? p->mb : p->threads;
    c->text = p->name;
}

static void show(pn_session *s, pn_node *table, void *top)
{
    struct top *t = top;
    const struct proc *p = &t->p[pn_table_selected(table)];
    pn_markdown_set_text(t->details, pn_fmt(s, "**%s** (PID %.0f) uses %.1f MB with %.0f threads",
                                            p->name, p->pid, p->mb, p->threads));
}

static void scan(pn_session *s, void *top) /* fields 1, 2, 20 and 24 of /proc/PID/stat */
{
    struct top *t = top;
    glob_t g = {0};
    glob("/proc/[0-9]*/stat", 0, NULL, &g);
    for (size_t i = t->n = 0; i < g.gl_pathc && t->n < 4096; i++) {
        FILE *f = fopen(g.gl_pathv[i], "r");
        struct proc *p = &t->p[t->n];
        if (f && fscanf(f, "%lf (%31[^)]) %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s"
            " %*s %*s %*s %lf %*s %*s %*s %lf", &p->pid, p->name, &p->threads, &p->mb) == 4)
            t->p[t->n++].mb *= sysconf(_SC_PAGESIZE) / 1048576.0; /* resident pages to MB */
        if (f)
            fclose(f);
    }
    globfree(&g);
    pn_table_set_rows(t->table, t->n, NULL); /* sorted and selected as the visitor left them */
    if (pn_table_selected(t->table) != PN_NO_ROW)
        show(s, t->table, t); /* the selected process's figures, fresh */
}

void pn_app(pn_session *s)
{
    struct top *t = pn_alloc(s, sizeof *t); /* the session's: freed with it */
    if (!t)
        return;
    pn_template(s, .name = "material", .title = "Processes");
    t->details = pn_markdown(s, .text = "Select a process to see its details.");
    t->table = pn_table(s, .columns = PN_COLUMNS({"PID", PN_NUMBER, .width = 90}, {"Command"},
        {"Memory", PN_NUMBER, "{value:.1f} MB", 130}, {"Threads", PN_NUMBER, .width = 100}),
        .cell = cell, .data = t, .sort = -3, .filter = true, .key_column = 1,
        .on_select = show, .arg = t);
    pn_servable(s, pn_card(s, .title = "Top processes by memory",
                           .items = PN_ITEMS(t->table, t->details)));
    pn_every_now(s, 2000, scan, t); /* a first scan now, for the page; then every 2 s */
}
