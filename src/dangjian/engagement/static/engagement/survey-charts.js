// Survey results as ECharts bar charts. The data comes from the page's
// <script type="application/json" id="survey-charts"> (json_script): no inline script.
(function () {
  "use strict";
  var RED = "#C8161D", GOLD = "#D4A017", GREYS = ["#C8161D", "#D4A017", "#6c757d", "#adb5bd", "#343a40", "#8c1015"];
  function draw() {
    var source = document.getElementById("survey-charts");
    if (!source || !window.echarts) return;
    var charts = JSON.parse(source.textContent || "[]");
    charts.forEach(function (c) {
      var el = document.getElementById(c.id);
      if (!el) return;
      var q = c.data, option;
      if (q.kind === "matrix") {
        option = {
          color: GREYS,
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: q.rows, inverse: true },
          series: q.options.map(function (o, j) {
            return { name: o, type: "bar", stack: "all", data: q.counts.map(function (row) { return row[j]; }) };
          })
        };
      } else {
        option = {
          color: [q.kind === "rating" ? GOLD : RED],
          tooltip: { trigger: "axis" },
          grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: q.options, inverse: true },
          series: [{ type: "bar", data: q.counts, label: { show: true, position: "right" } }]
        };
      }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
