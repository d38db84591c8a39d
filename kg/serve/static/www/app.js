// kg serve's page: one document, views chosen by the address's hash (#/node/ID, ...).
// Every text from the store enters the document through textContent or as a text node
// (el() below), never as markup; hash links carry ids through encodeURIComponent.
"use strict";

(function () {
  const state = { meta: null, lang: null, asOf: null, graph: null, sigma: null, hidden: new Set(), days: new Map() };
  const main = document.getElementById("main");

  // -- helpers ---------------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "dataset") Object.assign(node.dataset, value);
      else node[key] = value;
    }
    for (const child of children.flat(Infinity)) {
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

  // Many node ids at once (the slider's days, the findings of its day): in parts of at
  // most 100 ids (the server's limit), the answers merged.
  async function apiIds(path, ids, params) {
    const found = {};
    for (let i = 0; i < ids.length; i += 100) {
      const query = new URLSearchParams({ ...(state.lang ? { lang: state.lang } : {}), ...(params || {}) });
      for (const id of ids.slice(i, i + 100)) query.append("id", id);
      const response = await fetch(`${path}?${query}`, { credentials: "same-origin" });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      Object.assign(found, body);
    }
    return found;
  }

  // A picture the server drew (the stakeholder grid, an indicator's chart) is SVG markup
  // with every name escaped. It is parsed in an inert document and taken in only if it
  // holds nothing but drawing elements with no event handler or link: markup, never
  // script, and never a request.
  const SVG_NS = "http://www.w3.org/2000/svg";
  // From this many nodes on the canvas its edges are not drawn while the camera moves:
  // drawing them is most of a frame (10,000 nodes and 15,000 edges: 600-770 ms a frame
  // in software WebGL with them, 170-180 ms without; docs/performance.md, "kg serve").
  const LARGE_CANVAS = 2000;
  const DRAWING = new Set(["svg", "g", "rect", "circle", "line", "polyline", "polygon", "path", "text", "tspan", "title"]);

  function picture(markup) {
    const parsed = new DOMParser().parseFromString(markup, "text/html");
    const root = parsed.body.firstElementChild;
    const all = root ? [root, ...root.querySelectorAll("*")] : [];
    const drawing = root && root.localName === "svg" && parsed.body.childElementCount === 1 && all.every((node) =>
      node.namespaceURI === SVG_NS && DRAWING.has(node.localName) &&
      [...node.attributes].every((attr) => !/^on|href$/i.test(attr.name)));
    if (!drawing) throw new Error("not a drawing");
    return document.importNode(root, true);
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
      ["timeline", "nav_timeline"], ["audit", "nav_audit"], ["grid", "nav_grid"], ["downloads", "nav_downloads"]]
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
    // Each property named as the dataset's column is in the page's language, its value in words.
    const rows = node.rows.map(([key, name, value]) =>
      el("tr", { dataset: { key } }, el("th", {}, name), el("td", {}, value)));
    show(
      el("h1", { className: "node-name" }, node.name || node.id),
      el("p", { className: "muted" }, `${labelWord(node.label)} · ${node.id}`),
      el("p", {}, link("canvas", node.id, words("open_canvas"))),
      el("h2", {}, words("properties")),
      el("table", { id: "properties" }, el("thead", {}, el("tr", {}, el("th", {}, words("property")), el("th", {}, words("value")))),
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
    state.days = new Map();
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
    const sized = () => {
      const large = state.graph.order > LARGE_CANVAS;
      if (state.sigma.getSetting("hideEdgesOnMove") !== large) state.sigma.setSetting("hideEdgesOnMove", large);
    };
    for (const change of ["nodeAdded", "nodeDropped", "cleared"]) state.graph.on(change, sized);
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
        size: 7, label: node.name || node.id, kind: node.label, color: style.color, border: style.border,
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
    // Then the days of the dated nodes added (the panel grows its slider) and, on another
    // day than the server's, their findings of that day.
    const added = found.nodes.map((node) => node.id).filter((node) => !state.days.has(node));
    const dated = added.filter((node) => state.meta.dated.includes(graph.getNodeAttribute(node, "kind")));
    await learnDays(dated);
    if (state.asOf !== state.meta.as_of) await markGaps(added);
    if (graph !== state.graph) return;  // another canvas since
    if (dated.length) {
      const details = document.getElementById("details");
      const chosen = (details && details.dataset.node) || found.centre;
      drawPanel();
      describe(chosen);
    }
    state.sigma.refresh();
  }

  // The time slider. The server says from which day each dated node exists (the rule of
  // kg viz's slider, kg/viz/days.py); undated nodes exist on every day.
  async function learnDays(ids) {
    for (const id of ids) state.days.set(id, null);
    if (!ids.length) return;
    const found = await apiIds("/api/days", ids);
    for (const [id, day] of Object.entries(found)) state.days.set(id, day);
  }

  function later(node) {
    const day = state.days.get(node);
    return Boolean(day && day.from && day.from > state.asOf);
  }

  // The findings of the slider's day: each node's ring as the audit of that day has it.
  async function markGaps(ids) {
    const graph = state.graph;
    const asked = state.asOf;
    const found = await apiIds("/api/gaps", ids, { as_of: asked });
    if (asked !== state.asOf || graph !== state.graph) return;  // the slider has moved on
    for (const id of ids) {
      if (!graph.hasNode(id)) continue;
      const gap = found[id] || null;
      graph.mergeNodeAttributes(id, { gap, borderColor: gap ? state.meta.warning : graph.getNodeAttribute(id, "border") });
    }
  }

  const DAY = 86400000;
  const epoch = (day) => Date.parse(`${day}T00:00:00Z`);
  const dayAt = (first, index) => new Date(epoch(first) + index * DAY).toISOString().slice(0, 10);

  function slider() {
    const dated = [...state.days.values()].filter((day) => day && day.from).map((day) => day.from);
    if (!dated.length) return null;
    // From the day before the first dated fact (nothing dated yet) to the last, or the
    // page's day if outside.
    const first = [dayAt(dated.sort()[0], -1), state.asOf].sort()[0];
    const last = [...dated, state.asOf].sort().at(-1);
    const range = el("input", { type: "range", id: "canvas-day", min: "0", step: "1",
      max: String(Math.round((epoch(last) - epoch(first)) / DAY)),
      value: String(Math.round((epoch(state.asOf) - epoch(first)) / DAY)) });
    range.setAttribute("aria-label", words("as_of"));
    const shown = el("output", { id: "canvas-day-shown" }, state.asOf);
    const count = el("p", { id: "canvas-dated", className: "muted" });
    const counted = () => {
      const hidden = [...state.days.keys()].filter(later).length;
      count.textContent = words("dated_hidden", { hidden, dated: dated.length });
    };
    range.addEventListener("input", () => {
      state.asOf = dayAt(first, Number(range.value));
      shown.textContent = state.asOf;
      counted();
      state.sigma.refresh();
      const details = document.getElementById("details");
      if (details && details.dataset.node) describe(details.dataset.node);
    });
    range.addEventListener("change", () => {
      markGaps(state.graph.nodes()).then(() => state.sigma.refresh()).catch(failed);
    });
    counted();
    return el("div", { id: "slider" }, el("label", { htmlFor: "canvas-day" }, words("as_of"), " ", shown), range,
      count, el("p", { className: "muted" }, words("slider_hint")));
  }

  function reducerKeys() {
    // sigma's reducers see the attributes; filters hide by node type and edge type.
    // A node dated after the slider's day is hidden as well, with its edges.
    const hiddenNode = (node, kind) => state.hidden.has(`label:${kind}`) || later(node);
    state.sigma.setSetting("nodeReducer", (node, data) => (hiddenNode(node, data.kind) ? { ...data, hidden: true } : data));
    state.sigma.setSetting("edgeReducer", (edge, data) => {
      const graph = state.graph;
      const [source, target] = graph.extremities(edge);
      const hiddenEnd = [source, target].some((node) => hiddenNode(node, graph.getNodeAttribute(node, "kind")));
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
      slider(),
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
    const day = state.days.get(id);
    details.dataset.node = id;
    details.replaceChildren(...[
      el("h3", { className: "node-name" }, data.label),
      el("p", { className: "muted" }, `${labelWord(data.kind)} · ${id}`),
      day && day.from ? el("p", { className: "muted" }, words("exists_from", { day: day.from })) : null,
      day && day.closed && state.asOf < day.closed ? el("p", { className: "open-then" }, words("open_on_day", { day: day.closed })) : null,
      el("p", {}, link("node", id, words("open_page"))),
    ].filter(Boolean));
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

  // The stakeholder grid as kg viz --view grid draws it (the server's SVG), each point's
  // details shown as text on hover and click, and every actor in a table below.
  async function gridView() {
    const drawn = await api("/api/grid/picture");
    const tooltip = el("div", { id: "grid-tooltip", hidden: true });
    const details = el("div", { id: "grid-details" }, el("p", { className: "muted" }, drawn.words.click));
    const card = (point, into, withLink) => into.replaceChildren(...[
      el("h3", { className: "node-name" }, point.name),
      el("dl", {}, point.details.map(([what, value]) => [el("dt", {}, what), el("dd", {}, value)])),
      withLink ? el("p", {}, link("node", point.id, words("open_page"))) : null,
    ].filter(Boolean));
    const figure = el("div", { id: "grid-picture" });
    if (drawn.points.length) {
      const svg = picture(drawn.svg);
      for (const point of svg.querySelectorAll(".kg-point")) {
        const record = drawn.points[Number(point.getAttribute("data-index"))];
        point.addEventListener("mouseenter", (event) => {
          card(record, tooltip, false);
          tooltip.style.left = `${event.pageX + 14}px`;
          tooltip.style.top = `${event.pageY + 14}px`;
          tooltip.hidden = false;
        });
        point.addEventListener("mouseleave", () => { tooltip.hidden = true; });
        const choose = () => {
          for (const other of svg.querySelectorAll(".kg-chosen")) other.classList.remove("kg-chosen");
          point.classList.add("kg-chosen");
          card(record, details, true);
        };
        point.addEventListener("click", choose);
        point.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") choose(); });
      }
      figure.append(svg);
    } else {
      figure.append(el("p", { className: "muted" }, words("grid_empty")));
    }
    const legend = el("ul", { id: "grid-legend" }, drawn.legend.map((entry) =>
      el("li", {}, el("span", { className: "swatch bordered", dataset: { color: entry.color } }), entry.word)));
    show(el("h1", {}, words("nav_grid")),
      el("div", { id: "grid-view" }, figure, el("aside", {}, el("p", {}, drawn.words.how), legend, details,
        el("p", { id: "grid-unplaced" }, `${drawn.words.unplaced}: `,
          drawn.unplaced.length ? drawn.unplaced.map((actor, i) => [i ? ", " : "", link("node", actor.id, actor.name)]) : "-"))),
      tooltip,
      el("h2", {}, words("grid_table")),
      el("table", { id: "grid" },
        el("thead", {}, el("tr", {}, ["actor", "quadrant", "influence", "interest", "rank"].map((key) => el("th", {}, words(key))))),
        el("tbody", {}, drawn.rows.map((row) => el("tr", {},
          el("td", {}, link("node", row.actor, row.name || row.actor)),
          el("td", {}, row.strategy || row.quadrant || ""),
          el("td", {}, row.influence === null ? "" : String(row.influence)),
          el("td", {}, row.interest === null ? "" : String(row.interest)),
          el("td", {}, row.structural_rank === undefined ? "" : String(row.structural_rank)))))));
    paintSwatches(main);
  }

  // The timeline: what kg timeline shows as of the day (the plan by phase, then the
  // engagements and commitments by month), and the indicators known on that day.
  async function timelineView(sentra) {
    const found = await api("/api/timeline", { as_of: state.asOf, ...(sentra ? { sentra } : {}) });
    const select = el("select", { id: "timeline-sentra", onchange: (event) => { location.hash = event.target.value ? `#/timeline/${encodeURIComponent(event.target.value)}` : "#/timeline"; } },
      el("option", { value: "" }, words("timeline_all")),
      found.sentra_list.map((entry) => el("option", { value: entry.id, selected: found.sentra && found.sentra.id === entry.id }, entry.name || entry.id)));
    const day = el("input", { type: "date", id: "timeline-day", value: found.as_of, required: true,
      onchange: (event) => { if (event.target.value) { state.asOf = event.target.value; route(); } } });
    const title = found.sections.find((section) => section.document);
    const parts = found.sections.filter((section) => !section.document).map((section) => [
      section.title ? el("h2", {}, section.title) : null,
      section.columns.length ? el("div", { className: "scroll" }, el("table", { className: "timeline" },
        el("thead", {}, el("tr", {}, section.columns.map((column) => el("th", {}, column)))),
        el("tbody", {}, section.rows.map((row) => el("tr", {}, row.map((cell) => el("td", {}, cell))))))) : null,
      section.more ? el("p", { className: "muted more-rows" }, words("more_rows", { n: section.more })) : null,
      section.notes.map((note) => el("p", { className: "muted" }, note)),
    ]);
    const charts = found.indicators.map((series) => el("figure", { className: "indicator" }, picture(series.svg),
      el("figcaption", {}, el("strong", {}, series.indicator), `${series.unit ? ` (${series.unit})` : ""}, ${series.direction}`)));
    show(el("h1", { id: "timeline-title" }, title ? title.title : words("nav_timeline")),
      el("div", { className: "filters" }, el("label", {}, words("timeline_sentra"), " ", select), el("label", {}, words("as_of"), " ", day)),
      el("div", { id: "timeline", dataset: { asOf: found.as_of } }, parts),
      el("h2", { id: "timeline-indicators" }, words("indicators", { day: found.as_of })),
      charts.length ? el("div", { className: "indicators" }, charts) : el("p", { className: "muted" }, words("no_indicators")));
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
      else if (view === "timeline") await timelineView(arg);
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
