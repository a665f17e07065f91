// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  var all = function (sel, fn) { document.querySelectorAll(sel).forEach(fn); };

  // Today's date in the portal's time zone: a static page cannot know it.
  all("[data-today]", function (el) {
    try {
      var p = {};
      new Intl.DateTimeFormat("en-US", { timeZone: el.dataset.timezone, weekday: "short", day: "2-digit", month: "2-digit", year: "numeric" })
        .formatToParts(new Date()).forEach(function (x) { p[x.type] = x.value; });
      var day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(p.weekday);
      el.textContent = el.dataset.weekdays.split(",")[day] + ", " + p.day + "/" + p.month + "/" + p.year;
      el.hidden = false;
    } catch (e) { /* no date rather than a wrong one */ }
  });

  // Buttons that only work with the script: print, the phone's share
  // sheet (Zalo, Messenger…), copying the link.
  all("[data-print]", function (b) {
    b.hidden = false;
    b.onclick = function () { window.print(); };
  });
  all("[data-share-native]", function (b) {
    if (!navigator.share) { return; }
    b.hidden = false;
    b.onclick = function () { navigator.share({ title: b.dataset.title, url: b.dataset.url }).catch(function () {}); };
  });
  all("[data-share-copy]", function (b) {
    if (!navigator.clipboard || !window.isSecureContext) { return; }
    b.hidden = false;
    b.onclick = function () {
      navigator.clipboard.writeText(b.dataset.url).then(function () {
        b.parentNode.querySelector(".share-status").textContent = b.dataset.done;
      });
    };
  });

  // With ratings.endpoint set, send {id, stars} as JSON and say how it
  // went; without the script the form posts as a plain form.
  all("form[data-rating]", function (form) {
    var status = form.querySelector(".rating-status");
    form.noValidate = true; // our own message, in Vietnamese, in the status line
    var say = function (key, error) {
      status.textContent = form.dataset[key];
      status.classList.toggle("is-error", error);
    };
    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }
      event.preventDefault();
      var checked = form.querySelector("input[name=stars]:checked");
      if (!checked) { say("choose", true); return; }
      fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: form.dataset.articleId, stars: Number(checked.value) })
      }).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        say("thanks", false);
        form.querySelectorAll("input, button").forEach(function (el) { el.disabled = true; });
      }).catch(function () { say("error", true); });
    });
  });

  // The register's filters are static pages; a filter or a page number
  // loads in place, and the count is announced where it is.
  var reg = document.querySelector("[data-register]");
  if (!reg || !window.fetch || !window.DOMParser) { return; }
  var load = function (url, push) {
    reg.setAttribute("aria-busy", "true");
    fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html"), fresh = doc.querySelector("[data-register]");
      [".list-header", ".filter-toggle", ".register-filters", ".register-results", ".register-count"].forEach(function (sel) {
        var part = reg.querySelector(sel);
        if (sel === ".register-count") { part.textContent = fresh.querySelector(sel).textContent; } else { part.innerHTML = fresh.querySelector(sel).innerHTML; }
      });
      document.title = doc.title;
      if (push) { history.pushState(null, "", url); }
      var mark = reg.querySelector("[data-register-filters] [aria-current]");
      (push && mark && mark.href === url ? mark : reg.querySelector("h1")).focus();
    }).catch(function () { location.href = url; }).then(function () { reg.removeAttribute("aria-busy"); });
  };
  reg.addEventListener("click", function (event) {
    var link = event.target.closest("[data-register-filters] a, .pagination a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
    event.preventDefault();
    load(link.href, true);
  });
  window.addEventListener("popstate", function () { load(location.href, false); });
})();
