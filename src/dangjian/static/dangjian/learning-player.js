/* The study page's player (learning/m_study.html): starts a study session, reports the
   position every few seconds while the page is visible (and, for audio and video, while it
   plays), and moves the progress bar by the server's answers only. The server decides what
   counts; this file only reports. No inline script: CSP strict. */
(function () {
  "use strict";
  var INTERVAL_MS = 10000;

  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.content : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body || {})
    }).then(function (resp) {
      return resp.json().then(function (data) { return { status: resp.status, data: data }; });
    });
  }

  function init(root) {
    var lesson = root.getAttribute("data-study-lesson");
    var timed = root.getAttribute("data-study-timed") === "1";
    var media = root.querySelector("[data-study-media]");
    var bar = root.querySelector("[data-study-bar]");
    var wrap = root.querySelector("[data-study-bar-wrap]");
    var label = root.querySelector("[data-study-percent]");
    var status = root.querySelector("[data-study-status]");
    var base = "/api/v1/learning/lessons/" + lesson;
    var session = null;
    var timer = null;

    function show(percent, text) {
      bar.style.width = percent + "%";
      wrap.setAttribute("aria-valuenow", String(percent));
      label.textContent = percent + "%";
      if (text) { status.textContent = text; }
    }

    function start() {
      return post(base + "/sessions").then(function (r) {
        if (r.status === 201) { session = r.data.session; } else { status.textContent = r.data.detail || "无法开始学习"; }
      });
    }

    function beat(force) {
      if (!session || document.hidden) { return; }
      if (timed && (!media || (media.paused && force !== true))) { return; }
      var position = timed ? Math.floor(media.currentTime) : 0;
      post(base + "/heartbeat", { session: session, position_s: position }).then(function (r) {
        if (r.status === 200) {
          var d = r.data;
          var text = d.completed ? "本课时已学完。" + (d.credit_hours ? "课程已学完，记入 " + d.credit_hours + " 学时。" : "") : null;
          show(d.percent, text);
        } else if (r.status === 409) {
          session = null;
          status.textContent = "学习已在其他页面继续，本页不再计时。刷新页面可继续在此学习。";
        }
      });
    }

    start().then(function () {
      timer = window.setInterval(beat, INTERVAL_MS);
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { beat(); }
    });
    if (media) {
      media.addEventListener("pause", function () { beat(true); });
    }
    window.addEventListener("pagehide", function () { if (timer) { window.clearInterval(timer); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-study-lesson]");
    if (root) { init(root); }
  });
})();
