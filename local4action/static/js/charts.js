/* Draw <figure class="chart" data-chart="{json}"> with Chart.js (vendor/chartjs, loaded first).
   The figure's data table is the text alternative and stays beside the chart; without
   JavaScript only the table shows. The JSON comes from local4action/core/charts.py and the
   apps' charts.py (monitoring, surveys): kind "indicator" (measured values and the straight
   path from baseline to target), "bars" (counts) or "timeline" (deliverables at their due
   dates). No animation for people who ask for reduced motion. */
(function () {
  "use strict";
  if (!window.Chart) return;

  var style = getComputedStyle(document.documentElement);
  function cssColor(name, fallback) {
    return (style.getPropertyValue(name) || "").trim() || fallback;
  }
  var colors = {
    brand: cssColor("--brand", "#0b5394"),
    accent: cssColor("--accent", "#c2410c"),
    text: cssColor("--text", "#1f2933"),
    muted: cssColor("--muted", "#52606d"),
    line: cssColor("--line", "#cbd2d9"),
  };
  var lang = document.documentElement.lang || undefined;
  // Dates travel as YYYY-MM-DD (midnight UTC): format them in UTC so no day shifts.
  var dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" });
  var numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  Chart.defaults.color = colors.text;
  Chart.defaults.borderColor = colors.line;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;

  function day(iso) {
    return Date.parse(iso);
  }
  function formatDay(value) {
    return dateFormat.format(new Date(value));
  }
  function dateAxis() {
    return { type: "linear", ticks: { callback: formatDay, maxTicksLimit: 6, maxRotation: 0 } };
  }

  function indicator(spec) {
    // From the baseline to the target date, or to the last measurement when it is later.
    var x = dateAxis();
    x.min = day(spec.path[0][0]);
    x.max = Math.max(
      day(spec.path[1][0]),
      spec.measured.length ? day(spec.measured[spec.measured.length - 1][0]) : 0
    );
    return {
      type: "line",
      data: {
        datasets: [
          {
            label: spec.labels.measured,
            data: spec.measured.map(function (p) { return { x: day(p[0]), y: p[1] }; }),
            borderColor: colors.brand,
            backgroundColor: colors.brand,
            pointStyle: "circle",
            pointRadius: 3,
            pointHoverRadius: 5,
          },
          {
            label: spec.labels.path,
            data: spec.path.map(function (p) { return { x: day(p[0]), y: p[1] }; }),
            borderColor: colors.accent,
            backgroundColor: colors.accent,
            borderDash: [6, 4],
            pointStyle: "line",
            pointRadius: 0,
            pointHitRadius: 0,
          },
        ],
      },
      options: {
        scales: {
          x: x,
          y: {
            title: { display: true, text: spec.unit },
            ticks: { callback: function (v) { return numberFormat.format(v); } },
          },
        },
        plugins: {
          legend: { labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              title: function (items) { return formatDay(items[0].parsed.x); },
              label: function (item) {
                return item.dataset.label + ": " + numberFormat.format(item.parsed.y) + " " + spec.unit;
              },
            },
          },
        },
      },
      rows: 0,
    };
  }

  function bars(spec) {
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [
          {
            label: spec.series,
            data: spec.values,
            backgroundColor: spec.colors.map(function (c) { return c || colors.brand; }),
            borderWidth: 0,
          },
        ],
      },
      options: {
        indexAxis: "y",
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } },
      },
      rows: spec.labels.length,
    };
  }

  function timeline(spec) {
    var labels = spec.items.map(function (item) { return item.label; });
    var datasets = spec.states.map(function (state) {
      return {
        label: state.label,
        data: spec.items
          .filter(function (item) { return item.state === state.key; })
          .map(function (item) { return { x: day(item.due), y: item.label }; }),
        borderColor: state.color,
        backgroundColor: state.color,
        pointStyle: state.shape,
        pointRadius: 6,
        pointHoverRadius: 8,
        borderWidth: 2,
      };
    });
    datasets.push({
      label: spec.labels.today,
      data: [
        { x: day(spec.today), y: labels[0] },
        { x: day(spec.today), y: labels[labels.length - 1] },
      ],
      showLine: true,
      borderColor: colors.muted,
      backgroundColor: colors.muted,
      borderDash: [4, 4],
      pointRadius: 0,
      pointHitRadius: 0,
      pointStyle: "line",
    });
    var xAxis = dateAxis();
    xAxis.title = { display: true, text: spec.labels.due };
    return {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        scales: { x: xAxis, y: { type: "category", labels: labels, offset: true } },
        plugins: {
          legend: { labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.raw.y + " — " + item.dataset.label + ": " + formatDay(item.parsed.x);
              },
            },
          },
        },
      },
      rows: labels.length,
    };
  }

  var builders = { indicator: indicator, bars: bars, timeline: timeline };

  function draw(figure) {
    if (figure.classList.contains("chart-drawn")) return;
    var spec;
    try {
      spec = JSON.parse(figure.getAttribute("data-chart"));
    } catch (error) {
      return;
    }
    var build = builders[spec.kind];
    if (!build) return;
    var config = build(spec);
    // One row per bar or deliverable; a fixed height for a time series.
    var height = config.rows ? Math.max(160, config.rows * 30 + 70) : 288;
    delete config.rows;
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    if (reducedMotion.matches) config.options.animation = false;

    var box = document.createElement("div");
    box.className = "chart-canvas";
    box.style.height = height + "px";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", spec.summary);
    canvas.textContent = spec.summary;
    box.appendChild(canvas);
    var body = figure.querySelector(".chart-body") || figure;
    body.insertBefore(box, body.firstChild);
    try {
      new Chart(canvas, config);
      figure.classList.add("chart-drawn");
    } catch (error) {
      box.remove();
    }
  }

  function drawAll(root) {
    (root || document).querySelectorAll("figure.chart[data-chart]").forEach(draw);
  }

  drawAll(document);
  // Content that htmx swaps in later gets its charts too.
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.querySelectorAll) drawAll(event.target);
  });
})();
