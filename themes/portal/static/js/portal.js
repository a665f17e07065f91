// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // Today's date in the header, in the portal's time zone: a static page
  // cannot know it when it is built.
  document.querySelectorAll("[data-today]").forEach(function (el) {
    if (!window.Intl || !Intl.DateTimeFormat) { return; }
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-US", {
        timeZone: el.dataset.timezone, weekday: "short", day: "2-digit", month: "2-digit", year: "numeric"
      }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
      var day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday);
      var names = el.dataset.weekdays.split(",");
      el.textContent = (names[day] || "") + ", " + parts.day + "/" + parts.month + "/" + parts.year;
      el.hidden = false;
    } catch (e) { /* an unknown time zone: no date rather than a wrong one */ }
  });

  // The law asks for print/save on every article; browsers print without
  // us, the button only makes it visible.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Sharing: the phone's own share sheet (Zalo, Messenger…) where there is
  // one, and copying the link.
  var announce = function (button, text) {
    var status = button.parentNode.querySelector(".share-status");
    if (status) { status.textContent = text; }
  };
  document.querySelectorAll("[data-share-native]").forEach(function (button) {
    if (!navigator.share) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {});
    });
  });
  document.querySelectorAll("[data-share-copy]").forEach(function (button) {
    if (!navigator.clipboard || !window.isSecureContext) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.url).then(function () {
        announce(button, button.dataset.done);
      });
    });
  });

  // With ratings.endpoint set, send {id, stars} as JSON and say how it
  // went; without the script the form posts as a plain form.
  document.querySelectorAll("form[data-rating]").forEach(function (form) {
    var status = form.querySelector(".rating-status");
    var say = function (text, error) {
      status.textContent = text;
      status.classList.toggle("is-error", !!error);
    };
    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }
      event.preventDefault();
      var checked = form.querySelector("input[name=stars]:checked");
      if (!checked) { say(form.dataset.choose, true); return; }
      fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: form.dataset.articleId, stars: Number(checked.value) })
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        say(form.dataset.thanks, false);
        form.querySelectorAll("input, button").forEach(function (el) { el.disabled = true; });
      }).catch(function () {
        say(form.dataset.error, true);
      });
    });
  });

  // The register's filters are static pages; with the script a filter or
  // a page number loads in place, keeping the reader where they are.
  var register = document.querySelector("[data-register]");
  if (register && window.fetch && window.DOMParser && history.pushState) {
    var load = function (url, push) {
      register.setAttribute("aria-busy", "true");
      fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-register]");
        if (!fresh) { throw new Error("no register"); }
        // The parts that change; the count is announced where it is.
        [".list-header", ".filter-toggle", ".register-filters", ".register-results"].forEach(function (sel) {
          var now = register.querySelector(sel), next = fresh.querySelector(sel);
          if (now && next) { now.innerHTML = next.innerHTML; }
        });
        register.querySelector(".register-count").textContent = fresh.querySelector(".register-count").textContent;
        var current = register.querySelector("[data-register-filters] [aria-current]");
        if (current && !push) { current.focus(); }
        if (push) { (register.querySelector("[data-register-filters] a[href='" + new URL(url).pathname + "']") || register.querySelector("h1")).focus(); }
        document.title = doc.title;
        if (push) { history.pushState({ register: true }, "", url); }
      }).catch(function () {
        window.location.href = url;
      }).then(function () {
        register.removeAttribute("aria-busy");
      });
    };
    register.addEventListener("click", function (event) {
      var link = event.target.closest("[data-register-filters] a, .pagination a");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      load(link.href, true);
    });
    window.addEventListener("popstate", function () { load(window.location.href, false); });
  }
})();
