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
