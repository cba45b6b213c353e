'use strict';
/*
 * report.html: the analysis, the flame graph and the plots of one recording, drawn from ReportData (see
 * ReportData.java). Every string of the recording is set with textContent or drawn with fillText.
 */
function Report(data) {
  var A = data.analysis, OUT = { success: 'hsl(120,45%,55%)', busy: 'hsl(40,95%,55%)', fallback: 'hsl(275,60%,62%)', failed: 'hsl(0,80%,55%)' };

  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function ns(v) { return v >= 1e6 ? (v / 1e6).toFixed(2) + ' ms' : v >= 1e3 ? (v / 1e3).toFixed(1) + ' µs' : v + ' ns'; }
  function table(head, rows, numeric) {
    var t = el('table', 'r'), tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c, i) { row.appendChild(el('td', numeric && numeric[i] ? 'n' : null, c == null ? '-' : String(c))); });
      t.appendChild(row);
    });
    return t;
  }
  function byId(id) { return document.getElementById(id); }

  var rec = A.recording;
  byId('summary').textContent = rec.hops + ' hops in ' + A.trees + ' call trees, ' + A.allocations + ' allocations, ' +
    A.failedAllocations + ' failed' + (A.unfinishedTrees ? ', ' + A.unfinishedTrees + ' trees unfinished' : '') +
    (rec.chunksDamaged ? ', ' + rec.chunksDamaged + ' damaged chunks' : '') + '.';

  var paths = Object.keys(A.paths).map(function (k) { return [k, A.paths[k]]; });
  var v = byId('verdicts');
  v.appendChild(paths.length ? table(['served by', 'allocations'], paths, [false, true]) : el('p', 'r-none', 'no allocations'));
  if (A.worst.length) {
    v.appendChild(el('p', null, 'Slowest allocations:'));
    v.appendChild(table(['hop', 'thread', 'device', 'size', 'gfp', 'duration', 'served by', 'why'], A.worst.map(function (w) {
      return [w.hopId, w.thread, w.device, w.size, w.gfp, ns(w.durationNanos), w.where, (w.reasons || []).join('; ')];
    }), [true, false, false, true, false, true]));
  }

  var f = byId('findings');
  if (!A.findings.length) f.appendChild(el('p', 'r-none', 'no findings'));
  A.findings.forEach(function (fs) {
    var box = el('div', 'r-finding ' + String(fs.severity).toLowerCase());
    var head = el('div');
    head.appendChild(el('span', 'id', fs.id));
    head.appendChild(document.createTextNode(' ' + fs.severity + ' × ' + fs.count + ' — '));
    head.appendChild(el('span', 'ex', fs.explanation));
    box.appendChild(head);
    box.appendChild(el('pre', null, fs.occurrences.map(function (o) {
      var e = o.evidence, parts = [];
      ['device', 'size', 'gfp', 'errno'].forEach(function (k) { if (e[k] != null) parts.push(k + '=' + e[k]); });
      if (e.pfnRanges && e.pfnRanges.length) parts.push('pfns ' + e.pfnRanges.join(' '));
      if (e.hopIds && e.hopIds.length) parts.push('hops ' + e.hopIds.join(','));
      return '• ' + o.message + '  (root ' + o.rootHopId + (parts.length ? '; ' + parts.join(', ') : '') + ')';
    }).join('\n') + (fs.count > fs.occurrences.length ? '\n… ' + (fs.count - fs.occurrences.length) + ' more' : '')));
    f.appendChild(box);
  });

  var flame = FlameGraph(byId('flame'), data.flame);
  timeline(byId('timeline'));
  cmaMaps(byId('cma'));
  buddyinfo(byId('buddyinfo'));
  latency(byId('latency'));
  retries(byId('retries'));

  function canvasFor(host, w, h) {
    var c = el('canvas'), dpr = window.devicePixelRatio || 1;
    c.width = w * dpr; c.height = h * dpr; c.style.width = w + 'px'; c.style.height = h + 'px';
    host.appendChild(c);
    var g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    return { c: c, g: g };
  }

  function timeline(host) {
    if (!data.threads.length) { host.appendChild(el('p', 'r-none', 'no allocations')); return; }
    var LABEL = 170, ROW = 22, W = Math.max(500, (host.clientWidth || 900) - 4), end = 1;
    data.threads.forEach(function (t) { t.allocations.forEach(function (a) { end = Math.max(end, a.start + a.duration); }); });
    var k = canvasFor(host, W, data.threads.length * ROW + 20), g = k.g, scale = (W - LABEL - 10) / end, boxes = [];
    data.threads.forEach(function (t, i) {
      var y = i * ROW;
      g.fillStyle = '#333';
      g.fillText(t.thread.length > 26 ? t.thread.substring(0, 25) + '…' : t.thread, 2, y + ROW / 2);
      g.fillStyle = '#f3f3f3';
      g.fillRect(LABEL, y + 2, W - LABEL - 10, ROW - 4);
      t.allocations.forEach(function (a) {
        var x = LABEL + a.start * scale, w = Math.max(2, a.duration * scale);
        g.fillStyle = OUT[a.outcome] || '#999';
        g.fillRect(x, y + 3, w, ROW - 6);
        boxes.push({ x: x, y: y, w: w, a: a, t: t.thread });
      });
    });
    g.fillStyle = '#555';
    g.fillText('0', LABEL, data.threads.length * ROW + 10);
    var endText = ns(end);
    g.fillText(endText, W - 10 - g.measureText(endText).width, data.threads.length * ROW + 10);
    var tip = el('div', 'fg-tip'); tip.hidden = true; host.appendChild(tip);
    k.c.addEventListener('mousemove', function (ev) {
      var r = k.c.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top, hit = null;
      boxes.forEach(function (b) { if (x >= b.x - 1 && x <= b.x + b.w + 1 && y >= b.y && y < b.y + ROW) hit = b; });
      if (!hit) { tip.hidden = true; return; }
      var a = hit.a;
      tip.textContent = 'hop ' + a.hopId + ' on ' + hit.t + '\n' + (a.device || '?') + ' size ' + (a.size == null ? '?' : a.size) +
        '\nat ' + ns(a.start) + ', took ' + ns(a.duration) + '\nserved by ' + a.where + ', ' + a.outcome +
        (a.busyRetries ? ', ' + a.busyRetries + ' busy retries' : '');
      tip.hidden = false; tip.style.left = (ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 12) + 'px';
    });
    k.c.addEventListener('mouseleave', function () { tip.hidden = true; });
  }

  // pfn down, time across: what each range of each CMA area was doing when
  function cmaMaps(host) {
    var STATES = { allocated: 'hsl(210,65%,55%)', isolated: 'hsl(55,90%,55%)', migrated: 'hsl(25,90%,58%)', busy: 'hsl(0,80%,55%)' };
    if (!data.cma.length) { host.appendChild(el('p', 'r-none', 'no CMA activity in this recording')); return; }
    var lg = el('div', 'fg-legend'), free = el('span', null, 'free (as far as seen)');
    free.style.setProperty('--c', '#eef0f3'); lg.appendChild(free);
    Object.keys(STATES).forEach(function (k) { var s = el('span', null, k); s.style.setProperty('--c', STATES[k]); lg.appendChild(s); });
    host.appendChild(lg);
    data.cma.forEach(function (m) {
      var LABEL = 110, H = 160, W = Math.max(500, (host.clientWidth || 900) - 4), end = 1, boxes = [];
      m.spans.forEach(function (s) { end = Math.max(end, s.end); });
      host.appendChild(el('div', null, 'CMA area ' + m.area + ': pfn 0x' + m.minPfn.toString(16) + ' – 0x' + m.maxPfn.toString(16)));
      var k = canvasFor(host, W, H + 16), g = k.g, xs = (W - LABEL - 10) / end, ys = H / Math.max(1, m.maxPfn - m.minPfn);
      g.fillStyle = '#eef0f3'; g.fillRect(LABEL, 0, W - LABEL - 10, H);
      g.fillStyle = '#555';
      g.fillText('0x' + m.minPfn.toString(16), 2, 6);
      g.fillText('0x' + m.maxPfn.toString(16), 2, H - 6);
      g.fillText('0', LABEL, H + 9);
      var endText = ns(end); g.fillText(endText, W - 10 - g.measureText(endText).width, H + 9);
      ['allocated', 'isolated', 'migrated', 'busy'].forEach(function (state) {
        m.spans.forEach(function (s) {
          if (s.state !== state) return;
          var x = LABEL + s.start * xs, y = (s.pfn - m.minPfn) * ys, w = Math.max(2, (s.end - s.start) * xs), h = Math.max(2, s.count * ys);
          g.fillStyle = STATES[state]; g.fillRect(x, y, w, h);
          boxes.push({ x: x, y: y, w: w, h: h, s: s });
        });
      });
      var tip = el('div', 'fg-tip'); tip.hidden = true; host.appendChild(tip);
      k.c.addEventListener('mousemove', function (ev) {
        var r = k.c.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top, hit = null;
        boxes.forEach(function (b) { if (x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) hit = b; });
        if (!hit) { tip.hidden = true; return; }
        var s = hit.s;
        tip.textContent = s.state + ' pfn 0x' + s.pfn.toString(16) + ' + ' + s.count + ' pages\n' + ns(s.start) + ' – ' + ns(s.end);
        tip.hidden = false; tip.style.left = (ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 12) + 'px';
      });
      k.c.addEventListener('mouseleave', function () { tip.hidden = true; });
    });
  }

  function all() { var out = []; data.threads.forEach(function (t) { t.allocations.forEach(function (a) { out.push(a); }); }); return out; }

  // a bar chart of counts; labels are the buckets
  function bars(host, title, labels, counts, colour) {
    var box = el('div', 'r-plot'); box.appendChild(el('h3', null, title)); host.appendChild(box);
    var W = Math.max(220, labels.length * 48), H = 130, k = canvasFor(box, W, H), g = k.g, max = Math.max.apply(null, counts.concat([1]));
    var bw = (W - 10) / labels.length;
    counts.forEach(function (c, i) {
      var h = (H - 34) * c / max, x = 5 + i * bw;
      g.fillStyle = colour; g.fillRect(x + 2, H - 22 - h, bw - 4, h);
      g.fillStyle = '#333';
      if (c) g.fillText(String(c), x + 3, H - 28 - h);
      g.save(); g.fillStyle = '#666'; g.fillText(labels[i], x + 2, H - 10); g.restore();
    });
  }

  // free blocks per order of each zone: the first snapshot grey, the last blue
  function buddyinfo(host) {
    var b = data.buddyinfo;
    if (!b) { host.appendChild(el('p', 'r-none', 'no /proc/buddyinfo snapshot in this recording (frag_show not called)')); return; }
    b.zones.forEach(function (z) {
      var box = el('div', 'r-plot'); box.appendChild(el('h3', null, 'Node ' + z.node + ', zone ' + z.zone + ': free blocks per order (log scale)'));
      host.appendChild(box);
      var orders = Math.max(z.before.length, z.after.length), W = Math.max(260, orders * 30), H = 130;
      var k = canvasFor(box, W, H), g = k.g, max = 1;
      z.before.concat(z.after).forEach(function (c) { max = Math.max(max, c); });
      var bw = (W - 10) / orders, scale = function (c) { return c ? (H - 34) * Math.log(1 + c) / Math.log(1 + max) : 0; };
      for (var i = 0; i < orders; i++) {
        var x = 5 + i * bw, hb = scale(z.before[i] || 0), ha = scale(z.after[i] || 0);
        g.fillStyle = '#bbb'; g.fillRect(x + 2, H - 22 - hb, bw / 2 - 2, hb);
        g.fillStyle = 'hsl(210,60%,55%)'; g.fillRect(x + bw / 2, H - 22 - ha, bw / 2 - 2, ha);
        g.fillStyle = '#666'; g.fillText(String(i), x + bw / 2 - 3, H - 10);
      }
      box.appendChild(el('div', 'r-none', 'grey: at ' + ns(b.before) + ' ' + z.before.join(' ') + ' — blue: at ' + ns(b.after) + ' ' + z.after.join(' ')));
    });
  }

  function latency(host) {
    var byPath = {};
    all().forEach(function (a) { (byPath[a.where] = byPath[a.where] || []).push(a.duration); });
    var keys = Object.keys(byPath).sort();
    if (!keys.length) { host.appendChild(el('p', 'r-none', 'no allocations')); return; }
    var lo = Infinity, hi = 0;
    keys.forEach(function (k) { byPath[k].forEach(function (d) { var b = Math.floor(Math.log2(Math.max(d, 1))); lo = Math.min(lo, b); hi = Math.max(hi, b); }); });
    var labels = [];
    for (var b = lo; b <= hi; b++) labels.push(ns(Math.pow(2, b)).replace(/\.\d+/, ''));
    keys.forEach(function (k) {
      var counts = labels.map(function () { return 0; });
      byPath[k].forEach(function (d) { counts[Math.floor(Math.log2(Math.max(d, 1))) - lo]++; });
      bars(host, k + ' (' + byPath[k].length + ', log₂ buckets from)', labels, counts, 'hsl(210,60%,60%)');
    });
  }

  function retries(host) {
    var list = all();
    if (!list.length) { host.appendChild(el('p', 'r-none', 'no allocations')); return; }
    var max = 0;
    list.forEach(function (a) { max = Math.max(max, a.busyRetries); });
    var labels = [], counts = [];
    for (var i = 0; i <= max; i++) { labels.push(String(i)); counts.push(0); }
    list.forEach(function (a) { counts[a.busyRetries]++; });
    bars(host, 'allocations by number of -EBUSY retries', labels, counts, 'hsl(40,90%,55%)');
  }

  return { flame: flame };
}
