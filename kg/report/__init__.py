"""The meeting brief: one printable, offline HTML page of what the graph says, per sentra.

``build_brief`` reads the store into a `Brief` (plain data: sources, audit findings, the
whole area's indicators, per sentra its actors, responsibility chart, plan as of the day,
recent engagements, open commitments, funding, kiosks, indicators, supply chains and
neighbourhood); ``Brief.html()`` renders it. Every word comes from the catalogues
(``kg/locale/<lang>.toml``: ``[brief]``, ``[brief.followup]``, ``[timeline]``,
``[recommendations]``, ``[labels]``, ``[relations]``, ``[kinds]``, ``[status]``), so
``lang="id"`` gives a brief in Bahasa Indonesia.

The page is meant for paper and projectors: A4 print styles with a page break before each
section, and pictures drawn as inline SVG written by the package (layouts computed with networkx),
so printing needs no script. It holds no script at all, loads nothing (a
Content-Security-Policy forbids every request), and every name from the data is escaped.

Other features add sections through ``extra``: each a `Part`, a heading over the
:class:`kg.output.Section` list their own reports are made of. ``baseline`` adds the
changes since an earlier audit (``kg.changes``) that way.

One job a module:

* ``brief``: what the brief says, read from the store (``build_brief`` -> `Brief`; `Part`);
* ``page``: the brief written as one HTML page: sections, tables, print styles
  (``Brief.html()``);
* ``svg``: its pictures as inline SVG: bar charts, the kiosk bar, supply chains, a sentra's
  neighbourhood, the stakeholder grid, a sentra's plan on a time line, an indicator
  against its targets;
* ``formatting``: how the brief writes a value: escaped, shortened, in rupiah, percent or
  as a measured number, a node by its name;
* ``pdf``: the page printed to PDF by the system's Chromium (``print_pdf``).

The names other modules import are re-exported here.
"""

from __future__ import annotations

from kg.report.brief import Brief, Part, build_brief
from kg.report.pdf import print_pdf

__all__ = ["Brief", "Part", "build_brief", "print_pdf"]
