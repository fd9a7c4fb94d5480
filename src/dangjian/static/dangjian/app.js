// CSRF token on every HTMX request; the token is in the page's <meta name="csrf-token">.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
});

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
// A "返回" link marked data-dj-back goes back in history when there is somewhere to go back to
// (its href is the fallback).
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("[data-dj-back]") : null;
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
// ---- end shell and workbench ------------------------------------------------------------
