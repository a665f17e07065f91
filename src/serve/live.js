// Added by `gazette serve` to the pages it serves, never to a build.
// Reloads the page after a rebuild that changed it, keeping the scroll
// position; shows the problems of a failed rebuild over the last good page.
(function () {
  "use strict";
  var key = "gazette-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, parseInt(saved, 10) || 0);
  }
  var here = location.pathname.replace(/index\.html$/, "");
  var overlay = null;

  function showErrors(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "gazette-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;" +
        "padding:1.5rem;background:#161616;color:#fff;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("p");
    title.style.cssText = "font-weight:bold;color:#ffb4a8;margin:0 0 1rem";
    title.textContent = "Trang chưa dựng lại được: " + errors.length +
      " lỗi. Đang hiển thị bản dựng gần nhất. Sửa tệp rồi lưu, trang sẽ tự cập nhật.";
    overlay.appendChild(title);
    errors.forEach(function (text) {
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0 0 1.25rem";
      pre.textContent = text;
      overlay.appendChild(pre);
    });
  }

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  // The generation the page was served at: a rebuild that came before
  // the stream connected is told at once.
  var script = document.currentScript;
  var since = script ? script.getAttribute("data-since") : null;
  var events = new EventSource("/__gazette/events" + (since ? "?since=" + since : ""));
  events.addEventListener("errors", function (e) {
    showErrors(JSON.parse(e.data));
  });
  events.addEventListener("reload", function (e) {
    var pages = JSON.parse(e.data);
    var wasBroken = overlay !== null;
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    if (pages === "*" || pages.indexOf(here) !== -1 || wasBroken) reload();
  });
})();
