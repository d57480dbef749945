// Progressive enhancement for maps: the list or address beside a map works on its own; this
// draws the items as coloured, keyboard-focusable markers when Leaflet and the tiles load.
// A map marked data-lazy (the item page) fetches Leaflet only when it scrolls into view, so
// the page's first load stays small.
(function () {
  "use strict";
  var el = document.getElementById("item-map");
  var data = document.getElementById("map-markers");
  if (!el || !data) return;

  function draw() {
    var markers = JSON.parse(data.textContent);
    el.hidden = false;
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 }).addTo(map);
    var bounds = [];
    markers.forEach(function (m) {
      if (m.area) {
        drawArea(map, m);
        bounds.push([m.lat, m.lng]);
        return;
      }
      var icon = L.divIcon({
        className: "map-pin map-pin--" + m.colour,
        html: "<span>" + m.number + "</span>",
        iconSize: [34, 34],
        iconAnchor: [17, 17],
      });
      var label = m.number + ". " + m.title + " — " + m.status + ", " + m.progress + "%, " + m.colourLabel;
      var marker = L.marker([m.lat, m.lng], { icon: icon, title: label, alt: label, keyboard: true });
      var link = document.createElement("a");
      link.href = m.url;
      link.textContent = m.number + ". " + m.title;
      var popup = document.createElement("div");
      popup.appendChild(link);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(m.status + " · " + m.progress + "% · " + m.colourLabel));
      marker.bindPopup(popup).addTo(map);
      bounds.push([m.lat, m.lng]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 15);
    else if (bounds.length) map.fitBounds(bounds, { padding: [24, 24] });
    else map.setView([23.34, 112.85], 12);
  }

  // One marker for many items (the server groups a large year by district): its count, and a
  // link to the map narrowed to that area.
  function drawArea(map, m) {
    var size = m.count < 100 ? 44 : m.count < 1000 ? 52 : 60;
    var icon = L.divIcon({
      className: "map-pin map-pin--area",
      html: "<span>" + m.count + "</span>",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
    });
    var label = m.title + " — " + m.summary;
    var marker = L.marker([m.lat, m.lng], { icon: icon, title: label, alt: label, keyboard: true });
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.title;
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(m.summary));
    marker.bindPopup(popup).addTo(map);
  }

  function loadLeaflet(done) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = el.dataset.leafletCss;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = el.dataset.leafletJs;
    js.onload = done;
    document.head.appendChild(js);
  }

  if (window.L) {
    draw();
  } else if (el.dataset.leafletJs && "IntersectionObserver" in window) {
    el.hidden = false;
    var observer = new IntersectionObserver(function (entries) {
      if (!entries[0].isIntersecting) return;
      observer.disconnect();
      loadLeaflet(draw);
    }, { rootMargin: "200px" });
    observer.observe(el);
  }
})();
