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

/* Forms on pages served from the shared page cache carry no per-visitor token: fetch the CSRF
   and start tokens when the resident starts on the form, and wait for them if they send it
   first. If the fetch fails the form posts anyway and the server shows it again, filled in. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-token-url]").forEach(function (form) {
    var pending = null;
    var ready = false;
    function load() {
      if (!pending) {
        pending = fetch(form.getAttribute("data-token-url"), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (tokens) {
            Object.keys(tokens).forEach(function (name) {
              var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
              if (input) input.value = tokens[name];
            });
            ready = true;
          })
          .catch(function () {
            pending = null;
          });
      }
      return pending;
    }
    form.addEventListener("focusin", load);
    form.addEventListener("submit", function (event) {
      if (ready) return;
      event.preventDefault();
      var send = function () {
        ready = true;
        form.submit();
      };
      (load() || Promise.resolve()).then(send, send);
    });
  });
})();
