/* Live character count for feedback text areas; the server enforces the limit anyway. */
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  document.querySelectorAll("textarea[data-count]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-count"), 10);
    var out = area.parentNode.querySelector(".fb-count");
    if (!out || !limit) return;
    function update() {
      var used = Array.from(area.value).length;
      out.textContent = zh ? "已写 " + used + " / " + limit + " 字" : used + " / " + limit + " characters";
      out.classList.toggle("is-over", used > limit);
    }
    out.hidden = false;
    area.addEventListener("input", update);
    update();
  });
})();

/* Copy buttons for the tracking code. Without JavaScript the button stays hidden and the code
   is plain selectable text; labels come from the page (data-copied, data-copy-failed). */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".fb-copy__status");
    if (!source) return;
    function say(text) {
      if (status) status.textContent = text;
    }
    function selectSource() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    function fallback() {
      selectSource();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (e) {
        copied = false;
      }
      say(button.getAttribute(copied ? "data-copied" : "data-copy-failed"));
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          selectSource();
          say(button.getAttribute("data-copied"));
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
