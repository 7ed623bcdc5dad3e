// The network view: a link chart on the vendored Cytoscape.js (static/vendor/).
// Data arrives as JSON in data attributes (first view) and from /api/v1/network/{id}
// (expansions). Every text from the data is set with textContent or drawn on the canvas,
// never parsed as HTML: a name with <script> in it stays text.
"use strict";

(() => {
  const COLORS = { Person: "#3b6fb6", Organisation: "#d9822b", Ad: "#3c9a5f", victim: "#7b3fa0" };

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
  }

  function isVictim(node) {
    return [...node.roles, ...node.categories].some((x) => /victim|slachtoffer|victime/i.test(x));
  }

  function nodeElement(node, shift) {
    const data = { ...node, color: isVictim(node) ? COLORS.victim : COLORS[node.kind] || "#777" };
    const classes = [node.key_player ? "key" : "", node.center ? "center" : ""].join(" ");
    // Positions come from the server's layout; an expansion's are moved onto the node expanded.
    const position = { x: node.x + shift.x, y: node.y + shift.y };
    return { group: "nodes", data, classes, position };
  }

  function edgeElement(edge) {
    return { group: "edges", data: { ...edge } };
  }

  const STYLE = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "background-color": "data(color)",
        width: "mapData(score, 0, 1.25, 18, 46)",
        height: "mapData(score, 0, 1.25, 18, 46)",
        "font-size": 10,
        // Zoomed out, only labels of key players and the centre stay (larger font below):
        // the others would overlap.
        "min-zoomed-font-size": 7,
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "ellipsis",
        "text-max-width": 140,
        "border-width": 1,
        "border-color": "#fff",
      },
    },
    { selector: "node.more", style: { "border-width": 3, "border-style": "dashed", "border-color": "#1b1f24" } },
    { selector: "node.key", style: { "border-width": 6, "border-color": "#c41e1e", "font-weight": "bold", "font-size": 14, "min-zoomed-font-size": 0 } },
    { selector: "node.center", style: { shape: "diamond", "font-size": 14, "min-zoomed-font-size": 0 } },
    { selector: "node:selected", style: { "overlay-color": "#0b5cad", "overlay-opacity": 0.25 } },
    {
      selector: "edge",
      style: {
        width: "mapData(weight, 0, 6, 1, 9)",
        "line-color": "#9aa5b1",
        "curve-style": "haystack",
        opacity: 0.8,
      },
    },
    { selector: "edge:selected", style: { "line-color": "#0b5cad", opacity: 1 } },
    { selector: ".filtered", style: { display: "none" } },
  ];

  class NetworkView {
    constructor(root) {
      this.root = root;
      this.labels = JSON.parse(root.dataset.labels);
      this.justification = root.dataset.justification;
      this.start = root.dataset.start;
      this.end = root.dataset.end;
      this.selected = null;
      const first = JSON.parse(root.dataset.network);
      this.center = first.center;
      this.cy = cytoscape({
        container: document.getElementById("chart"),
        style: STYLE,
        wheelSensitivity: 0.3,
        minZoom: 0.1,
        maxZoom: 2,
      });
      // A handle for the console and the browser tests; the page itself never reads it.
      window.crosslinkChart = this.cy;
      this.bind();
      this.merge(first);
    }

    t(key) {
      return this.labels["network." + key] || key;
    }

    bind() {
      this.cy.on("tap", "node", (event) => this.showNode(event.target));
      this.cy.on("tap", "edge", (event) => this.showEdge(event.target));
      this.cy.on("dbltap", "node", (event) => this.expand(event.target.id()));
      this.cy.on("tap", (event) => {
        if (event.target === this.cy) this.clearDetail();
      });
      document.getElementById("network-expand").addEventListener("click", () => {
        if (this.selected && this.selected.isNode()) this.expand(this.selected.id());
      });
      document.getElementById("network-fit").addEventListener("click", () => this.cy.fit(undefined, 30));
    }

    merge(view) {
      const added = [];
      const anchor = this.cy.getElementById(view.center);
      const origin = view.nodes.find((node) => node.id === view.center);
      const shift = anchor.empty() || !origin
        ? { x: 0, y: 0 }
        : { x: anchor.position("x") - origin.x, y: anchor.position("y") - origin.y };
      for (const node of view.nodes) {
        if (this.cy.getElementById(node.id).empty()) added.push(nodeElement({ ...node, center: node.id === this.center }, shift));
      }
      for (const edge of view.edges) {
        if (this.cy.getElementById(edge.id).empty()) added.push(edgeElement(edge));
      }
      this.cy.add(added);
      this.addFilters("filter-kinds", "kind", view.kinds);
      this.addFilters("filter-agencies", "agency", view.agencies);
      this.markMore();
      this.applyFilters();
      this.cy.fit(undefined, 30);
    }

    markMore() {
      this.cy.nodes().forEach((node) => {
        node.toggleClass("more", node.data("degree") > node.connectedEdges().length);
      });
    }

    addFilters(id, name, values) {
      const box = document.getElementById(id);
      const present = new Set([...box.querySelectorAll("input")].map((input) => input.value));
      for (const value of values) {
        if (present.has(value)) continue;
        const label = el("label", null, "check");
        const input = el("input");
        input.type = "checkbox";
        input.name = name;
        input.value = value;
        input.checked = true;
        input.addEventListener("change", () => this.applyFilters());
        label.append(input, document.createTextNode(value));
        box.append(label);
      }
    }

    checked(id) {
      return new Set([...document.querySelectorAll(`#${id} input:checked`)].map((input) => input.value));
    }

    applyFilters() {
      const kinds = this.checked("filter-kinds");
      const agencies = this.checked("filter-agencies");
      const shows = (evidence) =>
        kinds.has(evidence.kind) &&
        (evidence.agencies.length === 0 || evidence.agencies.some((agency) => agencies.has(agency)));
      this.cy.batch(() => {
        this.cy.edges().forEach((edge) => edge.toggleClass("filtered", !edge.data("evidence").some(shows)));
        this.cy.nodes().forEach((node) => {
          const edges = node.connectedEdges();
          const lonely = edges.length > 0 && edges.every((edge) => edge.hasClass("filtered"));
          node.toggleClass("filtered", lonely && node.id() !== this.center);
        });
      });
      this.renderTies();
      this.renderCounts();
    }

    renderCounts() {
      const status = document.getElementById("network-counts");
      const hidden = this.cy.edges(".filtered").length;
      status.dataset.nodes = String(this.cy.nodes().length);
      status.dataset.edges = String(this.cy.edges().length);
      status.dataset.visibleEdges = String(this.cy.edges().length - hidden);
      status.textContent = fill(this.t("counts"), {
        nodes: this.cy.nodes().length,
        edges: this.cy.edges().length,
        hidden,
      });
    }

    name(id) {
      const node = this.cy.getElementById(id);
      return node.empty() ? id : node.data("label");
    }

    renderTies() {
      const body = document.querySelector("#ties tbody");
      const rows = [];
      this.cy.edges().sort((a, b) => b.data("weight") - a.data("weight")).forEach((edge) => {
        const data = edge.data();
        const row = el("tr");
        row.dataset.edge = data.id;
        row.hidden = edge.hasClass("filtered");
        const dates = data.evidence.flatMap((e) => [e.first, e.last]).filter(Boolean).sort();
        const period = dates.length ? `${dates[0]} – ${dates[dates.length - 1]}` : "";
        for (const text of [this.name(data.source), this.name(data.target), data.kinds.join(", "),
          data.weight.toFixed(2), period, data.agencies.join(", ")]) {
          row.append(el("td", text));
        }
        const button = el("button", this.t("show"), "link");
        button.type = "button";
        button.addEventListener("click", () => this.showEdge(edge));
        const cell = el("td");
        cell.append(button);
        row.append(cell);
        rows.push(row);
      });
      body.replaceChildren(...rows);
    }

    select(element) {
      this.cy.elements().unselect();
      element.select();
      this.selected = element;
      document.getElementById("network-expand").disabled = !element.isNode();
    }

    clearDetail() {
      this.selected = null;
      document.getElementById("network-expand").disabled = true;
      document.getElementById("network-detail").replaceChildren(el("p", this.t("select"), "muted"));
    }

    facts(rows) {
      const list = el("dl", null, "facts");
      for (const [key, value] of rows) {
        if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) continue;
        list.append(el("dt", this.t(key)));
        const dd = el("dd");
        if (value instanceof Node) dd.append(value);
        else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
        list.append(dd);
      }
      return list;
    }

    showNode(node) {
      this.select(node);
      const data = node.data();
      const head = el("h3", data.label, "entity-label");
      const links = el("p");
      const profile = el("a", this.t("profile"));
      profile.href = "/entities/" + encodeURIComponent(data.id);
      const own = el("a", this.t("open"));
      own.href = "/network/" + encodeURIComponent(data.id);
      links.append(profile, document.createTextNode(" · "), own);
      const facts = this.facts([
        ["kind", data.kind],
        ["id", data.id],
        ["key_player", data.key_player ? this.t("yes") : this.t("no")],
        ["score", data.score.toFixed(2)],
        ["community", data.community],
        ["degree", data.degree],
        ["roles", [...data.roles, ...data.categories]],
        ["countries", data.countries],
        ["agencies", data.agencies],
      ]);
      document.getElementById("network-detail").replaceChildren(head, links, facts);
    }

    recordLinks(uids) {
      const span = el("span", null, "records");
      uids.forEach((uid, i) => {
        if (i) span.append(document.createTextNode(", "));
        const link = el("a", uid, "record");
        link.href = "/entities/" + encodeURIComponent(uid);
        span.append(link);
      });
      return span;
    }

    showEdge(edge) {
      this.select(edge);
      const data = edge.data();
      const parts = [el("h3", `${this.name(data.source)} — ${this.name(data.target)}`), el("h4", this.t("evidence"))];
      for (const evidence of data.evidence) {
        const section = el("section", null, "evidence");
        section.dataset.kind = evidence.kind;
        section.append(el("h5", evidence.kind));
        const period = evidence.first ? `${evidence.first} – ${evidence.last}` : "";
        section.append(this.facts([
          ["weight", evidence.weight.toFixed(2)],
          ["count", evidence.count],
          ["period", period],
          ["direction", evidence.directed_from.map((id) => this.name(id))],
          ["via", evidence.via],
          ["sources", evidence.sources],
          ["agencies", evidence.agencies],
          ["handling", evidence.handling_codes],
          ["records", this.recordLinks(evidence.records)],
          ["links", evidence.links],
        ]));
        parts.push(section);
      }
      document.getElementById("network-detail").replaceChildren(...parts);
    }

    problem(text) {
      const box = document.getElementById("network-error");
      box.textContent = text;
      box.hidden = !text;
    }

    async expand(id) {
      const query = new URLSearchParams({ hops: "1", justification: this.justification });
      if (this.start) query.set("start", this.start);
      if (this.end) query.set("end", this.end);
      this.problem("");
      document.getElementById("network-counts").textContent = this.t("loading");
      try {
        const response = await fetch(`/api/v1/network/${encodeURIComponent(id)}?${query}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const body = await response.json();
        if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
        this.merge(body);
        this.root.dataset.expanded = (this.root.dataset.expanded ? this.root.dataset.expanded + " " : "") + id;
      } catch (error) {
        this.problem(`${this.t("failed")}: ${error.message}`);
        this.renderCounts();
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.getElementById("network");
    if (root && window.cytoscape) new NetworkView(root);
  });
})();
