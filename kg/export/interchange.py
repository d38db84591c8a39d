"""Write the knowledge graph in the formats other tools read: GraphML, node-link JSON, Cypher.

Every function takes the graph (an ``nx.MultiDiGraph`` keyed by node id, relationship type as
edge key, ``label`` on nodes and ``type`` on edges) first.
"""

from __future__ import annotations

import inspect
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

__all__ = ["to_cypher_script", "to_graphml", "to_node_link_json"]

LIST_SEPARATOR = "|"
"""Joins list values in GraphML, as in the dataset's CSV cells."""


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
    Gephi merge edges sharing an id (networkx#7732, #4347) and the edge key, the
    relationship type, repeats; the key is kept in ``type``. Gephi shows a node attribute
    named ``label`` as the node's caption, so nodes there show their label, not ``name``.

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
    nx.write_graphml(flat, path, infer_numeric_types=True, named_key_ids=True)


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
        "target", "key", ...}]}``; ``nx.node_link_graph(data, edges="edges")`` rebuilds it.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a1", label="Actor", name="Dinas Koperasi dan UMKM")
    >>> data = to_node_link_json(g)
    >>> data["nodes"], data["edges"]
    ([{'label': 'Actor', 'name': 'Dinas Koperasi dan UMKM', 'id': 'a1'}], [])
    """
    if "edges" in inspect.signature(nx.node_link_data).parameters:
        data: dict[str, Any] = nx.node_link_data(graph, edges="edges")
    else:  # networkx 3.3 names the edge list with `link=`; 3.4 deprecated it for `edges=`
        data = nx.node_link_data(graph, link="edges")
    return data


def to_cypher_script(graph: nx.MultiDiGraph, *, batch_size: int = 1000) -> str:
    """Return a Cypher script that recreates the graph in Neo4j 5.

    The script is for the user to run (``cypher-shell -f graph.cypher``, or paste into
    Neo4j Browser); sentra-kg never executes it. It first creates a uniqueness constraint
    on ``id`` per label, then MERGEs nodes per label and relationships per type from
    ``UNWIND`` literal lists of at most `batch_size` maps, so running it twice changes
    nothing.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The knowledge graph: ``label`` on every node; edge key = relationship type.
    batch_size : int
        Rows per ``UNWIND`` statement.

    Returns
    -------
    str
        The script, ASCII only, one statement per ``;``.

    Raises
    ------
    ValueError
        A node without label, a name that cannot be written as a Cypher name, or a number
        Neo4j cannot store (NaN, infinity, an integer beyond 64 bits).
    TypeError
        A property value that is not a string, number, boolean or list of them.

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
    >>> g.add_edge("a1", "s1", key="FUNDS", type="FUNDS", sourceType="APBD", year=2023)
    'FUNDS'
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
      {source: 'a1', target: 's1', props: {sourceType: 'APBD', year: 2023}}
    ] AS row
    MATCH (a:Actor {id: row.source})
    MATCH (b:Sentra {id: row.target})
    MERGE (a)-[r:FUNDS]->(b)
    SET r += row.props;
    <BLANKLINE>
    """
    nodes: dict[str, list[str]] = defaultdict(list)
    labels: dict[Any, str] = {}
    for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0])):
        if not data.get("label"):
            raise ValueError(f"node {node!r} has no label")
        labels[node] = data["label"]
        props = _cypher_props(data, leave_out=("id", "label"))
        nodes[labels[node]].append(f"{{id: {_cypher_value(node)}, props: {props}}}")
    relationships: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=_edge_order):
        props = _cypher_props(data, leave_out=("type",))
        relationships[key, labels[u], labels[v]].append(
            f"{{source: {_cypher_value(u)}, target: {_cypher_value(v)}, props: {props}}}"
        )
    statements = [
        f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{_cypher_name(label)}) REQUIRE n.id IS UNIQUE"
        for label in sorted(nodes)
    ]
    for label, rows in sorted(nodes.items()):
        statements += (
            f"{unwind}\nMERGE (n:{_cypher_name(label)} {{id: row.id}})\nSET n += row.props"
            for unwind in _unwind(rows, batch_size)
        )
    for (kind, source, target), rows in sorted(relationships.items()):
        statements += (
            f"{unwind}\n"
            f"MATCH (a:{_cypher_name(source)} {{id: row.source}})\n"
            f"MATCH (b:{_cypher_name(target)} {{id: row.target}})\n"
            f"MERGE (a)-[r:{_cypher_name(kind)}]->(b)\n"
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


def _edge_order(edge: tuple[Any, Any, Any, Any]) -> tuple[str, str, str]:
    u, v, key, _ = edge
    return (str(key), str(u), str(v))


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
        raise ValueError(f"{name!r} cannot be written as a Cypher name")
    return "`" + name.replace("`", "``") + "`"


def _cypher_props(data: Mapping[str, Any], leave_out: tuple[str, ...]) -> str:
    props = {
        key: value for key, value in data.items() if key not in leave_out and value is not None
    }
    for key, value in props.items():
        if isinstance(value, dict):
            raise TypeError(f"property {key!r}: Neo4j cannot store a map")
    return _cypher_value(dict(sorted(props.items())))


def _cypher_value(value: Any) -> str:
    if isinstance(value, str):
        return _cypher_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -_INT64 < value < _INT64:
            raise ValueError(f"{value} does not fit Neo4j's 64-bit integers")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Neo4j cannot store {value}")
        # Cypher's exponent takes no '+': 1e+20 -> 1e20.
        return repr(value).replace("e+", "e")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_cypher_value(item) for item in value) + "]"
    if isinstance(value, dict):
        entries = (
            f"{_cypher_name(str(key))}: {_cypher_value(item)}" for key, item in value.items()
        )
        return "{" + ", ".join(entries) + "}"
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as a Cypher value")


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
