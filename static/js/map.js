// Progressive enhancement for /map/: the list below the map works on its own; this draws the
// same items as coloured, keyboard-focusable markers when Leaflet and the tiles are available.
(function () {
  "use strict";
  var el = document.getElementById("item-map");
  var data = document.getElementById("map-markers");
  if (!el || !data || !window.L) return;
  var markers = JSON.parse(data.textContent);
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 }).addTo(map);
  var bounds = [];
  markers.forEach(function (m) {
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
})();
