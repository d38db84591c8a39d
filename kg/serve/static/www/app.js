// kg serve's page: one document, views chosen by the address's hash (#/node/ID, ...).
// Every text from the store enters the document through textContent or as a text node
// (el() below), never as markup; hash links carry ids through encodeURIComponent.
"use strict";

(function () {
  const state = { meta: null, lang: null, asOf: null, graph: null, sigma: null, hidden: new Set() };
  const main = document.getElementById("main");

  // -- helpers ---------------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "dataset") Object.assign(node.dataset, value);
      else node[key] = value;
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function words(key, values) {
    let text = state.meta.words[key] || key;
    for (const [name, value] of Object.entries(values || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  }

  async function api(path, params) {
    const query = new URLSearchParams({ ...(state.lang ? { lang: state.lang } : {}), ...(params || {}) });
    const response = await fetch(`${path}?${query}`, { credentials: "same-origin" });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  function link(view, id, text) {
    return el("a", { href: `#/${view}/${encodeURIComponent(id)}` }, text);
  }

  function labelWord(label) {
    const found = state.meta.labels.find((entry) => entry.id === label);
    return found ? found.word : label || "";
  }

  function show(...children) {
    main.replaceChildren(...children);
  }

  function failed(error) {
    show(el("p", { className: "error" }, words("error", { message: error.message })));
  }

  // -- the frame: navigation, language, search ----------------------------------------

  async function loadMeta(lang) {
    state.meta = await api("/api/meta", lang ? { lang } : {});
    state.lang = state.meta.lang;
    state.asOf = state.asOf || state.meta.as_of;
    document.documentElement.lang = state.lang;
    document.title = words("title");
    const nav = document.getElementById("nav");
    nav.replaceChildren(...[["search", "nav_search"], ["canvas", "nav_canvas"], ["raci", "nav_raci"],
      ["audit", "nav_audit"], ["grid", "nav_grid"], ["downloads", "nav_downloads"]]
      .map(([view, key]) => el("a", { href: `#/${view}`, id: `nav-${view}` }, words(key))));
    document.getElementById("search-label").textContent = words("search_label");
    document.getElementById("search").placeholder = words("search_placeholder");
    document.getElementById("lang-label").textContent = words("language");
    const select = document.getElementById("lang");
    select.replaceChildren(...state.meta.languages.map((code) =>
      el("option", { value: code, selected: code === state.lang }, code)));
  }

  function setUpSearch() {
    const input = document.getElementById("search");
    const list = document.getElementById("suggestions");
    let asked = 0;
    input.addEventListener("input", async () => {
      const text = input.value.trim();
      const mine = ++asked;
      if (!text) { list.hidden = true; return; }
      const found = await api("/api/search", { q: text });
      if (mine !== asked) return;  // a later keystroke's answer wins
      list.replaceChildren(...(found.length ? found.map((node) => el("li", {},
        el("a", { href: `#/node/${encodeURIComponent(node.id)}`, className: "suggestion" },
          el("span", { className: "name" }, node.name || node.id),
          el("span", { className: "muted" }, ` ${labelWord(node.label)} · ${node.id}`))))
        : [el("li", { className: "muted" }, words("no_match"))]));
      list.hidden = false;
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        const first = list.querySelector("a");
        if (first) first.click();
      }
    });
    list.addEventListener("click", () => { list.hidden = true; input.value = ""; });
  }

  // -- views ---------------------------------------------------------------------------

  function searchView() {
    show(el("h1", {}, words("nav_search")), el("p", {}, words("intro")));
    document.getElementById("search").focus();
  }

  async function nodeView(id) {
    const node = await api("/api/node", { id, as_of: state.asOf });
    const rows = Object.entries(node.properties).map(([key, value]) =>
      el("tr", {}, el("th", {}, key), el("td", {}, typeof value === "string" ? value : JSON.stringify(value))));
    show(
      el("h1", { className: "node-name" }, node.name || node.id),
      el("p", { className: "muted" }, `${labelWord(node.label)} · ${node.id}`),
      el("p", {}, link("canvas", node.id, words("open_canvas"))),
      el("h2", {}, words("properties")),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, words("property")), el("th", {}, words("value")))),
        el("tbody", {}, rows)),
      el("h2", {}, words("sources")),
      el("ul", {}, node.sources.map((source) => el("li", {}, link("node", source.id, source.name || source.id)))),
      el("h2", {}, words("findings_as_of", { day: node.as_of })),
      node.findings.length
        ? el("ul", { className: "findings" }, node.findings.map((finding) => el("li", { className: finding.severity },
          el("span", { className: "badge" }, words(`${finding.severity}_severity`)), " ", finding.message, " ",
          finding.subject !== node.id ? link("node", finding.subject, "→") : null)))
        : el("p", { className: "muted" }, words("no_findings")),
    );
  }

  // The canvas: a graphology graph drawn by sigma, grown by expansions from the server.

  function canvasView(id) {
    const panel = el("aside", { id: "panel" });
    const stage = el("div", { id: "stage" });
    show(el("div", { id: "canvas-view" }, stage, panel));
    const { Graph, Sigma, createNodeBorderProgram } = window.KgGraph;
    state.graph = new Graph({ multi: true, type: "directed" });
    state.hidden = new Set();
    if (state.sigma) state.sigma.kill();
    state.sigma = new Sigma(state.graph, stage, {
      defaultNodeType: "bordered",
      nodeProgramClasses: { bordered: createNodeBorderProgram({ borders: [
        { size: { value: 0.3 }, color: { attribute: "borderColor" } },
        { size: { fill: true }, color: { attribute: "color" } },
      ] }) },
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 6,
    });
    state.sigma.on("doubleClickNode", (event) => {
      event.preventSigmaDefault();
      expand(event.node).catch(failed);
    });
    state.sigma.on("clickNode", (event) => describe(event.node));
    drawPanel();
    if (id) expand(id).catch(failed);
    else startChoices(panel).catch(failed);
  }

  async function startChoices(panel) {
    const found = await api("/api/starts");
    const choices = state.meta.labels.filter((entry) => found[entry.id]).map((entry) => [
      el("h3", {}, entry.word),
      el("ul", { className: "starts" }, found[entry.id].map((node) => el("li", {}, link("canvas", node.id, node.name || node.id)))),
    ]);
    panel.prepend(el("p", { className: "muted" }, words("canvas_empty")), ...choices.flat());
  }

  async function expand(id) {
    const found = await api("/api/neighbours", { id });
    const graph = state.graph;
    const centre = graph.hasNode(found.centre) ? graph.getNodeAttributes(found.centre) : { x: 0, y: 0 };
    found.nodes.forEach((node, i) => {
      if (graph.hasNode(node.id)) return;
      const angle = (2 * Math.PI * i) / found.nodes.length;
      const style = state.meta.labels.find((entry) => entry.id === node.label) || { color: "#d3d3d3", border: "#808080" };
      graph.addNode(node.id, {
        x: centre.x + Math.cos(angle) * (1 + Math.random()), y: centre.y + Math.sin(angle) * (1 + Math.random()),
        size: 7, label: node.name || node.id, kind: node.label, color: style.color,
        borderColor: node.gap ? state.meta.warning : style.border, gap: node.gap,
      });
    });
    for (const edge of found.edges) {
      const key = `${edge.source}|${edge.type}|${edge.target}`;
      if (graph.hasEdge(key)) continue;
      const style = state.meta.relations.find((entry) => entry.id === edge.type) || { color: "#9a9a9a" };
      graph.addEdgeWithKey(key, edge.source, edge.target, { type: "arrow", kind: edge.type, color: style.color, size: 1.5 });
    }
    graph.forEachNode((node) => graph.setNodeAttribute(node, "size", Math.min(5 + 2 * Math.sqrt(graph.degree(node)), 20)));
    const iterations = graph.order > 2000 ? 20 : 100;
    window.KgGraph.forceAtlas2.assign(graph, { iterations, settings: window.KgGraph.forceAtlas2.inferSettings(graph) });
    state.lastExpansion = { shown: found.nodes.length - 1, total: found.total };
    drawPanel();
    describe(found.centre);
  }

  function reducerKeys() {
    // sigma's reducers see the attributes; filters hide by node type and edge type.
    state.sigma.setSetting("nodeReducer", (node, data) => (state.hidden.has(`label:${data.kind}`) ? { ...data, hidden: true } : data));
    state.sigma.setSetting("edgeReducer", (edge, data) => {
      const graph = state.graph;
      const [source, target] = graph.extremities(edge);
      const hiddenEnd = [source, target].some((node) => state.hidden.has(`label:${graph.getNodeAttribute(node, "kind")}`));
      return state.hidden.has(`type:${data.kind}`) || hiddenEnd ? { ...data, hidden: true } : data;
    });
  }

  function drawPanel() {
    const panel = document.getElementById("panel");
    if (!panel) return;
    reducerKeys();
    const graph = state.graph;
    const labels = new Set();
    const types = new Set();
    graph.forEachNode((node, data) => labels.add(data.kind));
    graph.forEachEdge((edge, data) => types.add(data.kind));
    const box = (key, word, color) => el("label", { className: "filter" },
      el("input", { type: "checkbox", checked: !state.hidden.has(key), dataset: { filter: key },
        onchange: (event) => { if (event.target.checked) state.hidden.delete(key); else state.hidden.add(key); state.sigma.refresh(); } }),
      el("span", { className: "swatch", dataset: { color } }), word);
    const parts = [
      el("p", { className: "muted" }, words("canvas_hint")),
      el("p", { id: "counts" }, words("shown", { nodes: graph.order, edges: graph.size })),
      state.lastExpansion && state.lastExpansion.total > state.lastExpansion.shown
        ? el("p", { className: "muted" }, words("more", state.lastExpansion)) : null,
      el("div", { id: "details" }),
      el("h3", {}, words("legend")),
      state.meta.labels.filter((entry) => labels.has(entry.id)).map((entry) => box(`label:${entry.id}`, entry.word, entry.color)),
      el("p", { className: "gap-marker" }, el("span", { className: "ring" }), words("gap_marker")),
      el("h3", {}, words("relations")),
      state.meta.relations.filter((entry) => types.has(entry.id)).map((entry) => box(`type:${entry.id}`, entry.word, entry.color)),
    ];
    panel.replaceChildren(...parts.flat().filter(Boolean));
    paintSwatches(panel);
  }

  function paintSwatches(root) {
    // Colours are set through the CSSOM (allowed by the page's policy), not style="".
    for (const swatch of root.querySelectorAll(".swatch")) swatch.style.backgroundColor = swatch.dataset.color;
    for (const ring of root.querySelectorAll(".ring")) ring.style.borderColor = state.meta.warning;
  }

  function describe(id) {
    const details = document.getElementById("details");
    if (!details || !state.graph.hasNode(id)) return;
    const data = state.graph.getNodeAttributes(id);
    details.replaceChildren(
      el("h3", { className: "node-name" }, data.label),
      el("p", { className: "muted" }, `${labelWord(data.kind)} · ${id}`),
      el("p", {}, link("node", id, words("open_page"))),
    );
  }

  async function raciView(sentra) {
    const chart = await api("/api/raci", sentra ? { sentra } : {});
    const select = el("select", { id: "raci-sentra", onchange: (event) => { location.hash = event.target.value ? `#/raci/${encodeURIComponent(event.target.value)}` : "#/raci"; } },
      el("option", { value: "" }, words("raci_all")),
      chart.sentra_list.map((entry) => el("option", { value: entry.id, selected: chart.sentra && chart.sentra.id === entry.id }, entry.name || entry.id)));
    const cells = new Map(chart.cells.map(([activity, actor, roles]) => [`${activity}\n${actor}`, roles]));
    const table = el("table", { className: "raci" },
      el("thead", {}, el("tr", {}, el("th", {}, words("activity")), el("th", {}, words("gaps")),
        chart.actors.map((actor) => el("th", { className: "actor" }, link("node", actor.id, actor.name || actor.id))))),
      el("tbody", {}, chart.activities.map((activity) => el("tr", { className: activity.gaps.length ? "gap" : "" },
        el("th", {}, link("node", activity.id, activity.name || activity.id)),
        el("td", { className: "gaps" }, activity.gaps.map((gap) => words(gap)).join(", ")),
        chart.actors.map((actor) => el("td", {}, cells.get(`${activity.id}\n${actor.id}`) || ""))))));
    show(el("h1", {}, words("nav_raci")), el("label", {}, words("raci_sentra"), " ", select), el("div", { className: "scroll" }, table));
  }

  async function auditView() {
    const { checks, as_of: asOf } = await api("/api/audit", { as_of: state.asOf });
    const day = el("input", { type: "date", id: "audit-day", value: asOf, required: true,
      onchange: (event) => { if (event.target.value) { state.asOf = event.target.value; route(); } } });
    const rows = checks.flatMap((check) => check.findings.map((finding) => ({ check, finding })));
    const text = el("input", { type: "search", id: "audit-filter", placeholder: words("filter_placeholder") });
    const severity = el("select", { id: "audit-severity" }, ["", "error", "warning"].map((value) =>
      el("option", { value }, value ? words(`${value}_severity`) : words("all"))));
    const count = el("p", { id: "audit-count", className: "muted" });
    const body = el("tbody", {});
    const draw = () => {
      const needle = text.value.trim().toLowerCase();
      const shown = rows.filter(({ check, finding }) => (!severity.value || check.severity === severity.value) &&
        (!needle || [check.id, check.title, finding.message, finding.subject.name || "", finding.subject.id]
          .some((part) => part.toLowerCase().includes(needle))));
      body.replaceChildren(...shown.slice(0, 2000).map(({ check, finding }) => el("tr", { className: check.severity },
        el("td", {}, el("span", { className: "badge" }, words(`${check.severity}_severity`))),
        el("td", { title: check.id }, check.title),
        el("td", {}, link("node", finding.subject.id, finding.subject.name || finding.subject.id)),
        el("td", {}, finding.message))));
      count.textContent = words("findings_shown", { shown: Math.min(shown.length, 2000), total: rows.length });
    };
    text.addEventListener("input", draw);
    severity.addEventListener("change", draw);
    show(el("h1", {}, words("nav_audit")),
      el("div", { className: "filters" }, el("label", {}, words("as_of"), " ", day), el("label", {}, words("filter"), " ", text), el("label", {}, words("severity"), " ", severity)),
      count,
      el("table", { id: "audit", dataset: { asOf } }, el("thead", {}, el("tr", {}, ["severity", "check", "subject", "message"].map((key) => el("th", {}, words(key))))), body));
    draw();
  }

  async function gridView() {
    const actors = await api("/api/grid");
    show(el("h1", {}, words("nav_grid")), el("table", { id: "grid" },
      el("thead", {}, el("tr", {}, ["actor", "quadrant", "influence", "interest", "rank"].map((key) => el("th", {}, words(key))))),
      el("tbody", {}, actors.map((row) => el("tr", {},
        el("td", {}, link("node", row.actor, row.name || row.actor)),
        el("td", {}, row.strategy || row.quadrant || ""),
        el("td", {}, row.influence === null ? "" : String(row.influence)),
        el("td", {}, row.interest === null ? "" : String(row.interest)),
        el("td", {}, row.structural_rank === undefined ? "" : String(row.structural_rank)))))));
  }

  function downloadsView() {
    const query = (params) => `?${new URLSearchParams(params)}`;
    show(el("h1", {}, words("nav_downloads")), el("ul", {},
      el("li", {}, el("a", { href: `/download/brief${query({ lang: state.lang })}`, download: "" }, words("brief"))),
      el("li", {}, words("exports"), ": ", state.meta.downloads.map((fmt, i) => [i ? ", " : "",
        el("a", { href: `/download/export${query({ format: fmt })}`, download: "" }, fmt)]))));
  }

  // -- routing -------------------------------------------------------------------------

  async function route() {
    const [, view, ...rest] = location.hash.split("/");
    const arg = rest.length ? decodeURIComponent(rest.join("/")) : null;
    for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("current", a.id === `nav-${view || "search"}`);
    if (view !== "canvas" && state.sigma) { state.sigma.kill(); state.sigma = null; }
    main.replaceChildren(el("p", { className: "muted" }, words("loading")));
    try {
      if (view === "node" && arg) await nodeView(arg);
      else if (view === "canvas") canvasView(arg);
      else if (view === "raci") await raciView(arg);
      else if (view === "audit") await auditView();
      else if (view === "grid") await gridView();
      else if (view === "downloads") downloadsView();
      else searchView();
    } catch (error) {
      failed(error);
    }
  }

  async function start() {
    await loadMeta(new URLSearchParams(location.search).get("lang"));
    setUpSearch();
    document.getElementById("lang").addEventListener("change", async (event) => {
      await loadMeta(event.target.value);
      await route();
    });
    window.addEventListener("hashchange", route);
    await route();
  }

  // For the browser tests and the benchmark: the canvas's graph and renderer.
  window.kgServe = { graph: () => state.graph, sigma: () => state.sigma };
  start().catch(failed);
})();
