/* Plot (src/kinds/plot.c) in the browser: uPlot draws the window the server keeps, in the box the
   server's SVG first paint already holds (fixed height: no layout shift). Points come in data
   records: op 1 appends, op 2 is the whole window. Each series and x live in a Float64Array of
   twice the window, filled from the left and moved back once full, so an append allocates
   nothing; uPlot gets views of the current window, redrawn at most once per animation frame.
   Built into client/plot.js after uPlot itself (node_modules/uplot), loaded only by pages with
   a plot, before pane.js: so the module queues itself in window.paneKinds. */
(() => {
  'use strict';
  const plots = new Map(); // node id -> its state

  const PATHS = {
    line: () => undefined,
    area: () => undefined,
    step: () => uPlot.paths.stepped({ align: 1 }),
    bar: () => uPlot.paths.bars({ size: [0.6, 64] }),
    scatter: () => () => null,
  };

  function buffers(p, cap, k) {
    p.cap = cap;
    p.xs = new Float64Array(2 * cap);
    p.ys = Array.from({ length: k }, () => new Float64Array(2 * cap));
    p.start = 0;
    p.len = 0;
  }

  function state(el, id, ctx) {
    let p = plots.get(id);
    const props = ctx.props(id), series = Array.isArray(props.series) ? props.series : [];
    const cap = Math.max(2, props.rollover | 0);
    if (!p || p.cap !== cap || p.ys.length !== series.length) {
      p = { id, props, series, dirty: false, frame: 0, u: null, el: null, seen: 0,
        ymin: Infinity, ymax: -Infinity, stale: false };
      buffers(p, cap, series.length);
      plots.set(id, p);
    }
    p.props = props;
    p.series = series;
    return p;
  }

  // The y range over the window is kept as points come and go: a full scan only when a point
  // that held the minimum or maximum leaves the window (uPlot would scan every redraw).
  function widen(p, ys, from, to) {
    for (const y of ys)
      for (let i = from; i < to; i++) {
        const v = y[i];
        if (v < p.ymin) p.ymin = v;
        if (v > p.ymax) p.ymax = v;
      }
  }
  function rescan(p) {
    p.ymin = Infinity, p.ymax = -Infinity, p.stale = false;
    widen(p, p.ys, p.start, p.start + p.len);
  }

  // Adds n points of x and ys at the end of the window, dropping the oldest past cap.
  function append(p, x, ys, whole) {
    if (whole) p.start = p.len = 0, p.ymin = Infinity, p.ymax = -Infinity, p.stale = false;
    let n = x.length, from = 0;
    if (n > p.cap) from = n - p.cap, n = p.cap;
    if (p.len + n > p.cap) { // the oldest go: did they hold an extreme?
      const drop = p.len + n - p.cap;
      for (const y of p.ys)
        for (let i = p.start; i < p.start + drop && !p.stale; i++)
          if (y[i] <= p.ymin || y[i] >= p.ymax) p.stale = true;
      p.start += drop;
      p.len = p.cap - n;
    }
    if (p.start + p.len + n > 2 * p.cap) { // move the window back to the left
      p.xs.copyWithin(0, p.start, p.start + p.len);
      for (const y of p.ys) y.copyWithin(0, p.start, p.start + p.len);
      p.start = 0;
    }
    const at = p.start + p.len;
    p.xs.set(from ? x.subarray(from) : x, at);
    p.ys.forEach((y, k) => y.set(from ? ys[k].subarray(from) : ys[k], at));
    if (!p.stale) widen(p, p.ys, at, at + n);
    p.len += n;
    p.seen += x.length;
  }

  const view = (p) => [p.xs.subarray(p.start, p.start + p.len),
    ...p.ys.map((y) => y.subarray(p.start, p.start + p.len))];

  // A window of many more points than the plot has pixel columns is drawn from its min and max
  // per column and series (two points a column, in buffers kept between redraws): the picture is
  // the same, and a redraw costs the same at 100,000 points as at 4,000.
  function decimated(p) {
    const w = Math.max(1, Math.round(p.u.bbox.width / (devicePixelRatio || 1)));
    if (p.len <= 4 * w) return view(p);
    if (!p.dec || p.dec.w !== w) {
      p.dec = { w, xs: new Float64Array(2 * w), ys: p.ys.map(() => new Float64Array(2 * w)) };
    }
    const { xs, ys } = p.dec, k = p.ys.length, a = p.start, b = p.start + p.len;
    const x0 = p.xs[a], scale = w / ((p.xs[b - 1] - x0) || 1);
    let m = 0;
    for (let i = a; i < b;) {
      const col = Math.min(w - 1, Math.floor((p.xs[i] - x0) * scale));
      let j = i + 1;
      while (j < b && Math.min(w - 1, Math.floor((p.xs[j] - x0) * scale)) === col) j++;
      xs[m] = p.xs[i], xs[m + 1] = p.xs[j - 1];
      for (let s = 0; s < k; s++) {
        const y = p.ys[s];
        let lo = y[i], hi = y[i];
        for (let t = i + 1; t < j; t++) {
          const v = y[t];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        // in the order they came, so a line through the column goes the way the data went
        const loFirst = y.indexOf(lo, i) <= y.indexOf(hi, i);
        ys[s][m] = loFirst ? lo : hi, ys[s][m + 1] = loFirst ? hi : lo;
      }
      m += 2;
      i = j;
    }
    return [xs.subarray(0, m), ...ys.map((y) => y.subarray(0, m))];
  }

  function redraw(p) {
    p.dirty = true;
    if (p.frame) return;
    p.frame = requestAnimationFrame(() => {
      p.frame = 0;
      if (!p.dirty || !p.u) return;
      p.dirty = false;
      if (p.stale) rescan(p);
      const o = p.props, xs = p.xs, a = p.start, b = p.start + p.len - 1;
      p.u.batch(() => {
        p.u.setData(decimated(p), false); // the scales are set here, not found by scanning
        if (p.len) p.u.setScale('x', xs[a] < xs[b] ? { min: xs[a], max: xs[b] } : { min: xs[a] - 1, max: xs[b] + 1 });
        if (!(o.y_min < o.y_max) && p.ymin <= p.ymax) {
          const [min, max] = uPlot.rangeNum(p.ymin, p.ymax, 0.1, true);
          p.u.setScale('y', { min, max });
        }
      });
    });
  }

  function size(p) {
    const live = p.live, legend = p.u.root.querySelector('.u-legend');
    const h = live.clientHeight - (legend ? legend.offsetHeight : 0);
    p.u.setSize({ width: Math.max(50, live.clientWidth), height: Math.max(40, h) });
  }

  // The axes' colours, resolved: pane.css's are light-dark() pairs a canvas cannot take
  function colors(p) {
    const probe = document.createElement('span');
    probe.style.color = 'var(--pn-line)';
    p.el.append(probe);
    p.grid = getComputedStyle(probe).color || '#e3e7eb';
    probe.remove();
    p.ink = getComputedStyle(p.el).color;
  }
  document.addEventListener('pn-theme', () => {
    for (const p of plots.values()) {
      if (!p.u || !p.el || !p.el.isConnected) continue;
      colors(p);
      p.u.redraw(false, true);
    }
  });

  function mount(el, id, ctx) {
    const p = state(el, id, ctx);
    if (p.el === el && p.live && p.live.isConnected) return; // this element already draws
    if (p.u) p.u.destroy();
    if (p.ro) p.ro.disconnect();
    p.el = el;
    const live = document.createElement('div');
    live.className = 'pn-plot-live';
    live.setAttribute('data-pn-client', ''); // not the server's markup (pane.js's canon skips it)
    el.append(live);
    p.live = live;
    const o = p.props, type = ['line', 'area', 'scatter', 'bar', 'step'][o.type] || 'line';
    const css = getComputedStyle(el);
    colors(p);
    const ink = () => p.ink, grid = () => p.grid; // read at each draw: the theme can change
    const axis = (label) => ({ label: label || undefined, stroke: ink, grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 }, font: '12px ' + (css.fontFamily || 'sans-serif'),
      labelFont: 'italic 12px ' + (css.fontFamily || 'sans-serif') });
    p.u = new uPlot({
      width: Math.max(50, live.clientWidth),
      height: Math.max(40, live.clientHeight - 24),
      scales: {
        x: { time: !!o.time_x },
        y: o.y_min < o.y_max ? { range: [o.y_min, o.y_max] } : {},
      },
      axes: [axis(o.x_label), axis(o.y_label)],
      legend: { show: !o.hide_legend, live: true },
      cursor: { points: { size: 6 } },
      series: [{ label: o.x_label || (o.time_x ? 'Time' : 'x') }, ...p.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: type === 'scatter' ? 0 : 1.5,
        fill: type === 'area' || type === 'bar' ? s.color + (type === 'area' ? '33' : 'cc') : undefined,
        paths: PATHS[type](),
        points: { show: type === 'scatter', size: 4, fill: s.color, stroke: s.color },
      }))],
    }, view(p), live);
    size(p);
    // the box, and the legend: its height is taken from the chart's, and it changes when the
    // stylesheet or a font arrives after the mount (a chart measured before that stayed squashed)
    p.ro = new ResizeObserver(() => p.u && size(p));
    p.ro.observe(live);
    const legend = p.u.root.querySelector('.u-legend');
    if (legend) p.ro.observe(legend);
  }

  const module = {
    mount,
    data(el, id, op, x, ys, ctx) {
      const p = state(el, id, ctx);
      if (op !== 1 && op !== 2) return console.warn('pane: plot', id, 'got data op', op);
      if (ys.length !== p.ys.length) return console.warn('pane: plot', id, 'got', ys.length, 'series');
      append(p, x, ys, op === 2);
      if (p.el !== el || !p.live || !p.live.isConnected) mount(el, id, ctx);
      redraw(p);
    },
    reset() {
      plots.forEach((p) => { if (p.u) p.u.destroy(); if (p.ro) p.ro.disconnect(); cancelAnimationFrame(p.frame); });
      plots.clear();
    },
    unmount(el, id) { // a remove op took it off the page
      const p = plots.get(id);
      if (!p) return;
      if (p.u) p.u.destroy();
      if (p.ro) p.ro.disconnect();
      cancelAnimationFrame(p.frame);
      plots.delete(id);
    },
  };
  // before pane.js (the page's own tags): queued for it; after (loaded when an insert op brought
  // the first plot to the page): registered at once, which mounts the plots already there
  if (window.pane && window.pane.kind) window.pane.kind('Plot', module);
  else (window.paneKinds = window.paneKinds || []).push(['Plot', module]);
  // for tests: the points each plot holds and has received
  window.panePlots = () => [...plots.values()].map((p) => ({ id: p.id, len: p.len, seen: p.seen,
    last: p.len ? p.xs[p.start + p.len - 1] : null }));
})();
