/* The network picture: draw <div id="network-graph" data-src="graph.json?..."> with Cytoscape
   (vendor/cytoscape, loaded first). Nodes are initiatives, edges accepted connections; the
   colour follows the first SDG or the region (a select switches); choosing a node opens the
   initiative's page. The table on the page is the text alternative and is always there:
   without JavaScript only the table shows. */
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  if (!box || !window.cytoscape || !window.fetch) return;

  // Okabe–Ito: told apart by most people with colour blindness.
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  var NONE = "#9aa5b1";
  var colourControl = document.getElementById("network-colour");
  var colourSelect = document.getElementById("network-colour-by");
  var legend = document.getElementById("network-legend");
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function regionColours(nodes) {
    var ids = [];
    nodes.forEach(function (n) {
      if (n.region !== null && ids.indexOf(n.region) < 0) ids.push(n.region);
    });
    ids.sort(function (a, b) { return a - b; });
    var colours = {};
    ids.forEach(function (id, i) { colours[id] = PALETTE[i % PALETTE.length]; });
    return colours;
  }

  function draw(data) {
    var byRegion = regionColours(data.nodes);
    var elements = data.nodes.map(function (n) {
      return {
        group: "nodes",
        data: {
          id: String(n.id),
          label: n.title,
          url: n.url,
          goal: n.goal,
          goalColour: n.goal_color || NONE,
          region: n.region,
          regionName: n.region_name,
          regionColour: n.region !== null ? byRegion[n.region] : NONE,
          colour: n.goal_color || NONE,
        },
      };
    }).concat(data.edges.map(function (e) {
      return { group: "edges", data: { id: "c" + e.id, source: String(e.source), target: String(e.target) } };
    }));

    box.classList.add("is-drawn");
    var many = data.nodes.length > 150;
    var cy = window.cytoscape({
      container: box,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            "border-width": 1,
            "border-color": "#1f2933",
            label: many ? "" : "data(label)",
            "font-size": 10,
            color: "#1f2933",
            "text-wrap": "ellipsis",
            "text-max-width": "120px",
            "text-valign": "bottom",
            "text-margin-y": 3,
            "min-zoomed-font-size": 7,
            width: 18,
            height: 18,
          },
        },
        { selector: "node:active, node:selected", style: { "border-width": 3 } },
        { selector: "edge", style: { width: 1.5, "line-color": "#7b8794", "curve-style": "haystack" } },
      ],
      layout: { name: many ? "grid" : "cose", animate: !reducedMotion && !many, randomize: false },
    });
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url) window.location.assign(url);
    });
    cy.on("mouseover", "node", function () { box.style.cursor = "pointer"; });
    cy.on("mouseout", "node", function () { box.style.cursor = ""; });
    window.cy = cy;
    box.setAttribute("data-nodes", String(cy.nodes().length));
    box.setAttribute("data-edges", String(cy.edges().length));

    function colourBy(what) {
      cy.nodes().forEach(function (node) {
        node.data("colour", node.data(what === "region" ? "regionColour" : "goalColour"));
      });
      showLegend(what, data.nodes, byRegion);
    }
    if (colourControl && colourSelect) {
      colourControl.hidden = false;
      colourSelect.addEventListener("change", function () { colourBy(colourSelect.value); });
      colourBy(colourSelect.value);
    }
  }

  function showLegend(what, nodes, byRegion) {
    if (!legend) return;
    var entries = [];
    var seen = {};
    nodes.forEach(function (n) {
      var key, label, colour;
      if (what === "region") {
        key = n.region === null ? "none" : n.region;
        label = n.region_name || box.getAttribute("data-no-region");
        colour = n.region === null ? NONE : byRegion[n.region];
      } else {
        key = n.goal === null ? "none" : n.goal;
        label = n.goal === null ? box.getAttribute("data-no-goal") : box.getAttribute("data-goal-label") + " " + n.goal;
        colour = n.goal_color || NONE;
      }
      if (seen[key]) return;
      seen[key] = true;
      entries.push({ key: key, label: label, colour: colour });
    });
    entries.sort(function (a, b) {
      if (a.key === "none") return 1;
      if (b.key === "none") return -1;
      return what === "region" ? a.label.localeCompare(b.label) : a.key - b.key;
    });
    legend.textContent = "";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = entry.colour;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry.label));
      legend.appendChild(item);
    });
    legend.hidden = entries.length === 0;
  }

  fetch(box.getAttribute("data-src"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(draw)
    .catch(function () {
      // The table stays: it says everything the graph would.
      box.classList.remove("is-drawn");
    });
})();
