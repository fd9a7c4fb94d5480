// The 驾驶舱's charts: every element with data-chart="<id>" is drawn with ECharts from the
// option in <script type="application/json" id="<id>"> (Django's json_script), so the
// page holds no inline script (strict CSP). Charts follow the window's size.
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) {
      return;
    }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(source.textContent));
      charts.push(chart);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (c) { c.resize(); });
      }, 150);
    });
    // The big screen's clock (the page itself reloads by <meta http-equiv="refresh">).
    var clock = document.querySelector("[data-clock]");
    if (clock) {
      var tick = function () {
        var now = new Date();
        var text = now.toLocaleString("zh-CN", {
          timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric",
          hour: "2-digit", minute: "2-digit", hour12: false
        });
        clock.textContent = text;
      };
      tick();
      window.setInterval(tick, 30000);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
