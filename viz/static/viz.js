/* sentra-kg graph page (kg.viz): draws the JSON data block with vis-network.
 * Every name and property comes from spreadsheets, so text only ever reaches the page
 * through textContent, option values or the canvas, never as HTML. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const SVG_NS = "http://www.w3.org/2000/svg";
  const status = document.getElementById("kg-status");
  const details = document.getElementById("kg-details");
  const physicsBox = document.getElementById("kg-physics");
  const search = document.getElementById("kg-search");
  const words = data.words;

  /* A catalogue text with its {name} slots filled. */
  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, (slot, name) => String(values[name]));
  }

  /* n with the catalogue's singular or plural form: [singular, plural]. */
  function counted(forms, n) {
    return say(forms[n === 1 ? 0 : 1], { n: n });
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svgElement(tag, attributes) {
    const node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach((name) => node.setAttribute(name, String(attributes[name])));
    return node;
  }

  /* A tooltip or details card: heading, subheading, property table, titled lists. */
  function card(tip) {
    const box = element("div", "kg-card");
    box.appendChild(element("div", "kg-card-heading", tip.heading));
    box.appendChild(element("div", "kg-card-sub", tip.subheading));
    if (tip.rows.length) {
      const table = element("table");
      tip.rows.forEach((row) => {
        const tr = element("tr");
        tr.appendChild(element("th", "", row[0]));
        tr.appendChild(element("td", "", row[1]));
        table.appendChild(tr);
      });
      box.appendChild(table);
    }
    tip.sections.forEach((section) => {
      const block = element("div", section.warning ? "kg-card-section kg-warning" : "kg-card-section");
      block.appendChild(element("div", "kg-card-title", section.title));
      const list = element("ul");
      section.items.forEach((item) => list.appendChild(element("li", "", item)));
      block.appendChild(list);
      box.appendChild(block);
    });
    return box;
  }

  const SHAPES = {
    dot: () => svgElement("circle", { cx: 8, cy: 8, r: 6 }),
    square: () => svgElement("rect", { x: 2, y: 2, width: 12, height: 12 }),
    box: () => svgElement("rect", { x: 1, y: 3, width: 14, height: 10, rx: 3 }),
    triangle: () => svgElement("polygon", { points: "8,1 15,14 1,14" }),
    triangleDown: () => svgElement("polygon", { points: "1,2 15,2 8,15" }),
    diamond: () => svgElement("polygon", { points: "8,0 16,8 8,16 0,8" }),
    hexagon: () => svgElement("polygon", { points: "4,1 12,1 16,8 12,15 4,15 0,8" }),
    star: () => svgElement("polygon", { points: "8,0 10,6 16,6 11,10 13,16 8,12 3,16 5,10 0,6 6,6" }),
  };

  function swatch(shape) {
    const svg = svgElement("svg", { width: 16, height: 16, viewBox: "0 0 16 16", class: "kg-swatch" });
    svg.appendChild(shape);
    return svg;
  }

  function legendRow(parts) {
    const row = element("label", "kg-legend-row");
    parts.forEach((part) => row.appendChild(part));
    return row;
  }

  data.nodes.forEach((node) => { node.title = card(node.tip); node.kgOpen = false; });
  data.edges.forEach((edge) => { edge.title = card(edge.tip); });
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);

  /* What is shown: the labels ticked in the legend, and the facts that exist on the
   * slider's day (asOf, ISO text; null without a slider). A node dated after the day is
   * hidden, and vis-network draws no edge of a hidden node; a commitment closed after the
   * day is drawn as still open. Only the nodes that change are updated (an update costs
   * vis-network about 0.1 ms a node), and it redraws without a new layout. */
  const shownLabels = new Set(data.legend.labels.map((entry) => entry.label));
  let asOf = data.timeline ? data.timeline.start : null;
  let shownEdges = data.edges.length;

  function refresh() {
    const hiddenIds = new Set();
    const nodeChanges = [];
    nodes.forEach((node) => {
      const hidden = !shownLabels.has(node.kgLabel) ||
        (asOf !== null && node.kgDay !== undefined && node.kgDay > asOf);
      if (hidden) hiddenIds.add(node.id);
      const change = {};
      if (Boolean(node.hidden) !== hidden) change.hidden = hidden;
      if (node.kgClosedOn !== undefined) {
        const open = asOf !== null && asOf < node.kgClosedOn;
        if (open !== node.kgOpen) {
          change.kgOpen = open;
          change.color = node.kgLooks[open ? "open" : "closed"];
          change.title = card(open ? Object.assign({}, node.tip, { rows: node.kgOpenRows })
                                   : node.tip);
        }
      }
      if (Object.keys(change).length) nodeChanges.push(Object.assign({ id: node.id }, change));
    });
    shownEdges = data.edges.filter((edge) =>
      !hiddenIds.has(edge.from) && !hiddenIds.has(edge.to)).length;
    nodes.update(nodeChanges);
  }

  /* The status line: how many nodes and relationships are shown. */
  function showCounts() {
    const shownNodes = nodes.get({ filter: (node) => !node.hidden }).length;
    status.textContent = data.nodes.length
      ? say(words.drawn, { nodes: counted(words.nodes, shownNodes),
                           edges: counted(words.edges, shownEdges) })
      : words.empty;
  }

  /* Legend: one row per label, its tick box showing or hiding that label's nodes. */
  const labelRows = document.getElementById("kg-legend-labels");
  data.legend.labels.forEach((entry) => {
    const box = element("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = entry.label;
    box.addEventListener("change", () => {
      if (box.checked) shownLabels.add(entry.label);
      else shownLabels.delete(entry.label);
      refresh();
      showCounts();
    });
    const shape = (SHAPES[entry.shape] || SHAPES.dot)();
    shape.setAttribute("fill", entry.color);
    shape.setAttribute("stroke", entry.border);
    labelRows.appendChild(legendRow([
      box, swatch(shape), element("span", "kg-legend-text", entry.text),
      element("span", "kg-count", String(entry.count)),
    ]));
  });
  const markerRows = document.getElementById("kg-legend-markers");
  data.legend.markers.forEach((entry) => {
    const ring = SHAPES.dot();
    ring.setAttribute("fill", "#ffffff");
    ring.setAttribute("stroke", entry.color);
    ring.setAttribute("stroke-width", "3");
    if (entry.marker === "no-accountable") ring.setAttribute("stroke-dasharray", "3 2");
    markerRows.appendChild(legendRow([
      swatch(ring), element("span", "kg-legend-text", entry.text),
      element("span", "kg-count", String(entry.count)),
    ]));
  });
  data.legend.statuses.forEach((entry) => {
    const shape = (SHAPES[entry.shape] || SHAPES.dot)();
    shape.setAttribute("fill", entry.color);
    shape.setAttribute("stroke", entry.border);
    markerRows.appendChild(legendRow([
      swatch(shape), element("span", "kg-legend-text", entry.text),
      element("span", "kg-count", String(entry.count)),
    ]));
  });
  const edgeRows = document.getElementById("kg-legend-edges");
  data.legend.edges.forEach((entry) => {
    const line = svgElement("line", {
      x1: 0, y1: 8, x2: 16, y2: 8, stroke: entry.color, "stroke-width": entry.width,
    });
    if (entry.dashes.length) line.setAttribute("stroke-dasharray", entry.dashes.join(" "));
    edgeRows.appendChild(legendRow([
      swatch(line), element("span", "kg-legend-text", entry.text),
      element("span", "kg-count", String(entry.count)),
    ]));
  });

  /* Search: the datalist offers every name; Enter or Find selects the matches. */
  const datalist = document.getElementById("kg-names");
  Array.from(new Set(data.nodes.map((node) => node.kgName)))
    .sort((a, b) => a.localeCompare(b, "id"))
    .forEach((name) => {
      const option = document.createElement("option");
      option.value = name;
      datalist.appendChild(option);
    });

  function showDetails(tip) {
    details.replaceChildren(tip ? card(tip) : element("p", "kg-hint", words.hint));
  }

  function matches(query) {
    const wanted = query.trim().toLocaleLowerCase();
    if (!wanted) return [];
    const visible = nodes.get({ filter: (node) => !node.hidden });
    const exact = visible.filter((node) =>
      node.kgName.toLocaleLowerCase() === wanted || String(node.id).toLocaleLowerCase() === wanted);
    const found = exact.length ? exact
      : visible.filter((node) => node.kgName.toLocaleLowerCase().includes(wanted));
    return found.map((node) => node.id);
  }

  /* Time slider: one step a day over the days the dated facts span, the chosen day shown
   * in the page's language; tick marks on the days some fact is dated. */
  if (data.timeline) {
    const DAY = 86400000;
    const epoch = (day) => Date.parse(day + "T00:00:00Z");
    const first = epoch(data.timeline.first);
    const indexOf = (day) => Math.round((epoch(day) - first) / DAY);
    const dayAt = (index) => new Date(first + index * DAY).toISOString().slice(0, 10);
    const longDay = new Intl.DateTimeFormat(document.documentElement.lang,
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    const slider = element("label", "kg-as-of");
    slider.id = "kg-as-of";
    slider.appendChild(element("span", "", words.as_of));
    const range = element("input");
    range.type = "range";
    range.id = "kg-day";
    range.min = "0";
    range.max = String(indexOf(data.timeline.last));
    range.step = "1";
    range.value = String(indexOf(data.timeline.start));
    range.setAttribute("aria-label", words.as_of_label);
    const ticks = element("datalist");
    ticks.id = "kg-days";
    data.timeline.days.forEach((day) => {
      const option = document.createElement("option");
      option.value = String(indexOf(day));
      ticks.appendChild(option);
    });
    range.setAttribute("list", ticks.id);
    const shown = element("output");
    shown.id = "kg-day-shown";
    slider.append(range, ticks, shown);
    const choose = () => {
      asOf = dayAt(Number(range.value));
      shown.textContent = longDay.format(new Date(epoch(asOf)));
      range.setAttribute("aria-valuetext", shown.textContent);
      refresh();
    };
    range.addEventListener("input", () => { choose(); showCounts(); });
    document.querySelector("header").insertBefore(slider, status);
    choose();
  }

  const container = document.getElementById("kg-network");
  const network = new vis.Network(container, { nodes: [], edges: [] }, data.options);

  function find() {
    const ids = matches(search.value);
    if (!ids.length) {
      status.textContent = say(words.no_match, { query: search.value.trim() });
      return;
    }
    network.selectNodes(ids);
    network.focus(ids[0], { scale: 1.2 });
    showDetails(nodes.get(ids[0]).tip);
    status.textContent = counted(words.matches, ids.length);
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") find(); });
  document.getElementById("kg-find").addEventListener("click", find);
  document.getElementById("kg-fit").addEventListener("click", () => network.fit());
  physicsBox.checked = Boolean(data.options.physics.enabled);
  physicsBox.addEventListener("change", () => {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });

  network.on("click", (params) => {
    if (params.nodes.length) showDetails(nodes.get(params.nodes[0]).tip);
    else if (params.edges.length) showDetails(edges.get(params.edges[0]).tip);
    else showDetails(null);
  });

  function ready() {
    showCounts();
    document.body.setAttribute("data-kg-state", "ready");
  }
  if (data.options.physics.enabled && data.nodes.length) {
    network.on("stabilizationProgress", (progress) => {
      status.textContent = say(words.laying_out,
        { percent: Math.round(100 * progress.iterations / progress.total) });
    });
    /* Stop the simulation once laid out: a running one keeps a large graph moving and the CPU busy. */
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      physicsBox.checked = false;
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }
  showDetails(null);
  network.setData({ nodes: nodes, edges: edges });
  if (!data.nodes.length) ready();

  window.kgViz = { network: network, nodes: nodes, edges: edges };
})();
