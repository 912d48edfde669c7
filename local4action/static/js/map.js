/* The map of HUBs and initiatives: draws the points of /map/points.json (the page's filters,
   applied by the server) with Leaflet and marker clusters. The list under the map, rendered by
   the server, stays the accessible version; this script only adds the picture. */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function escapeHtml(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  var SYMBOLS = ["★", "●", "✓"];

  function start() {
    var container = document.getElementById("map");
    var section = document.querySelector("[data-map-section]");
    if (!container || !section || !window.L || !L.markerClusterGroup) return;
    var strings = readJson("map-strings");
    var tiles = readJson("map-tiles");
    section.hidden = false;

    var map = L.map(container, { worldCopyJump: true, minZoom: 1, maxZoom: 18 });
    map.attributionControl.setPrefix(
      '<a href="https://leafletjs.com" hreflang="en">Leaflet</a>'
    );
    if (tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 18 }).addTo(map);
    }
    map.setView([15, 0], 2);

    function fail() {
      container.dataset.state = "error";
      section.querySelector(".map-error").hidden = false;
    }

    fetch(container.dataset.pointsUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { draw(map, container, data, strings); })
      .catch(fail);
  }

  function draw(map, container, data, strings) {
    var statuses = data.statuses || [];
    var icons = statuses.map(function (status, code) {
      return L.divIcon({
        className: "map-marker map-marker-" + code,
        html: '<span aria-hidden="true">' + SYMBOLS[code] + "</span>",
        iconSize: [26, 26],
        iconAnchor: [13, 13],
        popupAnchor: [0, -12],
      });
    });
    var clusters = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        var count = cluster.getChildCount();
        var label = format(strings.cluster || "%(count)s", { count: count });
        var size = count < 10 ? 34 : count < 100 ? 40 : 48;
        return L.divIcon({
          className: "map-cluster",
          html: '<span aria-hidden="true">' + count + '</span><span class="visually-hidden">' +
            escapeHtml(label) + "</span>",
          iconSize: [size, size],
        });
      },
    });

    function popupBox(point, initiative, countryName) {
      var box = element("div", "map-popup");
      var link = element("a", "map-popup-link", initiative[0]);
      link.href = data.link.replace(data.slug_mark, encodeURIComponent(initiative[1]));
      box.appendChild(element("p", "map-popup-title")).appendChild(link);
      var place = [point[4], countryName].filter(Boolean).join(", ");
      if (place) box.appendChild(element("p", "map-popup-place", place));
      var status = statuses[point[3]];
      if (status) box.appendChild(element("p", "map-popup-status", status[1]));
      if (initiative[3].length) {
        box.appendChild(
          element(
            "p",
            "map-popup-goals",
            initiative[3]
              .map(function (number) { return format(strings.sdg || "SDG %(number)s", { number: number }); })
              .join(" · ")
          )
        );
      }
      return box;
    }

    // A map of many results carries places only (data.initiatives is null): each popup asks
    // the server for its initiative when opened.
    function popup(point, marker) {
      var initiative = data.initiatives && data.initiatives[String(point[2])];
      if (initiative) return popupBox(point, initiative, data.countries[initiative[2]]);
      var waiting = element("div", "map-popup", strings.loading || "…");
      fetch(data.details.replace(data.id_mark, String(point[2])), {
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (found) {
          marker.setPopupContent(popupBox(point, found.initiative, found.country));
        })
        .catch(function () {
          waiting.textContent = strings.unavailable || "";
        });
      return waiting;
    }

    function name(point) {
      var initiative = data.initiatives && data.initiatives[String(point[2])];
      if (initiative) return initiative[0];
      var status = statuses[point[3]];
      return [status ? status[1] : "", point[4]].filter(Boolean).join(", ");
    }

    var markers = data.points.map(function (point) {
      var marker = L.marker([point[0], point[1]], {
        icon: icons[point[3]] || icons[0],
        title: name(point),
        alt: name(point),
      });
      marker.bindPopup(function () { return popup(point, marker); });
      return marker;
    });
    if (markers.length) {
      var bounds = L.latLngBounds(data.points.map(function (point) { return [point[0], point[1]]; }));
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
    }
    map.addLayer(clusters);
    // Added in chunks so that the page stays responsive with many thousands of points.
    clusters.options.chunkProgress = function (processed, total) {
      if (processed === total) ready();
    };
    function ready() {
      container.dataset.markers = String(markers.length);
      container.dataset.state = "ready";
    }
    if (markers.length) clusters.addLayers(markers);
    else ready();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
