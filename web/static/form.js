// Conveniences only: the form works the same without this script (every rule is the server's).
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  // 已选 N/3, live, and a warning once more are ticked than allowed (the server refuses them).
  var boxes = document.querySelector("fieldset[data-limit]");
  var counter = document.getElementById("counter");
  if (boxes && counter) {
    var limit = parseInt(boxes.getAttribute("data-limit"), 10);
    var count = function () {
      var chosen = boxes.querySelectorAll("input[type=checkbox]:checked").length;
      var text = fill(counter.getAttribute("data-template"), { chosen: chosen, limit: limit });
      if (chosen > limit) {
        text += " · " + fill(counter.getAttribute("data-over"), { limit: limit });
      }
      counter.textContent = text;
      counter.classList.toggle("over", chosen > limit);
    };
    boxes.addEventListener("change", count);
    count();
  }

  // N/1000 字 while typing the suggestion.
  var area = document.querySelector("textarea[data-limit]");
  if (area && counter) {
    var most = parseInt(area.getAttribute("data-limit"), 10);
    var length = function () {
      var typed = Array.from(area.value.trim()).length;
      counter.textContent = fill(counter.getAttribute("data-template"), { length: typed, limit: most });
      counter.classList.toggle("over", typed > most);
    };
    area.addEventListener("input", length);
    length();
  }

  // A second tap while the page is being sent does nothing (the first one counts).
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sent", "1");
    });
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.querySelectorAll("form[data-sent]"), function (form) {
        form.removeAttribute("data-sent");
      });
    }
  });
})();
