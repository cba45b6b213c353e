'use strict';
/*
 * dmatrace flame graph: draws the frame tree of FlameData (see FlameData.java) on a canvas, after
 * async-profiler's flame.html. Frames narrower than MIN_PX are skipped with everything above them, so a
 * 100 000-frame graph draws only what can be seen. Every recording string reaches the page through
 * textContent or fillText, never as markup.
 */
function FlameGraph(host, data) {
  var ROW = 18, MIN_PX = 0.5, NF = 9;
  var OUTCOME_COLOURS = { success: [120, 45, 62], busy: [40, 95, 58], fallback: [275, 60, 68], failed: [0, 80, 60] };
  var SUBSYSTEM_COLOURS = { device: [215, 15, 70], dma: [210, 70, 68], cma: [130, 50, 60], isolation: [55, 85, 55],
    migration: [25, 90, 62], buddy: [180, 55, 55], other: [0, 0, 72] };

  var base = buildTree();
  var diff = !!data.baseline;
  var state = { weight: 'total', colour: diff ? 'diff' : 'outcome', icicle: false, term: '' };
  var view = null, zoomed = null, levels = [], depth = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function select(label, options, value, onchange) {
    var l = el('label', {}, label + ' '), s = el('select', {});
    options.forEach(function (o) { var op = el('option', { value: o[0] }, o[1]); if (o[0] === value) op.selected = true; s.appendChild(op); });
    s.addEventListener('change', function () { onchange(s.value); });
    l.appendChild(s);
    return l;
  }

  var bar = el('div', { 'class': 'fg-bar' });
  var weightSelect = bar.appendChild(select('Width', [['total', 'total time'], ['self', 'self time (leaf first)'], ['calls', 'call count'],
    ['bytes', 'bytes requested']], state.weight, function (v) { state.weight = v; rebuild(); })).querySelector('select');
  var colours = [['outcome', 'outcome'], ['subsystem', 'subsystem']];
  if (diff) colours.unshift(['diff', 'difference']);
  bar.appendChild(select('Colour', colours, state.colour, function (v) { state.colour = v; legend(); draw(); }));
  var icicleBox = el('input', { type: 'checkbox' });
  var icicleLabel = el('label', {}, 'icicle');
  icicleLabel.insertBefore(icicleBox, icicleLabel.firstChild);
  icicleBox.addEventListener('change', function () { state.icicle = icicleBox.checked; draw(); });
  bar.appendChild(icicleLabel);
  var searchBox = el('input', { type: 'search', placeholder: 'search frames (substring)', 'aria-label': 'search' });
  searchBox.addEventListener('input', function () { search(searchBox.value); });
  bar.appendChild(searchBox);
  var matchLabel = el('span', { 'class': 'fg-match' });
  bar.appendChild(matchLabel);
  var resetButton = el('button', { type: 'button' }, 'Reset');
  resetButton.addEventListener('click', reset);
  bar.appendChild(resetButton);
  var legendBox = el('div', { 'class': 'fg-legend' });
  var canvas = el('canvas', { 'class': 'fg-canvas' });
  var status = el('div', { 'class': 'fg-status' });
  var tip = el('div', { 'class': 'fg-tip', hidden: '' });
  [bar, legendBox, canvas, status, tip].forEach(function (e) { host.appendChild(e); });
  var ctx = canvas.getContext('2d');

  function buildTree() {
    var F = data.frames, S = data.strings, n = F.length / NF, stack = [], root = null;
    for (var i = 0; i < n; i++) {
      var o = i * NF, d = F[o];
      var node = { label: S[F[o + 1]], o: data.outcomes[F[o + 2]], s: data.subsystems[F[o + 3]], total: F[o + 4],
        self: F[o + 5], calls: F[o + 6], bytes: F[o + 7], ex: F[o + 8] < 0 ? null : S[F[o + 8]],
        a: baselineOf(i), kids: [], parent: null, w: 0, bw: 0 };
      stack.length = d;
      if (d > 0) { node.parent = stack[d - 1]; node.parent.kids.push(node); } else root = node;
      stack.push(node);
    }
    return root;
  }

  // a differential graph's frame as it was before; null when it is new (or the graph is not a diff)
  function baselineOf(i) {
    var B = data.baseline, o = i * 4;
    if (!B || B[o] < 0) return null;
    return { total: B[o], self: B[o + 1], calls: B[o + 2], bytes: B[o + 3], s: data.subsystems[data.frames[i * NF + 3]] };
  }

  // widths for the chosen weight: a frame covers at least its callees; bw is the same before (diff only)
  function width(m, weight, sum, isRoot) {
    if (weight === 'total') return Math.max(m.total, sum);
    if (weight === 'calls') return (m.s === 'device' || isRoot ? 0 : m.calls) + sum;
    return Math.max(m.bytes, sum);
  }
  function weigh(node, weight) {
    var sum = 0, bsum = 0;
    for (var i = 0; i < node.kids.length; i++) { sum += weigh(node.kids[i], weight); bsum += node.kids[i].bw; }
    node.w = width(node, weight, sum, !node.parent);
    node.bw = node.a ? width(node.a, weight, bsum, !node.parent) : 0;
    return node.w;
  }

  // self time, stacks read from the leaf: each frame's self time lands on its reversed path
  function reversed() {
    var root = { label: 'all', o: 'success', s: 'other', kids: [], parent: null, w: 0, byKey: {} };
    (function visit(node) {
      if (node.parent && node.self > 0) {
        var at = root;
        root.w += node.self;
        for (var p = node; p.parent; p = p.parent) {
          var next = at.byKey[p.label];
          if (!next) {
            next = { label: p.label, o: p.o, s: p.s, total: 0, self: 0, calls: 0, bytes: 0, ex: null, kids: [], parent: at, w: 0, byKey: {} };
            at.byKey[p.label] = next;
            at.kids.push(next);
          }
          next.w += node.self;
          next.self += p === node ? node.self : 0;
          at = next;
        }
      }
      node.kids.forEach(visit);
    })(base);
    (function sort(n) { n.kids.sort(function (a, b) { return a.label < b.label ? -1 : a.label > b.label ? 1 : 0; }); n.kids.forEach(sort); })(root);
    return root;
  }

  function maxDepth(n) { var d = 0; for (var i = 0; i < n.kids.length; i++) d = Math.max(d, maxDepth(n.kids[i])); return d + 1; }

  function rebuild() {
    if (state.weight === 'self') view = reversed(); else { weigh(base, state.weight); view = base; }
    depth = maxDepth(view);
    zoomed = view;
    mark(view);
    draw();
  }

  function colour(node) {
    if (node.m) return 'hsl(300,80%,62%)';
    if (!node.parent) return 'hsl(0,0%,80%)';
    var hash = 0;
    for (var i = 0; i < node.label.length; i++) hash = (hash * 31 + node.label.charCodeAt(i)) | 0;
    var v = ((hash >>> 0) % 1000) / 1000;
    if (state.colour === 'diff' && state.weight !== 'self') {
      if (!node.a) return 'hsl(55,95%,60%)';
      var d = node.w - node.bw, rel = Math.min(1, Math.abs(d) / Math.max(node.w, node.bw, 1));
      if (d === 0) return 'hsl(0,0%,86%)';
      return 'hsl(' + (d > 0 ? 0 : 220) + ',' + Math.round(40 + 55 * rel) + '%,' + Math.round(85 - 30 * rel) + '%)';
    }
    var c = (state.colour === 'subsystem' ? SUBSYSTEM_COLOURS[node.s] : OUTCOME_COLOURS[node.o]) || [0, 0, 75];
    return 'hsl(' + (c[0] + (v - 0.5) * 16) + ',' + c[1] + '%,' + (c[2] + (v - 0.5) * 10) + '%)';
  }

  function legend() {
    legendBox.textContent = '';
    var table = state.colour === 'subsystem' ? SUBSYSTEM_COLOURS : state.colour === 'outcome' ? OUTCOME_COLOURS : null;
    var items = table ? Object.keys(table).map(function (k) { var c = table[k]; return [k, 'hsl(' + c[0] + ',' + c[1] + '%,' + c[2] + '%)']; })
      : [['grew', 'hsl(0,95%,55%)'], ['shrank', 'hsl(220,95%,55%)'], ['new', 'hsl(55,95%,60%)'], ['unchanged', 'hsl(0,0%,86%)']];
    items.push(['search match', 'hsl(300,80%,62%)']);
    items.forEach(function (it) { var s = el('span', {}, it[0]); s.style.setProperty('--c', it[1]); legendBox.appendChild(s); });
  }

  function draw() {
    var dpr = window.devicePixelRatio || 1, W = canvas.clientWidth || host.clientWidth || 800;
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(depth * ROW * dpr);
    canvas.style.height = depth * ROW + 'px';
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    levels = [];
    for (var i = 0; i < depth; i++) levels.push([]);
    var chain = [];
    for (var p = zoomed.parent; p; p = p.parent) chain.unshift(p);
    chain.forEach(function (a, lvl) { frame(a, lvl, 0, W, true); });
    if (zoomed.w > 0) layout(zoomed, chain.length, 0, W / zoomed.w);
  }

  function layout(node, lvl, x, scale) {
    var w = node.w * scale;
    if (w < MIN_PX) return;
    frame(node, lvl, x, w, false);
    for (var i = 0; i < node.kids.length; i++) {
      layout(node.kids[i], lvl + 1, x, scale);
      x += node.kids[i].w * scale;
    }
  }

  function frame(node, lvl, x, w, dim) {
    var y = state.icicle ? lvl * ROW : (depth - 1 - lvl) * ROW;
    levels[lvl].push({ x: x, w: w, node: node });
    ctx.globalAlpha = dim ? 0.5 : 1;
    ctx.fillStyle = colour(node);
    ctx.fillRect(x, y, Math.max(w - 1, 0.5), ROW - 1);
    if (w > 28) {
      ctx.fillStyle = '#000';
      var t = node.label, room = w - 6;
      if (ctx.measureText(t).width > room) {
        var n = Math.floor(t.length * room / ctx.measureText(t).width) - 2;
        t = n > 1 ? t.substring(0, n) + '..' : '';
      }
      ctx.fillText(t, x + 3, y + ROW / 2);
    }
    ctx.globalAlpha = 1;
  }

  function at(ev) {
    var r = canvas.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
    var row = Math.floor(y / ROW), lvl = state.icicle ? row : depth - 1 - row;
    var list = levels[lvl];
    if (!list) return null;
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, f = list[mid];
      if (x < f.x) hi = mid - 1; else if (x >= f.x + f.w) lo = mid + 1; else return f;
    }
    return null;
  }

  function fmt(v) {
    if (state.weight === 'calls') return v + ' calls';
    if (state.weight === 'bytes') return v >= 1048576 ? (v / 1048576).toFixed(1) + ' MiB' : v >= 1024 ? (v / 1024).toFixed(1) + ' KiB' : v + ' B';
    return ns(v);
  }
  function ns(v) { return v >= 1e6 ? (v / 1e6).toFixed(2) + ' ms' : v >= 1e3 ? (v / 1e3).toFixed(1) + ' µs' : v + ' ns'; }
  function pct(v, of) { return of > 0 ? (100 * v / of).toFixed(2) + '%' : '0%'; }

  function describe(n) {
    var lines = [n.label, fmt(n.w) + ' (' + pct(n.w, view.w) + ' of all)'];
    if (n.calls) lines.push('calls ' + n.calls + ', total ' + ns(n.total) + ', self ' + ns(n.self) + (n.bytes ? ', bytes ' + n.bytes : ''));
    else if (n.self) lines.push('self ' + ns(n.self));
    lines.push('outcome ' + n.o + ', subsystem ' + n.s);
    if (diff && state.weight !== 'self') lines.push(!n.a ? 'new frame' : 'before ' + fmt(n.bw) + ', now ' + fmt(n.w) + ' (' + (n.w >= n.bw ? '+' : '-') + fmt(Math.abs(n.w - n.bw)) + ')');
    if (n.ex) lines.push('slowest hop: ' + n.ex);
    return lines.join('\n');
  }

  canvas.addEventListener('mousemove', function (ev) {
    var f = at(ev);
    if (!f) { tip.hidden = true; return; }
    tip.textContent = describe(f.node);
    tip.hidden = false;
    var x = ev.clientX + 12, y = ev.clientY + 14;
    if (x + tip.offsetWidth > window.innerWidth) x = Math.max(0, ev.clientX - tip.offsetWidth - 8);
    if (y + tip.offsetHeight > window.innerHeight) y = Math.max(0, ev.clientY - tip.offsetHeight - 8);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  });
  canvas.addEventListener('mouseleave', function () { tip.hidden = true; });
  canvas.addEventListener('click', function (ev) { var f = at(ev); if (f) zoom(f.node); });
  window.addEventListener('resize', function () { window.requestAnimationFrame(draw); });

  function zoom(node) {
    zoomed = node;
    status.textContent = node === view ? '' : 'zoomed on ' + node.label + ' — click the bottom frame or Reset to go back';
    draw();
  }

  function reset() { searchBox.value = ''; search(''); zoom(view); }

  // marks the matching frames; the percentage counts a match inside another match once
  function mark(n, covered) {
    n.m = state.term !== '' && n.parent != null && n.label.toLowerCase().indexOf(state.term) >= 0;
    var sum = n.m && !covered ? n.w : 0;
    for (var i = 0; i < n.kids.length; i++) sum += mark(n.kids[i], covered || n.m);
    return sum;
  }

  function search(term) {
    state.term = term.toLowerCase();
    var matched = mark(view, false), share = view.w > 0 ? 100 * matched / view.w : 0;
    matchLabel.textContent = state.term ? 'matched ' + share.toFixed(2) + '%' : '';
    draw();
    return share;
  }

  legend();
  rebuild();

  // what the self-test (and a curious console user) may ask
  return {
    canvas: canvas,
    weightSelect: weightSelect,
    icicleBox: icicleBox,
    search: function (t) { searchBox.value = t; return search(t); },
    zoomed: function () { return zoomed; },
    drawn: function () { var out = []; levels.forEach(function (l) { l.forEach(function (f) { out.push(f); }); }); return out; },
    frameAt: function (label) { var all = this.drawn(); for (var i = 0; i < all.length; i++) if (all[i].node.label === label) return all[i]; return null; },
    rowY: function (f) { var lvl = levels.findIndex(function (l) { return l.indexOf(f) >= 0; }); return (state.icicle ? lvl : depth - 1 - lvl) * ROW + ROW / 2; },
    reset: reset
  };
}

/* ?selftest=1: searches for cma_alloc, clicks the first cma_alloc frame like a person would, and writes what
 * happened into #selftest for a headless browser's --dump-dom. */
function flameSelfTest(g, out) {
  function labels(g) { var l = []; g.drawn().forEach(function (f) { if (l.indexOf(f.node.label) < 0) l.push(f.node.label); }); return l; }
  // from navigation start to a parsed, drawn page: what the 100 000-frame harness reports
  var r = { frames: [], errors: null, msToDrawn: Math.round(performance.now()) };
  r.frames = labels(g);
  r.searchMatchedPercent = g.search('cma_alloc');
  var target = g.drawn().filter(function (f) { return f.node.label.indexOf('cma_alloc') === 0; })[0];
  if (target) {
    r.clicked = target.node.label;
    r.clickedWidthBefore = target.w;
    var box = g.canvas.getBoundingClientRect();
    g.canvas.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: box.left + target.x + target.w / 2, clientY: box.top + g.rowY(target) }));
    r.zoomedOn = g.zoomed().label;
    var after = g.frameAt(r.zoomedOn);
    r.zoomedWidthAfter = after ? after.w : 0;
    r.canvasWidth = g.canvas.clientWidth;
  }
  // the controls, operated the way a person does: change events on the page's own inputs
  g.reset();
  g.weightSelect.value = 'calls';
  g.weightSelect.dispatchEvent(new Event('change'));
  r.framesByCalls = labels(g);
  g.icicleBox.checked = true;
  g.icicleBox.dispatchEvent(new Event('change'));
  var top = g.drawn().filter(function (f) { return f.node.label === 'all'; })[0];
  r.icicleRootRow = top ? Math.floor(g.rowY(top) / 18) : -1;
  r.errors = window.__errors || [];
  out.textContent = JSON.stringify(r);
  out.hidden = false;
}
