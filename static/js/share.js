/* The item page's share button: the phone's share sheet (Web Share API) where the browser has
   one, otherwise the page's link copied to the clipboard, with a visible confirmation. Without
   JavaScript the button stays hidden. Labels come from the page (data-copied, data-copy-failed). */
(function () {
  "use strict";
  document.querySelectorAll("button[data-share-url]").forEach(function (button) {
    var url = button.getAttribute("data-share-url");
    var status = button.parentNode.querySelector(".share__status");
    function say(text) {
      if (status) status.textContent = text;
    }
    function copyWithSelection() {
      var field = document.createElement("textarea");
      field.value = url;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (e) {
        copied = false;
      }
      document.body.removeChild(field);
      button.focus();
      say(copied ? button.getAttribute("data-copied") : button.getAttribute("data-copy-failed") + " " + url);
    }
    function copy() {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () {
          say(button.getAttribute("data-copied"));
        }, copyWithSelection);
      } else {
        copyWithSelection();
      }
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      say("");
      if (navigator.share) {
        navigator.share({ title: button.getAttribute("data-share-title"), url: url }).catch(function (error) {
          // Closing the share sheet is not a failure; anything else falls back to copying.
          if (!error || error.name !== "AbortError") copy();
        });
      } else {
        copy();
      }
    });
  });
})();
