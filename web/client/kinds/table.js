/* Table (src/kinds/table.c): a window onto rows the server keeps. The page has the first page
   of rows; this module adds the scroll space (its own element, data-pn-client), maps the scroll
   position to the first row shown (proportionally, so a million rows fit in a scroll range the
   browser can hold), draws rows from what the server sent (a few pages around the visible ones)
   and asks for more ({view: FIRST}) when the visitor scrolls past them. Sorting ({sort}),
   filtering ({filter}) and selecting ({select}) happen on the server; the answer is {rows}. */
(() => {
  const ROW = 33, HEAD = 38, MAX_SPACE = 8e6; // px: as pane.css draws them; the scroll range
  const num = new Intl.NumberFormat('en-US');
  const tables = new Map(); // id -> its state
  const bound = new WeakSet(); // scroll boxes with our listener

  function state(el, id, ctx) {
    let s = tables.get(id);
    if (s && s.el === el) return s;
    const p = ctx.props(id);
    s = {
      el, id, page: +getComputedStyle(el).getPropertyValue('--pn-table-page') || 15,
      total: +p.total || 0, first: +p.first || 0, sort: +p.sort || 0,
      selected: p.selected == null ? null : +p.selected, selectable: !!p.selectable,
      numeric: (p.columns || []).map((c) => c.type === 'number'),
      from: +p.first || 0, rows: [], asked: -1, timer: 0, reset: false, filterTimer: 0, suffix: '',
    };
    for (const tr of el.querySelectorAll('tbody > tr')) // the rows the page came with
      s.rows.push([+tr.dataset.row, ...[...tr.cells].map((td) => td.textContent)]);
    const count = el.querySelector('.pn-table-count');
    const m = count && /\s\(filtered from [\d,]+\)$/.exec(count.textContent);
    s.suffix = m ? m[0] : '';
    tables.set(id, s);
    return s;
  }

  const parts = (s) => ({ scroll: s.el.querySelector('.pn-table-scroll'), body: s.el.querySelector('tbody') });
  const span = (s) => Math.max(0, s.total - s.page); // the first rows there can be

  function space(s) { // the scroll space below the sticky table
    const { scroll } = parts(s);
    let sp = scroll.querySelector(':scope > .pn-table-space');
    if (!sp) {
      sp = document.createElement('div');
      sp.className = 'pn-table-space';
      sp.setAttribute('data-pn-client', '');
      scroll.append(sp);
    }
    const h = Math.min(span(s) * ROW, MAX_SPACE);
    sp.style.height = `${h}px`;
    return h;
  }

  // The scroll range: what the browser lets scrollTop reach (the space, give or take a border)
  const range = (scroll) => Math.max(0, scroll.scrollHeight - scroll.clientHeight);

  function scrollTo(s, first) {
    const { scroll } = parts(s), n = span(s);
    space(s);
    const h = range(scroll);
    s.first = Math.max(0, Math.min(first, n));
    const top = n ? Math.round((s.first / n) * h) : 0;
    if (Math.abs(scroll.scrollTop - top) >= 1) {
      s.ignore = true; // the scroll event this causes is ours
      scroll.scrollTop = top;
    }
  }

  function countText(s) {
    if (s.count != null && s.countFirst === s.first) return s.count; // the server's words
    if (!s.total) return 'No rows';
    const last = Math.min(s.first + s.page, s.total);
    return `${num.format(s.first + 1)}–${num.format(last)} of ${num.format(s.total)}${s.suffix}`;
  }

  function draw(s) {
    const { body } = parts(s), want = Math.min(s.page, s.total - s.first);
    const rows = [];
    for (let v = s.first; v < s.first + want; v++) {
      const r = s.rows[v - s.from];
      if (!r) return ask(s); // not here yet: the rows shown stay until they come
      rows.push([v, r]);
    }
    while (body.rows.length > rows.length) body.lastElementChild.remove();
    rows.forEach(([v, r], i) => {
      let tr = body.rows[i];
      if (!tr) {
        tr = document.createElement('tr');
        body.append(tr);
      }
      tr.setAttribute('aria-rowindex', String(v + 2));
      tr.dataset.row = String(r[0]);
      if (r[0] === s.selected) tr.setAttribute('aria-selected', 'true');
      else tr.removeAttribute('aria-selected');
      for (let c = 1; c < r.length; c++) {
        let td = tr.cells[c - 1];
        if (!td) {
          td = document.createElement('td');
          if (s.numeric[c - 1]) td.className = 'pn-table-num';
          tr.append(td);
        }
        if (td.textContent !== r[c]) td.textContent = r[c];
      }
      while (tr.cells.length > r.length - 1) tr.lastElementChild.remove();
    });
    const count = s.el.querySelector('.pn-table-count');
    if (count) count.textContent = countText(s);
    s.el.querySelector('table').setAttribute('aria-rowcount', String(s.total + 1));
  }

  function ask(s) { // the server sends the rows around s.first; one request in flight per frame
    if (s.asked === s.first) return;
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.asked = s.first;
      s.ctx.event(s.id, 'view', s.first);
    }, 16);
  }

  function onScroll(s) {
    if (s.ignore) return void (s.ignore = false);
    const { scroll } = parts(s), n = span(s);
    space(s);
    const h = range(scroll);
    s.first = h ? Math.min(n, Math.round((scroll.scrollTop / h) * n)) : 0;
    draw(s);
  }

  function select(s, row) {
    s.selected = row;
    for (const tr of parts(s).body.rows)
      if (+tr.dataset.row === row) tr.setAttribute('aria-selected', 'true');
      else tr.removeAttribute('aria-selected');
    s.ctx.event(s.id, 'select', row);
  }

  function sortMark(s) {
    s.el.querySelectorAll('thead th').forEach((th, c) => th.setAttribute('aria-sort',
      Math.abs(s.sort) !== c + 1 ? 'none' : s.sort > 0 ? 'ascending' : 'descending'));
  }

  pane.kind('Table', {
    mount(el, id, ctx) {
      const s = state(el, id, ctx);
      s.ctx = ctx;
      const { scroll } = parts(s);
      if (!bound.has(scroll)) {
        bound.add(scroll);
        scroll.addEventListener('scroll', () => onScroll(tables.get(id) || s), { passive: true });
      }
      scrollTo(s, s.first);
    },
    reset() {
      tables.clear();
    },
    unmount(el, id) {
      tables.delete(id);
    },
    patch(el, id, c, ctx) {
      const s = state(el, id, ctx);
      s.ctx = ctx;
      if ('sort' in c) (s.sort = +c.sort), sortMark(s);
      if ('selected' in c) s.selected = c.selected == null ? null : +c.selected;
      if (c.rows) {
        const r = c.rows;
        s.from = +r.from;
        s.rows = Array.isArray(r.rows) ? r.rows : [];
        s.total = +r.total;
        const m = /\s\(filtered from [\d,]+\)$/.exec(String(r.count || ''));
        s.suffix = m ? m[0] : '';
        s.count = String(r.count || '');
        s.countFirst = +r.first;
        s.asked = -1;
        if (s.reset || s.first >= s.total) { // after a sort or filter: where the server put us
          s.reset = false;
          scrollTo(s, +r.first);
        } else {
          space(s);
        }
      }
      draw(s);
    },
    click(el, e, ctx) {
      const s = state(el, ctx.idOf(el), ctx);
      s.ctx = ctx;
      const b = e.target.closest('.pn-table-sort');
      if (b) {
        const col = +b.dataset.col + 1;
        s.sort = Math.abs(s.sort) !== col ? col : s.sort > 0 ? -col : 0;
        sortMark(s);
        s.reset = true;
        return ctx.event(s.id, 'sort', s.sort);
      }
      const tr = e.target.closest('tbody > tr');
      if (tr && s.selectable) select(s, +tr.dataset.row);
    },
    input(el, e, ctx) {
      if (!e.target.classList.contains('pn-table-filter')) return;
      const s = state(el, ctx.idOf(el), ctx);
      s.ctx = ctx;
      clearTimeout(s.filterTimer);
      s.filterTimer = setTimeout(() => {
        s.reset = true;
        ctx.event(s.id, 'filter', e.target.value);
      }, 150);
    },
    keydown(el, e, ctx) {
      if (!e.target.classList.contains('pn-table-scroll')) return;
      const s = state(el, ctx.idOf(el), ctx);
      s.ctx = ctx;
      const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: s.page, PageUp: -s.page, Home: -Infinity, End: Infinity };
      if (!(e.key in moves)) return;
      e.preventDefault();
      const step = moves[e.key];
      if (s.selectable && Math.abs(step) === 1) { // the selection moves, and the view with it
        const at = s.rows.findIndex((r) => r[0] === s.selected);
        const v = at < 0 ? s.first : Math.max(0, Math.min(s.total - 1, s.from + at + step));
        const r = s.rows[v - s.from];
        if (!r) return;
        if (v < s.first) scrollTo(s, v);
        else if (v >= s.first + s.page) scrollTo(s, v - s.page + 1);
        select(s, r[0]);
        return draw(s);
      }
      scrollTo(s, Math.max(0, Math.min(span(s), s.first + (Number.isFinite(step) ? step : step > 0 ? span(s) : -s.first))));
      draw(s);
    },
  });
})();
