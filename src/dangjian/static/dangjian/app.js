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
// ---- end shell and workbench ------------------------------------------------------------
