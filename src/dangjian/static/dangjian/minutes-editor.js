// The minutes editor (会议记录) and the "全部出席" button of the recording screen.
//
// A <textarea data-minutes-editor> is the form field and works without JavaScript. When
// pell (static/vendor/pell-*/) has loaded, the textarea is hidden and a small rich-text
// editor (paragraphs, bold, italic, underline, subheadings, lists, quotes) writes its HTML
// back into it on every change. The server cleans the HTML with nh3 on save
// (meetings/quality.py), so the editor is a convenience, never a safety measure.
//
// [data-all-present] (hidden until this script runs): sets every roll choice to 出席.
(function () {
  "use strict";

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Minutes typed as plain text (older records, the no-JS fallback): one paragraph a line.
  function asHtml(value) {
    if (/<(p|br|ul|ol|li|strong|b|em|i|u|h3|h4|blockquote|table)\b/i.test(value)) { return value; }
    return value.split(/\r?\n/).filter(function (line) { return line.trim() !== ""; })
      .map(function (line) { return "<p>" + escapeHtml(line) + "</p>"; }).join("");
  }

  function startEditor(textarea) {
    if (!window.pell || textarea.dataset.editorStarted) { return; }
    textarea.dataset.editorStarted = "1";
    var holder = document.createElement("div");
    holder.className = "dj-minutes-editor";
    textarea.parentNode.insertBefore(holder, textarea);
    var fmt = function (tag) { return function () { window.pell.exec("formatBlock", "<" + tag + ">"); }; };
    var editor = window.pell.init({
      element: holder,
      defaultParagraphSeparator: "p",
      onChange: function (html) { textarea.value = html; },
      actions: [
        { name: "bold", title: "加粗" },
        { name: "italic", title: "倾斜" },
        { name: "underline", title: "下划线" },
        { name: "subheading", icon: "<b>H</b>", title: "小标题", result: fmt("h3") },
        { name: "paragraph", title: "正文段落" },
        { name: "olist", title: "编号列表" },
        { name: "ulist", title: "项目列表" },
        { name: "quote", title: "引用" }
      ]
    });
    editor.content.innerHTML = asHtml(textarea.value);
    editor.content.setAttribute("role", "textbox");
    editor.content.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      if (!label.id) { label.id = textarea.id + "-label"; }
      editor.content.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { editor.content.focus(); });
    }
    textarea.hidden = true;
    textarea.form.addEventListener("submit", function () { textarea.value = editor.content.innerHTML; });
  }

  function start() {
    document.querySelectorAll("textarea[data-minutes-editor]").forEach(startEditor);
    document.querySelectorAll("[data-all-present]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        button.closest("form").querySelectorAll("input[type=radio][data-present]")
          .forEach(function (radio) { radio.checked = true; });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
