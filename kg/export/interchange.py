"""Write the knowledge graph in the formats other tools read: GraphML, node-link JSON, Cypher.

Every function takes the graph (an ``nx.MultiDiGraph`` keyed by node id, ``label`` on nodes
and ``type`` on edges, as ``kg.graph.to_networkx`` builds it) first, and raises
``ExportError`` for a graph the format cannot carry.
"""

from __future__ import annotations

import inspect
import math
import os
import pathlib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

from kg.errors import ExportError
from kg.schema.model import GRANT_KEY

__all__ = ["to_cypher_script", "to_graphml", "to_node_link_json"]

LIST_SEPARATOR = "|"
"""Joins list values in GraphML, as in the dataset's CSV cells."""

EDGE_KEY = "edgeKey"
"""Names the networkx edge key in node-link JSON; ``key`` is a grant's own property."""


def to_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write the graph as GraphML for Gephi, yEd and Cytoscape (networkx's writer).

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The knowledge graph; it is not modified.
    path : str or os.PathLike
        The file to write, UTF-8.

    Notes
    -----
    GraphML holds only strings, numbers and booleans, so list values are written joined
    with ``|`` and ``None`` values are left out. ``label`` (node) and ``type`` (edge) stay
    ordinary attributes. Key ids are the attribute names: networkx's default ``d0, d1...``
    would let Gephi take whichever attribute got ``d3`` (node) or ``d7`` (edge) for yEd's
    label and drop it. Edge ids are ``e0, e1...``, unique in the file, because yEd and
    Gephi merge edges sharing an id (networkx#7732, #4347); the relationship's type is in
    ``type`` and a grant's key in ``key``. Gephi shows a node attribute named ``label`` as
    the node's caption, so nodes there show their label, not ``name``.

    Raises
    ------
    ExportError
        A value GraphML cannot hold (a map, say); nothing is written then.

    Examples
    --------
    >>> import networkx as nx, pathlib, tempfile
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("s1", label="Sentra", name="Sentra Lumpia", sources=["bps", "dinas"])
    >>> g.add_node("c1", label="Commodity", name="Lumpia", stage=None)
    >>> g.add_edge("s1", "c1", key="PRODUCES", type="PRODUCES")
    'PRODUCES'
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sentra.graphml"
    >>> to_graphml(g, path)
    >>> back = nx.read_graphml(path, force_multigraph=True)
    >>> back.nodes["s1"]["sources"], "stage" in back.nodes["c1"]
    ('bps|dinas', False)
    >>> list(back.edges(keys=True, data="type"))
    [('s1', 'c1', 'e0', 'PRODUCES')]
    """
    flat = nx.MultiDiGraph()
    flat.graph.update(_graphml_values(graph.graph))
    flat.add_nodes_from((node, _graphml_values(data)) for node, data in graph.nodes(data=True))
    flat.add_edges_from(
        (u, v, f"e{number}", _graphml_values(data))
        for number, (u, v, data) in enumerate(graph.edges(data=True))
    )
    try:
        nx.write_graphml(flat, path, infer_numeric_types=True, named_key_ids=True)
    except nx.NetworkXError as exc:
        pathlib.Path(path).unlink(missing_ok=True)  # networkx opened it before failing
        raise ExportError(f"cannot write GraphML: {exc}") from exc


def to_node_link_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Return the graph as networkx node-link data, ready for ``json.dump``.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The knowledge graph.

    Returns
    -------
    dict
        ``{"directed", "multigraph", "graph", "nodes": [{"id", ...}], "edges": [{"source",
        "target", "edgeKey", "type", ...}]}``.

    Notes
    -----
    networkx writes the edge key under ``key`` unless told otherwise, and a FUNDS
    relationship's own ``key`` property (``"APBD:2023"``) would then be overwritten by it;
    the edge key goes under `EDGE_KEY` instead. ``nx.node_link_graph`` cannot read such an
    edge back: it passes edge properties to ``add_edge`` as keyword arguments, where ``key``
    means the edge key (networkx#1583). ``add_edges_from`` reads it, as below.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a1", label="Actor", name="Dinas Koperasi dan UMKM")
    >>> g.add_node("s1", label="Sentra", name="Sentra Bandeng Presto")
    >>> _ = g.add_edges_from([("a1", "s1", "FUNDS APBD:2023",
    ...                        {"type": "FUNDS", "key": "APBD:2023", "sourceType": "APBD"})])
    >>> data = to_node_link_json(g)
    >>> data["nodes"][0]
    {'label': 'Actor', 'name': 'Dinas Koperasi dan UMKM', 'id': 'a1'}
    >>> data["edges"][0]["edgeKey"], data["edges"][0]["key"]
    ('FUNDS APBD:2023', 'APBD:2023')
    >>> back = nx.MultiDiGraph()
    >>> back.add_nodes_from((node.pop("id"), node) for node in data["nodes"])
    >>> _ = back.add_edges_from(
    ...     (edge.pop("source"), edge.pop("target"), edge.pop("edgeKey"), edge)
    ...     for edge in data["edges"]
    ... )
    >>> nx.utils.edges_equal(back.edges(keys=True, data=True), g.edges(keys=True, data=True))
    True
    """
    if "edges" in inspect.signature(nx.node_link_data).parameters:
        data: dict[str, Any] = nx.node_link_data(graph, edges="edges", key=EDGE_KEY)
    else:  # networkx 3.3 names the edge list with `link=`; 3.4 deprecated it for `edges=`
        data = nx.node_link_data(graph, link="edges", key=EDGE_KEY)
    return data


def to_cypher_script(graph: nx.MultiDiGraph, *, batch_size: int = 1000) -> str:
    """Return a Cypher script that recreates the graph in Neo4j 5.

    The script is for the user to run (``cypher-shell -f graph.cypher``, or paste into
    Neo4j Browser); sentra-kg never executes it. It first creates a uniqueness constraint
    on ``id`` per label, then MERGEs nodes per label and relationships per type from
    ``UNWIND`` literal lists of at most `batch_size` maps, so running it twice changes
    nothing. A relationship with a ``key`` property (FUNDS has one per grant) is merged on
    its type and key, so two grants between one funder and one sentra stay two; any other
    on its type alone.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The knowledge graph: ``label`` on every node, ``type`` on every edge.
    batch_size : int
        Rows per ``UNWIND`` statement.

    Returns
    -------
    str
        The script, ASCII only, one statement per ``;``.

    Raises
    ------
    ExportError
        A node without label, an edge without type, a name that cannot be written as a
        Cypher name, a number Neo4j cannot store (NaN, infinity, an integer beyond 64
        bits), or a property value that is not a string, number, boolean or list of them.

    Notes
    -----
    This is the one place where values are written into Cypher text rather than passed as
    parameters. Strings are single-quoted with ``\\\\``, ``\\'``, ``\\n``, ``\\r``,
    ``\\t``, ``\\b``, ``\\f`` escapes and every other character outside printable ASCII as
    ``\\uXXXX`` (UTF-16, surrogate pairs above U+FFFF). A quote or backslash is never
    written as ``\\u0027`` or ``\\u005c``: Neo4j decodes ``\\uXXXX`` before tokenizing, as
    Java does (``M\\u0041TCH`` is ``MATCH``), so that would close the string. Labels,
    relationship types and property keys that are not plain identifiers are backtick-quoted.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a1", label="Actor", name="Dinas Koperasi & UMKM")
    >>> g.add_node("s1", label="Sentra", name="Sentra Bandeng 'Presto'")
    >>> g.add_edge("a1", "s1", key="MANAGES", type="MANAGES")
    'MANAGES'
    >>> _ = g.add_edges_from(
    ...     ("a1", "s1", f"FUNDS {budget}:2023",
    ...      {"type": "FUNDS", "key": f"{budget}:2023", "sourceType": budget, "year": 2023})
    ...     for budget in ("APBD", "APBN")
    ... )
    >>> print(to_cypher_script(g))
    CREATE CONSTRAINT IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE;
    CREATE CONSTRAINT IF NOT EXISTS FOR (n:Sentra) REQUIRE n.id IS UNIQUE;
    UNWIND [
      {id: 'a1', props: {name: 'Dinas Koperasi & UMKM'}}
    ] AS row
    MERGE (n:Actor {id: row.id})
    SET n += row.props;
    UNWIND [
      {id: 's1', props: {name: 'Sentra Bandeng \\'Presto\\''}}
    ] AS row
    MERGE (n:Sentra {id: row.id})
    SET n += row.props;
    UNWIND [
      {source: 'a1', target: 's1', key: 'APBD:2023', props: {sourceType: 'APBD', year: 2023}},
      {source: 'a1', target: 's1', key: 'APBN:2023', props: {sourceType: 'APBN', year: 2023}}
    ] AS row
    MATCH (a:Actor {id: row.source})
    MATCH (b:Sentra {id: row.target})
    MERGE (a)-[r:FUNDS {key: row.key}]->(b)
    SET r += row.props;
    UNWIND [
      {source: 'a1', target: 's1', props: {}}
    ] AS row
    MATCH (a:Actor {id: row.source})
    MATCH (b:Sentra {id: row.target})
    MERGE (a)-[r:MANAGES]->(b)
    SET r += row.props;
    <BLANKLINE>
    """
    nodes: dict[str, list[str]] = defaultdict(list)
    labels: dict[Any, str] = {}
    for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0])):
        if not data.get("label"):
            raise ExportError(f"node {node!r} has no label")
        labels[node] = data["label"]
        props = _cypher_map(_cypher_entries(data, ("id", "label"), f"node {node!r}"))
        nodes[labels[node]].append(f"{{id: {_cypher_value(node)}, props: {props}}}")
    relationships: dict[tuple[str, str, str, bool], list[str]] = defaultdict(list)
    for u, v, data in sorted(graph.edges(data=True), key=_edge_order):
        if not data.get("type"):
            raise ExportError(f"relationship {u!r} -> {v!r} has no type")
        keyed = data.get(GRANT_KEY) is not None
        where = f"{data['type']} relationship {u!r} -> {v!r}"
        row = [
            f"source: {_cypher_value(u)}",
            f"target: {_cypher_value(v)}",
            *_cypher_entries({GRANT_KEY: data.get(GRANT_KEY)}, (), where),
            f"props: {_cypher_map(_cypher_entries(data, ('type', GRANT_KEY), where))}",
        ]
        relationships[data["type"], labels[u], labels[v], keyed].append(_cypher_map(row))
    statements = [
        f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{_cypher_name(label)}) REQUIRE n.id IS UNIQUE"
        for label in sorted(nodes)
    ]
    for label, rows in sorted(nodes.items()):
        statements += (
            f"{unwind}\nMERGE (n:{_cypher_name(label)} {{id: row.id}})\nSET n += row.props"
            for unwind in _unwind(rows, batch_size)
        )
    for (kind, source, target, keyed), rows in sorted(relationships.items()):
        merge_on = f" {{{GRANT_KEY}: row.{GRANT_KEY}}}" if keyed else ""
        statements += (
            f"{unwind}\n"
            f"MATCH (a:{_cypher_name(source)} {{id: row.source}})\n"
            f"MATCH (b:{_cypher_name(target)} {{id: row.target}})\n"
            f"MERGE (a)-[r:{_cypher_name(kind)}{merge_on}]->(b)\n"
            "SET r += row.props"
            for unwind in _unwind(rows, batch_size)
        )
    return "".join(f"{statement};\n" for statement in statements)


def _graphml_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: LIST_SEPARATOR.join(str(item) for item in value) if isinstance(value, list) else value
        for key, value in data.items()
        if value is not None
    }


def _edge_order(edge: tuple[Any, Any, Mapping[str, Any]]) -> tuple[str, str, str, str]:
    u, v, data = edge
    return (str(data.get("type")), str(u), str(v), str(data.get(GRANT_KEY)))


def _unwind(rows: list[str], batch_size: int) -> Iterator[str]:
    for start in range(0, len(rows), batch_size):
        listed = ",\n  ".join(rows[start : start + batch_size])
        yield f"UNWIND [\n  {listed}\n] AS row"


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAMED_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_INT64 = 2**63


def _cypher_name(name: str) -> str:
    if _PLAIN_NAME.fullmatch(name):
        return name
    if "\\" in name or not name.isprintable():
        # A backslash would start a \u escape that Neo4j decodes even inside backticks.
        raise ExportError(f"{name!r} cannot be written as a Cypher name")
    return "`" + name.replace("`", "``") + "`"


def _cypher_entries(data: Mapping[str, Any], leave_out: tuple[str, ...], where: str) -> list[str]:
    """``name: value`` per property, sorted by name; `where` names the owner in errors."""
    entries = []
    for key, value in sorted(data.items()):
        if key in leave_out or value is None:
            continue
        try:
            if isinstance(value, dict):
                raise ExportError("Neo4j cannot store a map")
            entries.append(f"{_cypher_name(str(key))}: {_cypher_value(value)}")
        except ExportError as exc:
            raise ExportError(f"{where}, property {key!r}: {exc}") from None
    return entries


def _cypher_map(entries: list[str]) -> str:
    return "{" + ", ".join(entries) + "}"


def _cypher_value(value: Any) -> str:
    if isinstance(value, str):
        return _cypher_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -_INT64 < value < _INT64:
            raise ExportError(f"{value} does not fit Neo4j's 64-bit integers")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"Neo4j cannot store {value}")
        # Cypher's exponent takes no '+': 1e+20 -> 1e20.
        return repr(value).replace("e+", "e")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_cypher_value(item) for item in value) + "]"
    raise ExportError(f"cannot write {type(value).__name__} {value!r} as a Cypher value")


def _cypher_string(text: str) -> str:
    escaped = []
    for char in text:
        if char in _NAMED_ESCAPES:
            escaped.append(_NAMED_ESCAPES[char])
        elif " " <= char <= "~":
            escaped.append(char)
        else:
            units = char.encode("utf-16-be", "surrogatepass")
            escaped.extend(
                f"\\u{units[i] << 8 | units[i + 1]:04x}" for i in range(0, len(units), 2)
            )
    return "'" + "".join(escaped) + "'"
