"""Exports of the graph: formats other tools read, and a dataset ``kg load`` reads back.

`export_graph` writes the graph in any of `FORMATS` and raises `ExportError`; the modules
behind it hold one function per format (`interchange`: GraphML, node-link JSON, Cypher;
`dataset`: CSV files; `workbook`: an Excel workbook). `write_template` writes the
workbook to fill in by hand.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.catalogue import say
from kg.errors import ExportError
from kg.store.reasons import os_reason

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "DIRECTORY_FORMATS",
    "FORMATS",
    "WORKBOOK_LANGUAGES",
    "ExportError",
    "ExportResult",
    "cannot_write",
    "export_graph",
    "write_template",
]

FORMATS: dict[str, str] = {
    "graphml": "GraphML for Gephi, yEd and Cytoscape",
    "json": "networkx node-link JSON",
    "csv": "a dataset directory that kg load reads back",
    "cypher": "a Cypher script that recreates the graph in Neo4j",
    "xlsx": "an Excel workbook, one sheet per table, that kg load reads back",
}
"""Each export format and what it is for."""

DIRECTORY_FORMATS = frozenset({"csv"})
"""Formats written as a directory of files rather than one file."""

WORKBOOK_LANGUAGES = ("id", "en")
"""Languages of a workbook's sheet names and notes: Indonesian, English."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    files: list[Path]
    """Every file written, in the order written."""
    nodes: int
    """Nodes written."""
    relationships: int
    """Relationships written."""


def export_graph(
    graph: nx.MultiDiGraph, fmt: str, output: Path, lang: str = "id", *,
    overwrite: bool = False
) -> ExportResult:
    """Write `graph` to `output` in the format `fmt` (a key of `FORMATS`).

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The knowledge graph, as ``kg.graph.to_networkx`` builds it.
    fmt : str
        ``graphml``, ``json``, ``csv``, ``cypher`` or ``xlsx``.
    output : Path
        The file to write; for the formats in `DIRECTORY_FORMATS`, a directory (created if
        needed).
    lang : str
        The language of a workbook's sheets, headers and values (`WORKBOOK_LANGUAGES`);
        other formats are the same in every language.
    overwrite : bool
        For the formats in `DIRECTORY_FORMATS`: replace files already in the directory
        (else they are an `ExportError`, raised before anything is written).

    Returns
    -------
    ExportResult
        The files written, and how many nodes and relationships they hold.

    Raises
    ------
    ExportError
        An unknown format, a graph the format cannot carry, or an output that cannot be
        written (a file where a directory is needed, a missing parent directory, ...).

    Examples
    --------
    >>> import networkx as nx, pathlib, tempfile
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a1", label="Actor", name="Dinas Perindustrian Kota Semarang")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.json"
    >>> result = export_graph(g, "json", out)
    >>> result.files == [out], result.nodes, result.relationships
    (True, 1, 0)
    """
    if fmt not in FORMATS:
        raise ExportError(say("export.unknown_format", format=fmt, formats=", ".join(FORMATS)))
    if fmt in DIRECTORY_FORMATS and output.exists() and not output.is_dir():
        raise ExportError(say("export.not_a_directory", path=output))
    try:
        files = _write(graph, fmt, output, lang, overwrite)
    except OSError as exc:
        raise cannot_write(output, exc) from exc
    return ExportResult(files, graph.number_of_nodes(), graph.number_of_edges())


def cannot_write(output: Path, exc: OSError) -> ExportError:
    """The error of a file that could not be written (the file, and the system's reason)."""
    return ExportError(say("export.cannot_write", path=exc.filename or output,
                           reason=os_reason(exc)))


def _write(
    graph: nx.MultiDiGraph, fmt: str, output: Path, lang: str, overwrite: bool
) -> list[Path]:
    # Here, not at the top: networkx loads slowly, and the CLI needs only FORMATS to start.
    from .dataset import to_dataset
    from .interchange import to_cypher_script, to_graphml, to_node_link_json
    from .workbook import to_workbook

    if fmt == "csv":
        return to_dataset(graph, output, overwrite=overwrite)
    if fmt == "xlsx":
        to_workbook(graph, output, lang)
        return [output]
    if fmt == "graphml":
        to_graphml(graph, output)
    elif fmt == "json":
        try:
            text = json.dumps(
                to_node_link_json(graph), ensure_ascii=False, indent=1, allow_nan=False
            )
        except ValueError as exc:  # NaN or infinity, which JSON has no words for
            raise ExportError(f"cannot write JSON: {exc}") from exc
        output.write_text(text, encoding="utf-8")
    else:
        output.write_text(to_cypher_script(graph), encoding="utf-8")
    return [output]


def write_template(output: Path, lang: str = "id", example: Sequence[Path] = ()) -> ExportResult:
    """Write the Excel workbook to fill in and load with ``kg load``.

    Parameters
    ----------
    output : Path
        The ``.xlsx`` file to write.
    lang : str
        ``id`` or ``en`` (`WORKBOOK_LANGUAGES`): the language of the sheet names, the
        notes on the columns and the instructions sheet.
    example : sequence of Path
        Datasets (directories, YAML files) whose rows fill the sheets; none leaves them
        empty, and ``kg load`` of the workbook then gives an empty graph.

    Returns
    -------
    ExportResult
        The file written and the nodes and relationships of the example, if any.

    Raises
    ------
    ExportError
        An unknown language, or an output that cannot be written.
    DatasetError
        A problem in an example dataset.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "sentra.xlsx"
    >>> write_template(out, "en").files == [out]
    True
    """
    from .workbook import write_template as write

    if lang not in WORKBOOK_LANGUAGES:
        raise ExportError(say("export.no_language", lang=lang,
                              languages=", ".join(WORKBOOK_LANGUAGES)))
    try:
        graph = write(output, lang, example)
    except OSError as exc:
        raise cannot_write(output, exc) from exc
    return ExportResult([output], graph.number_of_nodes(), graph.number_of_edges())
