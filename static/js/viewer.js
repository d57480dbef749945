// The photo viewer: a link to a full-size photo (components/photo.html with link_full) opens the
// modal <dialog> of components/photo_viewer.html with a screen-sized rendition, its caption, date
// and credit, its place in its group ([data-gallery]), and previous/next by button, swipe or ←/→.
// Opening adds a history entry without changing the URL, so the phone's Back button closes the
// viewer rather than leaving the page; closing by button or Esc takes that entry away again.
// Without JavaScript or <dialog>, the links simply open the full-size photos.
(function () {
  "use strict";
  var dialog = document.querySelector("dialog.viewer");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var $ = dialog.querySelector.bind(dialog);
  var stage = $(".viewer__stage");
  var position = $(".viewer__position").children;
  var text = $(".viewer__text");
  var meta = $(".viewer__meta");
  var full = $(".viewer__full");
  var nav = $(".viewer__nav");
  var links = [];
  var current = 0;
  var touch = null;

  function picture(link) {
    var img = document.createElement("img");
    img.sizes = "100vw"; // before srcset, so the browser picks the right width at once
    img.srcset = link.dataset.viewerSrcset;
    img.alt = link.querySelector("img").alt;
    return img;
  }

  function joined(parts) {
    return parts.filter(Boolean).join(" · ");
  }

  function show(index) {
    var count = links.length;
    current = (index + count) % count;
    var link = links[current];
    var label = link.parentNode.querySelector(".photo-label");
    stage.replaceChildren(picture(link));
    text.textContent = joined([label && label.textContent, link.dataset.viewerCaption]);
    meta.textContent = joined([link.dataset.viewerTaken, link.dataset.viewerCredit]);
    full.href = link.href;
    position[0].textContent = current + 1 + " / " + count;
    position[1].textContent = dialog.dataset.position
      .replace("{n}", current + 1)
      .replace("{total}", count);
    nav.hidden = count < 2;
    if (count > 1) {
      picture(links[(current + 1) % count]); // fetched ahead, so the next swipe is instant
      picture(links[(current + count - 1) % count]);
    }
  }

  function open(event) {
    if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    var group = event.currentTarget.closest("[data-gallery]") || document;
    links = Array.prototype.slice.call(group.querySelectorAll("a[data-viewer-srcset]"));
    show(links.indexOf(event.currentTarget));
    // Going back to the page must not restore its old scroll position over the photo we focus.
    history.scrollRestoration = "manual";
    history.pushState({ photoViewer: true }, "");
    document.documentElement.classList.add("viewer-open");
    dialog.showModal();
  }

  document.querySelectorAll("a[data-viewer-srcset]").forEach(function (link) {
    link.setAttribute("aria-haspopup", "dialog");
    link.addEventListener("click", open);
  });

  // However it closes (button, Esc, Back): unlock the page and return to the photo last shown.
  dialog.addEventListener("close", function () {
    document.documentElement.classList.remove("viewer-open");
    stage.replaceChildren();
    links[current].focus();
    if (history.state && history.state.photoViewer) history.back();
  });
  window.addEventListener("popstate", function () {
    if (dialog.open) dialog.close();
    history.scrollRestoration = "auto";
  });
  if (history.state && history.state.photoViewer) history.replaceState(null, ""); // after a reload

  $(".viewer__close").addEventListener("click", function () {
    dialog.close();
  });
  nav.addEventListener("click", function (event) {
    var button = event.target.closest("[data-step]");
    if (button) show(current + Number(button.dataset.step));
  });
  dialog.addEventListener("keydown", function (event) {
    var step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (step && links.length > 1) {
      event.preventDefault();
      show(current + step);
    }
  });

  // A one-finger swipe sideways; not while the page is pinch-zoomed (the finger is panning then).
  dialog.addEventListener("touchstart", function (event) {
    touch = event.touches.length === 1 ? event.touches[0] : null;
  }, { passive: true });
  dialog.addEventListener("touchend", function (event) {
    var end = event.changedTouches[0];
    var zoomed = window.visualViewport && window.visualViewport.scale > 1.01;
    if (!touch || zoomed || links.length < 2) return;
    var dx = end.clientX - touch.clientX;
    var dy = end.clientY - touch.clientY;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > 2 * Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
  });
})();
