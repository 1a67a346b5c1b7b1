// Draws the report's charts with Chart.js from the data the page carries (script#report-data).
// Every chart is registered in window.llmBridgeCharts by its canvas id, for whoever wants to
// inspect it (the browser test counts their data points).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = {};
  window.llmBridgeCharts = charts;

  var colours = {
    ok: '#4c78a8',
    failed: '#e45756',
    p50: '#4c78a8',
    p95: '#f58518',
    p99: '#e45756',
    retries: '#f58518',
    fallbacks: '#b279a2',
    cost: '#54a24b',
    tokens: '#4c78a8'
  };
  var palette = ['#e45756', '#f58518', '#eeca3b', '#b279a2', '#9d755d', '#72b7b2', '#4c78a8', '#54a24b', '#ff9da6', '#bab0ac'];

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.plugins.legend.position = 'bottom';

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      charts[id] = new Chart(canvas, config);
    }
  }

  function dollars(v) {
    return '$' + (v >= 1 ? v.toFixed(2) : v.toPrecision(3));
  }

  function millis(v) {
    return v >= 10000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms';
  }

  // on a log axis, label only 1, 2 and 5 times a power of ten
  function logTick(v) {
    var m = v / Math.pow(10, Math.floor(Math.log10(v)));
    return [1, 2, 5].indexOf(Math.round(m * 100) / 100) >= 0 ? millis(v) : '';
  }

  var t = data.time;
  if (t) {
    draw('chart-calls', {
      type: 'bar',
      data: {
        labels: t.labels,
        datasets: [
          { label: 'succeeded', data: t.ok, backgroundColor: colours.ok, stack: 'calls' },
          { label: 'failed', data: t.failed, backgroundColor: colours.failed, stack: 'calls' }
        ]
      },
      options: {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'calls per ' + data.bucket } } },
        plugins: { tooltip: { mode: 'index', intersect: false } }
      }
    });
    draw('chart-latency', {
      type: 'line',
      data: {
        labels: t.labels,
        datasets: [
          { label: 'p50', data: t.p50, borderColor: colours.p50, backgroundColor: colours.p50, pointRadius: 0, borderWidth: 2 },
          { label: 'p95', data: t.p95, borderColor: colours.p95, backgroundColor: colours.p95, pointRadius: 0, borderWidth: 2 },
          { label: 'p99', data: t.p99, borderColor: colours.p99, backgroundColor: colours.p99, pointRadius: 0, borderWidth: 2 }
        ]
      },
      options: {
        scales: { y: { type: 'logarithmic', title: { display: true, text: 'latency (log scale)' }, ticks: { callback: logTick } } },
        plugins: { tooltip: { mode: 'index', intersect: false, callbacks: { label: function (c) { return c.dataset.label + ': ' + millis(c.parsed.y); } } } }
      }
    });
    draw('chart-retries', {
      type: 'line',
      data: {
        labels: t.labels,
        datasets: [
          { label: 'retries (attempts after the first)', data: t.retries, borderColor: colours.retries, backgroundColor: colours.retries, pointRadius: 0, borderWidth: 2 },
          { label: 'calls that fell back to another model', data: t.fallbacks, borderColor: colours.fallbacks, backgroundColor: colours.fallbacks, pointRadius: 0, borderWidth: 2 }
        ]
      },
      options: {
        scales: { y: { beginAtZero: true, title: { display: true, text: 'per ' + data.bucket } } },
        plugins: { tooltip: { mode: 'index', intersect: false } }
      }
    });
    draw('chart-cost', {
      type: 'line',
      data: {
        labels: t.labels,
        datasets: [
          { label: 'cost (US$)', data: t.cumulativeCost, yAxisID: 'cost', borderColor: colours.cost, backgroundColor: colours.cost, pointRadius: 0, borderWidth: 2 },
          { label: 'tokens', data: t.cumulativeTokens, yAxisID: 'tokens', borderColor: colours.tokens, backgroundColor: colours.tokens, pointRadius: 0, borderWidth: 2 }
        ]
      },
      options: {
        scales: {
          cost: { position: 'left', beginAtZero: true, title: { display: true, text: 'US$ so far' }, ticks: { callback: function (v) { return dollars(v); } } },
          tokens: { position: 'right', beginAtZero: true, title: { display: true, text: 'tokens so far' }, grid: { drawOnChartArea: false } }
        },
        plugins: { tooltip: { mode: 'index', intersect: false } }
      }
    });
  }

  if (data.categories) {
    draw('chart-categories', {
      type: 'bar',
      data: {
        labels: data.categories.labels,
        datasets: [{ label: 'failed calls', data: data.categories.counts, backgroundColor: palette }]
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } }
    });
  }

  // cost per group: bars beside the calls for unordered groups (models), a line along ordered ones (steps)
  function groupChart(id, group, axisTitle, costAsLine) {
    if (!group) {
      return;
    }
    var cost = costAsLine
      ? { label: 'cost (US$)', data: group.cost, type: 'line', borderColor: colours.cost, backgroundColor: colours.cost, yAxisID: 'cost', pointRadius: group.labels.length > 40 ? 0 : 3, borderWidth: 2 }
      : { label: 'cost (US$)', data: group.cost, backgroundColor: colours.cost, stack: 'cost', yAxisID: 'cost' };
    draw(id, {
      type: 'bar',
      data: {
        labels: group.labels,
        datasets: [
          { label: 'succeeded', data: group.ok, backgroundColor: colours.ok, stack: 'calls', yAxisID: 'calls' },
          { label: 'failed', data: group.failed, backgroundColor: colours.failed, stack: 'calls', yAxisID: 'calls' },
          cost
        ]
      },
      options: {
        scales: {
          x: { stacked: true, title: { display: true, text: axisTitle } },
          calls: { position: 'left', stacked: true, beginAtZero: true, title: { display: true, text: 'calls' } },
          cost: { position: 'right', beginAtZero: true, title: { display: true, text: 'US$' }, grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return dollars(v); } } }
        },
        plugins: { tooltip: { mode: 'index', intersect: false } }
      }
    });
  }

  groupChart('chart-models', data.models, 'model requested', false);
  groupChart('chart-prefixes', data.prefixes, 'session prefix', true);
})();
