// The platform's only script of its own. The Content-Security-Policy allows no inline
// script and no eval, so templates carry no onclick=/onsubmit=/hx-on handlers: they mark
// elements with data attributes and the delegated listeners below act on them.
//
//   data-confirm="确定……？"   on a <form>: asks before it is submitted;
//                              on a <button>/<a>: asks before the click takes effect.
//   data-print                 a click prints the page.
//   data-back                  a click goes back one page in the history.
//   data-check-all="name"      a click ticks every checkbox called name in the same form,
//                              or unticks them all when all are ticked already.
//   data-tree-toggle           a node of the org tree: the first click lets htmx load the
//                              children, later clicks fold and unfold them.
//   data-picker                the member picker (members/pickers.py): Enter in its search
//                              box searches instead of submitting the form, ArrowDown goes
//                              to the suggestions, and a member ticked in the suggestions
//                              stays chosen when the next search replaces them.
(function () {
  "use strict";

  // CSRF token on every HTMX request; the token is in the page's <meta name="csrf-token">.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });

  function closest(node, selector) {
    while (node && node.nodeType === 1) {
      if (node.matches(selector)) { return node; }
      node = node.parentElement;
    }
    return null;
  }

  function toggleTree(toggle) {
    var list = toggle.parentElement.querySelector(":scope > ul");
    if (!list) { return; }
    if (list.dataset.loaded) {
      list.hidden = !list.hidden;
      toggle.textContent = list.hidden ? "▸" : "▾";
    } else {
      list.dataset.loaded = "1";
      toggle.textContent = "▾";
    }
  }

  // Capture phase: runs before htmx's own listeners on the element, so a refused
  // confirmation stops an hx-* request as well as a plain link or button.
  document.addEventListener("click", function (event) {
    var asking = closest(event.target, "a[data-confirm], button[data-confirm], input[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var el = closest(event.target, "[data-print], [data-back]");
    if (el) {
      event.preventDefault();
      if (el.hasAttribute("data-print")) { window.print(); } else { window.history.back(); }
    }
  }, true);

  document.addEventListener("click", function (event) {
    var toggle = closest(event.target, "[data-tree-toggle]");
    if (toggle) { toggleTree(toggle); }
    var all = closest(event.target, "[data-check-all]");
    if (all && all.form) {
      var boxes = all.form.querySelectorAll('input[type=checkbox][name="' + all.getAttribute("data-check-all") + '"]');
      var every = Array.prototype.every.call(boxes, function (box) { return box.checked; });
      Array.prototype.forEach.call(boxes, function (box) { box.checked = !every; });
    }
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-picker] input[type=search]")) { return; }
    if (event.key === "Enter") {
      event.preventDefault();
    } else if (event.key === "ArrowDown") {
      var first = closest(box, "[data-picker]").querySelector(".dj-picker-results input");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });

  // Before new suggestions replace the old ones, keep what is ticked among the chosen.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var results = event.detail.target;
    if (!results.classList || !results.classList.contains("dj-picker-results")) { return; }
    var chosen = closest(results, "[data-picker]").querySelector("[data-picker-chosen]");
    chosen.querySelectorAll("label").forEach(function (label) {
      if (!label.querySelector("input").checked) { label.remove(); }
    });
    results.querySelectorAll("label").forEach(function (label) {
      if (label.querySelector("input").checked) { chosen.appendChild(label); }
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();

// ---- shell and workbench (工作台) -------------------------------------------------------
// The month strip of the workbench opens scrolled to today (on a phone it scrolls sideways).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".dj-strip").forEach(function (strip) {
    var today = strip.querySelector(".is-today");
    if (today && strip.scrollWidth > strip.clientWidth) {
      strip.scrollLeft = Math.max(0, today.offsetLeft - strip.offsetLeft - strip.clientWidth / 2);
    }
  });
});
// ---- end shell and workbench ------------------------------------------------------------

// ---- exams: the paper keeps its answers on the server ----------------------------------
// <form data-autosave>: each change of an answer posts the form (save=1, header
// X-Autosave); the server keeps the answers (204) and #autosave-status says so.
document.addEventListener("change", function (event) {
  var form = event.target.form;
  if (!form || !form.hasAttribute("data-autosave")) return;
  var data = new FormData(form);
  data.append("save", "1");
  var status = document.getElementById("autosave-status");
  fetch(form.getAttribute("action") || window.location.href, {
    method: "POST",
    body: data,
    headers: { "X-Autosave": "1" },
    credentials: "same-origin",
  }).then(function (resp) {
    if (status) status.textContent = resp.status === 204 ? "作答已自动保存" : "未能自动保存，请点“保存”";
  }).catch(function () {
    if (status) status.textContent = "网络异常，请点“保存”";
  });
});
// ---- end exams ----------------------------------------------------------------------------
