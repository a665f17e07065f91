// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // The law asks for print/save on every article; browsers print without
  // us, the button only makes it visible.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // With ratings.endpoint set, send {id, stars} as JSON instead of leaving
  // the page. Without an endpoint there is no form and nothing is sent.
  document.querySelectorAll("form[data-rating]").forEach(function (form) {
    var status = form.querySelector(".rating-status");
    form.addEventListener("submit", function (event) {
      var checked = form.querySelector("input[name=stars]:checked");
      if (!checked || !window.fetch) { return; }
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: form.dataset.articleId, stars: Number(checked.value) })
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        status.textContent = form.dataset.thanks;
        form.querySelectorAll("input, button").forEach(function (el) { el.disabled = true; });
      }).catch(function () {
        status.textContent = form.dataset.error;
      });
    });
  });
  // The register's filters are static pages; this narrows the rows of the
  // page in place, by words (with or without diacritics), type and year.
  var fold = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0111/g, "d").replace(/\u0110/g, "D").toLowerCase();
  };
  document.querySelectorAll("form[data-register-filter]").forEach(function (form) {
    var table = document.querySelector(".register-table");
    if (!table || !String.prototype.normalize) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return fold(row.textContent); });
    var words = form.querySelector("input[name=q]");
    var type = form.querySelector("select[name=type]");
    var year = form.querySelector("select[name=year]");
    var count = form.querySelector(".register-count");
    var apply = function () {
      var wanted = fold(words.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = wanted.every(function (w) { return texts[i].indexOf(w) !== -1; }) &&
          (!type.value || row.dataset.type === type.value) &&
          (!year.value || row.dataset.year === year.value);
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = shown ? shown + " " + form.dataset.unit : form.dataset.empty;
    };
    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  });
})();
