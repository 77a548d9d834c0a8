// Junction's map: a small slippy map written for this project (no framework). It enhances
// pages that already work without it: `.mini-map[data-map-point]` on record pages and
// `#map[data-geojson]` on the map page, fed by /api/v1/search.geojson. Raster tiles come from
// the URL template in data-tiles (none: markers on a plain background); markers are buttons,
// clustered when close; arrows pan, + and - zoom, Escape closes a popup.
(function () {
  "use strict";

  var TILE = 256;
  var MAX_ZOOM = 18;
  var CLUSTER_PX = 52;

  function project(lon, lat, z) {
    var scale = TILE * Math.pow(2, z);
    var s = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
    return {
      x: ((lon + 180) / 360) * scale,
      y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale
    };
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var PAGES = { service: "services", space: "spaces", organisation: "organisations", asset: "assets" };
  var KINDS = { service: "Service", space: "Space", organisation: "Organisation", asset: "Public land or building" };

  function href(p) {
    return "/" + (PAGES[p.kind] || "assets") + "/" + encodeURIComponent(p.id);
  }

  function JMap(container, opts) {
    this.container = container;
    this.features = opts.features;
    this.tiles = opts.tiles;
    this.zoom = opts.zoom;
    this.center = opts.center; // [lon, lat]
    this.label = opts.label;

    var root = el("div", "jmap " + (opts.mini ? "jmap--mini" : "jmap--full"));
    root.setAttribute("role", "region");
    root.setAttribute("aria-label", opts.label);
    root.tabIndex = 0;
    this.tileLayer = el("div", "jmap__tiles");
    this.tileLayer.setAttribute("aria-hidden", "true");
    this.markerLayer = el("div", "jmap__markers");
    var controls = el("div", "jmap__controls");
    var zin = el("button", null, "+");
    zin.type = "button";
    zin.setAttribute("aria-label", "Zoom in");
    var zout = el("button", null, "\u2212");
    zout.type = "button";
    zout.setAttribute("aria-label", "Zoom out");
    controls.appendChild(zin);
    controls.appendChild(zout);
    var attribution = el("div", "jmap__attribution");
    if (opts.attribution) {
      if (/openstreetmap/i.test(opts.attribution)) {
        var a = el("a", null, opts.attribution);
        a.href = "https://www.openstreetmap.org/copyright";
        attribution.appendChild(a);
      } else {
        attribution.textContent = opts.attribution;
      }
    }
    root.appendChild(this.tileLayer);
    root.appendChild(this.markerLayer);
    root.appendChild(controls);
    root.appendChild(attribution);
    this.root = root;

    var self = this;
    zin.addEventListener("click", function () { self.setZoom(self.zoom + 1); });
    zout.addEventListener("click", function () { self.setZoom(self.zoom - 1); });
    root.addEventListener("keydown", function (e) { self.onKey(e); });
    this.enableDrag();

    container.textContent = "";
    container.appendChild(root);
    if (opts.fit) this.fit();
    this.render();
    window.addEventListener("resize", function () { self.render(); });
  }

  JMap.prototype.size = function () {
    return { w: this.root.clientWidth || 300, h: this.root.clientHeight || 220 };
  };

  JMap.prototype.fit = function () {
    var pts = this.features;
    if (!pts.length) return;
    var minLon = 180, maxLon = -180, minLat = 90, maxLat = -90;
    pts.forEach(function (f) {
      var c = f.geometry.coordinates;
      minLon = Math.min(minLon, c[0]); maxLon = Math.max(maxLon, c[0]);
      minLat = Math.min(minLat, c[1]); maxLat = Math.max(maxLat, c[1]);
    });
    this.center = [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
    var s = this.size();
    var z = 16;
    while (z > 2) {
      var a = project(minLon, maxLat, z), b = project(maxLon, minLat, z);
      if (b.x - a.x < s.w - 80 && b.y - a.y < s.h - 80) break;
      z--;
    }
    this.zoom = z;
  };

  JMap.prototype.setZoom = function (z, around) {
    z = Math.max(2, Math.min(MAX_ZOOM, z));
    if (around) this.center = around;
    this.zoom = z;
    this.render();
  };

  JMap.prototype.panBy = function (dx, dy) {
    var c = project(this.center[0], this.center[1], this.zoom);
    this.center = this.unproject(c.x + dx, c.y + dy, this.zoom);
    this.render();
  };

  JMap.prototype.unproject = function (x, y, z) {
    var scale = TILE * Math.pow(2, z);
    var lon = (x / scale) * 360 - 180;
    var n = Math.PI - (2 * Math.PI * y) / scale;
    var lat = (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
    return [lon, lat];
  };

  JMap.prototype.onKey = function (e) {
    if (e.target !== this.root && !/jmap__marker/.test(e.target.className)) {
      if (e.key === "Escape") this.closePopup(true);
      return;
    }
    var step = 80;
    var handled = true;
    switch (e.key) {
      case "ArrowLeft": this.panBy(-step, 0); break;
      case "ArrowRight": this.panBy(step, 0); break;
      case "ArrowUp": this.panBy(0, -step); break;
      case "ArrowDown": this.panBy(0, step); break;
      case "+": case "=": this.setZoom(this.zoom + 1); break;
      case "-": case "_": this.setZoom(this.zoom - 1); break;
      case "Escape": this.closePopup(true); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  };

  JMap.prototype.enableDrag = function () {
    var self = this, start = null, moved = false;
    this.root.addEventListener("pointerdown", function (e) {
      if (e.target.closest && e.target.closest("button, a, .jmap__popup")) return;
      start = { x: e.clientX, y: e.clientY };
      moved = false;
    });
    window.addEventListener("pointermove", function (e) {
      if (!start) return;
      var dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
      if (moved) {
        start = { x: e.clientX, y: e.clientY };
        self.panBy(-dx, -dy);
      }
    });
    window.addEventListener("pointerup", function () { start = null; });
  };

  JMap.prototype.render = function () {
    var s = this.size();
    var z = this.zoom;
    var c = project(this.center[0], this.center[1], z);
    var left = c.x - s.w / 2, top = c.y - s.h / 2;
    this.origin = { x: left, y: top };

    // Tiles: images with empty alt; one that fails to load just leaves the background.
    this.tileLayer.textContent = "";
    if (this.tiles) {
      var n = Math.pow(2, z);
      var x0 = Math.floor(left / TILE), x1 = Math.floor((left + s.w) / TILE);
      var y0 = Math.floor(top / TILE), y1 = Math.floor((top + s.h) / TILE);
      for (var tx = x0; tx <= x1; tx++) {
        for (var ty = Math.max(0, y0); ty <= Math.min(n - 1, y1); ty++) {
          var img = new Image();
          img.alt = "";
          img.decoding = "async";
          img.style.left = tx * TILE - left + "px";
          img.style.top = ty * TILE - top + "px";
          img.onerror = function () { this.remove(); };
          var wx = ((tx % n) + n) % n;
          img.src = this.tiles.replace("{z}", z).replace("{x}", wx).replace("{y}", ty);
          this.tileLayer.appendChild(img);
        }
      }
    }
    this.drawMarkers(s);
  };

  JMap.prototype.drawMarkers = function (s) {
    var self = this, z = this.zoom, o = this.origin;
    var groups = [];
    this.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      var p = project(c[0], c[1], z);
      var x = p.x - o.x, y = p.y - o.y;
      if (x < -CLUSTER_PX || y < -CLUSTER_PX || x > s.w + CLUSTER_PX || y > s.h + CLUSTER_PX) return;
      var g = null;
      for (var i = 0; i < groups.length; i++) {
        if (Math.abs(groups[i].x - x) < CLUSTER_PX && Math.abs(groups[i].y - y) < CLUSTER_PX) { g = groups[i]; break; }
      }
      if (g) g.items.push(f);
      else groups.push({ x: x, y: y, items: [f] });
    });
    this.markerLayer.textContent = "";
    groups.forEach(function (g) {
      var b = el("button", "jmap__marker");
      b.type = "button";
      b.style.left = g.x + "px";
      b.style.top = g.y + "px";
      if (g.items.length === 1) {
        var p = g.items[0].properties || {};
        b.setAttribute("aria-label", (p.name || "Place") + ": show details");
        b.appendChild(el("span", "jmap__pin"));
        b.addEventListener("click", function () { self.popup(g.items, b); });
      } else {
        b.className += " jmap__cluster";
        b.setAttribute("aria-label", g.items.length + " places close together: show them");
        b.appendChild(el("span", "jmap__count", String(g.items.length)));
        b.addEventListener("click", function () {
          var same = g.items.every(function (f) {
            var a = f.geometry.coordinates, c = g.items[0].geometry.coordinates;
            return Math.abs(a[0] - c[0]) < 1e-5 && Math.abs(a[1] - c[1]) < 1e-5;
          });
          if (same || z >= MAX_ZOOM - 1) {
            self.popup(g.items, b);
          } else {
            var c = self.unproject(g.x + o.x, g.y + o.y, z);
            self.setZoom(z + 2, c);
            self.root.focus();
          }
        });
      }
      self.markerLayer.appendChild(b);
    });
  };

  JMap.prototype.popup = function (items, opener) {
    this.closePopup(false);
    var self = this;
    var box = el("div", "jmap__popup");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", items.length === 1 ? (items[0].properties.name || "Place") : items.length + " places");
    var list = el("ul");
    items.forEach(function (f) {
      var p = f.properties || {};
      var li = el("li");
      if (p.id && p.kind) {
        var a = el("a", null, p.name || "Place");
        a.href = href(p);
        li.appendChild(a);
      } else {
        li.appendChild(el("strong", null, p.name || "Place"));
      }
      var extra = [KINDS[p.kind]];
      if (typeof p.distance_m === "number") extra.push(p.distance_m < 1000 ? Math.round(p.distance_m / 10) * 10 + " metres away" : (p.distance_m / 1000).toFixed(1) + " km away");
      if (p.open_now === true) extra.push("open now");
      li.appendChild(document.createTextNode(" \u2013 " + extra.filter(Boolean).join(", ")));
      list.appendChild(li);
    });
    var close = el("button", "jmap__close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { self.closePopup(true); });
    box.appendChild(list);
    box.appendChild(close);
    this.opener = opener;
    this.root.appendChild(box);
    this.box = box;
    var first = box.querySelector("a") || close;
    first.focus();
  };

  JMap.prototype.closePopup = function (refocus) {
    if (this.box) {
      this.box.remove();
      this.box = null;
      if (refocus) (this.opener && this.opener.isConnected ? this.opener : this.root).focus();
    }
  };

  function start() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });

    document.querySelectorAll(".mini-map[data-map-point]").forEach(function (node) {
      var parts = node.getAttribute("data-map-point").split(",").map(Number);
      if (parts.length !== 2 || parts.some(isNaN)) return;
      var label = node.getAttribute("data-map-label") || "Place";
      var fallback = node.cloneNode(true);
      new JMap(node, {
        features: [{ geometry: { coordinates: parts }, properties: { name: label } }],
        tiles: node.getAttribute("data-tiles"),
        attribution: node.getAttribute("data-attribution"),
        center: parts,
        zoom: Number(node.getAttribute("data-map-zoom")) || 16,
        label: "Map of " + label,
        mini: true
      });
      // Keep the link to a bigger map below the small one.
      var link = fallback.querySelector("p");
      if (link) node.appendChild(link);
    });

    var big = document.querySelector("#map[data-geojson]");
    if (big && window.fetch) {
      fetch(big.getAttribute("data-geojson"), { headers: { Accept: "application/geo+json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (fc) {
          var features = (fc.features || []).filter(function (f) { return f.geometry && f.geometry.type === "Point"; });
          new JMap(big, {
            features: features,
            tiles: big.getAttribute("data-tiles"),
            attribution: big.getAttribute("data-attribution"),
            // Great Britain, until fit() finds the results.
            center: [-2.5, 54.0],
            zoom: 5,
            label: "Map of " + features.length + " results",
            fit: true
          });
        })
        .catch(function () {
          var p = big.querySelector(".map__fallback");
          if (p) p.textContent = "The map could not be loaded. The list below has the same results.";
        });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
