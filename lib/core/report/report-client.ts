/**
 * The report page's own script, as source text inlined next to the chart library. It reads the chart
 * specs from the JSON block, adds tooltip formatters (functions cannot travel in JSON) that escape
 * every string, draws each chart, and keeps charts sized to their boxes. Plain ES2017 so any browser
 * that runs ECharts runs it; no network, no eval.
 */
export const REPORT_CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var dataEl = document.getElementById('report-data');
  if (!dataEl || typeof echarts === 'undefined') return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  function lines(xs) { return xs.map(esc).join('<br>'); }
  function num(v) {
    if (typeof v !== 'number') return esc(v);
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3)));
  }
  function itemTip(p) {
    if (p && p.data && p.data.tip) return lines(p.data.tip);
    return esc(p.name) + ': ' + num(p.value);
  }
  function axisTip(kind) {
    return function (ps) {
      if (!ps || !ps.length) return '';
      var p = ps[0];
      var v = p.value || [];
      if (kind === 'arrivals') {
        return esc(new Date(v[0]).toISOString().slice(0, 16).replace('T', ' ') + ' UTC') + '<br>' +
          p.marker + esc(p.seriesName) + ': <b>' + num(v[1]) + '</b>';
      }
      return p.marker + esc(Math.round(v[1] * 100) + '% of think times') + ' ≤ <b>' + num(v[0]) + ' s</b>';
    };
  }
  // Markov graphs carry node positions in 0..1 (nx, ny): place them in pixels for this box, and pin
  // the view to the box with two invisible corner anchors, so ECharts draws 1:1 and nodes stay round.
  var PAD = { side: 80, top: 56, bottom: 52 };
  function placeGraph(series, el) {
    var w = Math.max(el.clientWidth, 200), hgt = Math.max(el.clientHeight, 160);
    var side = Math.min(PAD.side, w * 0.12);
    var iw = w - 2 * side, ih = hgt - PAD.top - PAD.bottom;
    var nodes = series.data.filter(function (d) { return d.id !== '$anchor0' && d.id !== '$anchor1'; });
    nodes.forEach(function (d) { d.x = side + d.nx * iw; d.y = PAD.top + d.ny * ih; });
    var anchor = { symbolSize: 0, label: { show: false }, tooltip: { show: false }, emphasis: { disabled: true } };
    series.data = nodes.concat([
      Object.assign({ id: '$anchor0', name: '', x: 0, y: 0 }, anchor),
      Object.assign({ id: '$anchor1', name: '', x: w, y: hgt }, anchor)
    ]);
    return series;
  }
  var charts = [];
  var specs = {};
  (data.charts || []).forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) return;
    var option = spec.option;
    if (option.tooltip) {
      option.tooltip.formatter = option.tooltip.trigger === 'axis' ? axisTip(spec.kind) : itemTip;
      option.tooltip.confine = true;
    }
    if (spec.kind === 'markov') placeGraph(option.series[0], el);
    specs[spec.id] = spec;
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(option);
    el.setAttribute('data-drawn', 'true');
    charts.push(chart);
  });
  if (typeof ResizeObserver === 'function') {
    var ro = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        var c = echarts.getInstanceByDom(entry.target);
        if (!c) return;
        c.resize();
        var spec = specs[entry.target.id];
        if (spec && spec.kind === 'markov') c.setOption({ series: [{ data: placeGraph(spec.option.series[0], entry.target).data }] });
      });
    });
    charts.forEach(function (c) { ro.observe(c.getDom()); });
  } else {
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  }
  document.documentElement.setAttribute('data-charts-ready', String(charts.length));
})();
`;
