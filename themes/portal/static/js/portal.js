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
})();
