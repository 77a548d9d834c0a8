// Junction's search-as-you-type, written for this project (no framework). It enhances the
// "what" box (`input[data-suggest]`) of the home and results pages, which work without it:
// as the person types, it asks /api/v1/search for five records (text not ending in a space
// counts as still being typed, so the last word matches as a prefix) and shows them in a
// listbox under the box, following the ARIA 1.2 combobox pattern: aria-expanded,
// aria-controls, aria-activedescendant; Down and Up move through the suggestions, Enter opens
// the chosen record's page, Escape closes the list; a polite live region says how many there
// are. Enter with no suggestion chosen submits the form as before.
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_CHARS = 2;
  var PAGES = { service: "services", space: "spaces", organisation: "organisations", asset: "assets" };
  var KINDS = { service: "Service", space: "Space", organisation: "Organisation", asset: "Public land or building" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function Suggest(input) {
    var self = this;
    this.input = input;
    this.items = [];
    this.active = -1;
    this.seq = 0;
    this.timer = null;
    this.controller = null;
    var id = input.id + "-suggestions";

    this.list = el("ul", "suggest__list");
    this.list.id = id;
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "Suggestions");
    this.list.hidden = true;
    this.status = el("div", "visually-hidden");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");

    var wrap = el("div", "suggest");
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(this.list);
    wrap.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    input.addEventListener("input", function () { self.schedule(); });
    input.addEventListener("keydown", function (e) { self.onKey(e); });
    input.addEventListener("blur", function () { self.close(); });
    // Keep focus in the box while a suggestion is pressed, so blur does not close the list first.
    this.list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    this.list.addEventListener("click", function (e) {
      var li = e.target.closest && e.target.closest("[role=option]");
      if (li) self.go(Number(li.getAttribute("data-index")));
    });
  }

  Suggest.prototype.schedule = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.fetch(); }, DEBOUNCE_MS);
  };

  Suggest.prototype.fetch = function () {
    var self = this;
    // Sent as typed: a trailing space tells the API the last word is finished.
    var text = this.input.value;
    var seq = ++this.seq;
    if (this.controller) this.controller.abort();
    if (text.trim().length < MIN_CHARS) {
      this.show([], "");
      return;
    }
    this.controller = window.AbortController ? new AbortController() : null;
    var url = "/api/v1/search?per_page=5&q=" + encodeURIComponent(text);
    fetch(url, { headers: { Accept: "application/json" }, signal: this.controller && this.controller.signal })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (body) {
        if (seq !== self.seq) return; // an older answer arriving late
        self.show(body.items || [], text);
      })
      .catch(function () {
        // A failed look-up only means no suggestions: the form still works.
        if (seq === self.seq) self.show([], "");
      });
  };

  Suggest.prototype.show = function (items, text) {
    var self = this;
    this.items = items;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    items.forEach(function (item, i) {
      var li = el("li", "suggest__option");
      li.id = self.list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-index", String(i));
      li.appendChild(el("span", "suggest__name", item.name));
      li.appendChild(el("span", "suggest__kind", KINDS[item.kind] || "Record"));
      self.list.appendChild(li);
    });
    var open = items.length > 0 && document.activeElement === this.input;
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!text) {
      this.status.textContent = "";
    } else if (items.length === 0) {
      this.status.textContent = "No suggestions. Press Enter to search.";
    } else {
      this.status.textContent = (items.length === 1 ? "1 suggestion" : items.length + " suggestions") +
        ". Use the up and down arrows to choose one, then Enter to open it.";
    }
  };

  Suggest.prototype.close = function () {
    clearTimeout(this.timer);
    this.active = -1;
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Suggest.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Suggest.prototype.highlight = function (i) {
    var options = this.list.querySelectorAll("[role=option]");
    if (!options.length) return;
    i = (i + options.length) % options.length;
    for (var k = 0; k < options.length; k++) {
      options[k].setAttribute("aria-selected", k === i ? "true" : "false");
    }
    this.active = i;
    this.input.setAttribute("aria-activedescendant", options[i].id);
    options[i].scrollIntoView({ block: "nearest" });
  };

  Suggest.prototype.go = function (i) {
    var item = this.items[i];
    if (!item) return;
    window.location.assign("/" + (PAGES[item.kind] || "assets") + "/" + encodeURIComponent(item.id));
  };

  Suggest.prototype.onKey = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case "ArrowDown":
        if (!this.items.length) return;
        if (!this.isOpen()) {
          this.list.hidden = false;
          this.input.setAttribute("aria-expanded", "true");
        }
        this.highlight(this.active + 1);
        break;
      case "ArrowUp":
        if (!this.isOpen()) return;
        this.highlight(this.active < 0 ? -1 : this.active - 1);
        break;
      case "Enter":
        if (!this.isOpen() || this.active < 0) {
          this.close();
          return; // the form submits as usual
        }
        this.go(this.active);
        break;
      case "Escape":
        if (!this.isOpen()) return;
        this.close();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  function start() {
    if (!window.fetch) return;
    document.querySelectorAll("input[data-suggest]").forEach(function (input) {
      new Suggest(input);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
