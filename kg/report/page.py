"""The brief written as one HTML page: a title and contents, a section per part (sources,
summary, each sentra, the whole area's indicators, other features' parts, findings),
tables, legends and the A4 print styles.

The page holds no script and loads nothing: a Content-Security-Policy forbids every
request and allows only its own style sheet, and every value passes through ``esc``.
Its pictures come from ``kg.report.svg``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kg import audit
from kg.catalogue import catalogue, number
from kg.indicators import IndicatorSeries
from kg.output import Section
from kg.queries import Severity
from kg.report.formatting import esc, percent
from kg.report.svg import (
    PLAN_COLORS,
    bar_chart,
    chain_picture,
    indicator_chart,
    kiosk_bar,
    neighbourhood_picture,
    plan_picture,
    plan_state,
)
from kg.schema.model import Role
from kg.viz.page import csp_hash
from kg.viz.styles import EDGE_STYLES, NODE_STYLES, OTHER_EDGE_STYLE, OTHER_STYLE

if TYPE_CHECKING:
    from kg.report.brief import Brief, SentraBrief

GOVERNMENT_BUDGETS = ("APBD", "APBN")
"""Funding source types that are the government's own budget (drawn apart in the charts)."""

MAX_FINDINGS = 200
"""Findings listed per check at most; a national audit has far more than a meeting reads."""

_SEVERITY_COLORS = {Severity.ERROR: "#c62828", Severity.WARNING: "#ef8f00"}
_ROLE_COLORS = {Role.R: "#2e7d32", Role.A: "#1f3b73", Role.C: "#ef8f00", Role.I: "#7b7b7b"}

_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #1d1d1d;
  margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
h2 { font-size: 15pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #1f3b73; }
h3 { font-size: 12pt; margin: 5mm 0 2mm; }
section { padding-top: 4mm; }
section + section { page-break-before: always; break-before: page; }
@media screen { section + section { border-top: 1px dashed #bbb; margin-top: 8mm; } }
.meta { color: #555; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 9pt; }
th, td { border: 1px solid #c8c8c8; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
thead th { background: #eef1f6; }
tr, figure, .check { page-break-inside: avoid; break-inside: avoid; }
h2, h3, h3 + p { page-break-after: avoid; break-after: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
figure { margin: 2mm 0 4mm; }
figcaption { font-size: 8.5pt; color: #555; }
svg { max-width: 100%; height: auto; }
svg text { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; }
.raci td.role { text-align: center; font-weight: 700; color: #fff; }
@media print { body { padding: 0; }
  .raci td.role { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
.raci th.actor { font-size: 7.5pt; font-weight: 600; }
.raci tr.gap th { background: #fde3e3; color: #8e1212; }
.gap-note { color: #8e1212; font-size: 8pt; font-weight: normal; }
.legend span { display: inline-block; margin-right: 4mm; }
.swatch { margin-right: 1mm; vertical-align: middle; }
.severity { font-weight: 700; }
.severity-error { color: #c62828; }
.severity-warning { color: #b26a00; }
.recommendation { background: #eef6ee; border-left: 4px solid #2e7d32; padding: 1.5mm 3mm; }
.check h3 { margin-bottom: 1mm; }
.check ul { margin: 1mm 0 2mm; padding-left: 6mm; }
.toc ol { padding-left: 6mm; }
code { font-size: 8.5pt; overflow-wrap: anywhere; }
.day { white-space: nowrap; }
tr.overdue td { background: #fde3e3; }
.overdue-mark { color: #c62828; font-weight: 700; }
@media print { tr.overdue td { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
.indicators { display: flex; flex-wrap: wrap; gap: 2mm 6mm; }
.indicators figure { width: 88mm; margin: 1mm 0; }
""" + "".join(
    f".raci td.role-{role.value} {{ background: {color}; }}\n"
    for role, color in _ROLE_COLORS.items()
)


def render_brief(brief: Brief) -> str:
    """``brief`` as one self-contained HTML document (write it as UTF-8)."""
    return _Renderer(brief).document()


class _Renderer:
    """Writes the HTML of one brief; every value passes through ``esc``."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.words = catalogue(brief.lang)
        self.w: Mapping[str, Any] = self.words["brief"]
        self.followup: Mapping[str, Any] = self.w["followup"]
        self.timeline: Mapping[str, Any] = self.words["timeline"]

    def document(self) -> str:
        b = self.brief
        sections = [
            ("dataset", self.w["dataset"], self.dataset()),
            ("summary", self.w["summary"], self.summary()),
            *(
                (f"sentra-{i}", f"{self.w['sentra']}: {s.name}", self.sentra(s))
                for i, s in enumerate(b.sentra, start=1)
            ),
            *(
                [("indicators", self.followup["area_indicators"], self.indicators(b.indicators))]
                if b.indicators else []
            ),
            *(
                (f"extra-{i}", part.title,
                 (f"<figure>{part.svg}</figure>" if part.svg else "")
                 + "".join(self.extra(s) for s in part.sections))
                for i, part in enumerate(b.extra, start=1)
            ),
            ("findings", self.w["findings"], self.findings()),
        ]
        toc = "".join(f'<li><a href="#{key}">{esc(title)}</a></li>' for key, title, _ in sections)
        body = "".join(
            f'<section id="{key}"><h2>{esc(title)}</h2>{content}</section>'
            for key, title, content in sections
        )
        head = (
            f'<section id="title"><h1>{esc(b.title)}</h1>'
            f'<p class="meta">{esc(self.w["date"])}: {esc(b.date.isoformat())}<br>'
            f'{esc(self.w["generated"].format(store=b.store))}</p>'
            f'<nav class="toc"><h3>{esc(self.w["contents"])}</h3><ol>{toc}</ol></nav></section>'
        )
        csp = "; ".join([
            "default-src 'none'",
            f"style-src {csp_hash(_CSS)}",
            "img-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ])
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{esc(self.w["lang"])}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="sentra-kg (kg report)">\n'
            f"<title>{esc(b.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"{head}{body}\n</body>\n</html>\n"
        )

    # -- sections --------------------------------------------------------------------------

    def dataset(self) -> str:
        b, w = self.brief, self.w
        labels = self.words["labels"]
        counts = "".join(
            f"<li>{esc(labels.get(label, label))}: {esc(n)}</li>"
            for label, n in b.nodes.items()
        )
        parts = [
            "<p>" + esc(w["dataset_intro"].format(
                nodes=sum(b.nodes.values()), relationships=b.relationships
            )) + "</p>",
            f"<ul>{counts}</ul>",
        ]
        told = w["named"] if b.described else w  # named sentra: what their part cites
        if not b.sources:
            parts.append(f"<p>{esc(told['no_sources'])}</p>")
            return "".join(parts)
        parts.append(f"<p>{esc(told['sources_intro'])}</p>")
        rows = [
            [f"<code>{esc(s.id)}</code>", esc(s.title), esc(s.publisher), esc(s.date),
             f"<code>{esc(_address(s.url))}</code>" if s.url else "", esc(s.cited_by)]
            for s in b.sources
        ]
        parts.append(self.table(
            [w["source"], w["source_title"], w["publisher"], w["source_date"], w["address"],
             w["cited_by"]],
            rows, numeric={5},
        ))
        return "".join(parts)

    def summary(self) -> str:
        b, w = self.brief, self.w
        report = self.words["report"]
        severity_rows = [
            [f'<span class="severity severity-{s.value}">{esc(report[s.value])}</span>',
             esc(sum(c.count for c in b.checks if c.severity is s))]
            for s in sorted(Severity, key=lambda s: -s.rank)
        ]
        line = audit.AuditReport(b.checks, b.lang).sections()[-1].notes[0]  # its summary
        found = [c for c in b.checks if c.count]
        chart = (
            bar_chart([(c.title, c.count, _SEVERITY_COLORS[c.severity]) for c in found],
                       label=w["per_check"])
            if found else f"<p>{esc(w['no_findings'])}</p>"
        )
        legend = "".join(
            f"<span>{_swatch(color)}{esc(report[s.value])}</span>"
            for s, color in _SEVERITY_COLORS.items()
        )
        return (
            f"<p><strong>{esc(line)}</strong></p>"
            + self.table([w["severity"], w["count"]], severity_rows, numeric={1})
            + f"<h3>{esc(w['per_check'])}</h3><figure>{chart}"
            f'<figcaption class="legend">{legend}</figcaption></figure>'
        )

    def sentra(self, s: SentraBrief) -> str:
        w = self.w
        return "".join([
            "<p>" + esc(w["sentra_intro"].format(
                status=s.status, kecamatan=s.kecamatan, zone=s.zone
            )) + "</p>",
            f"<h3>{esc(w['actors'])}</h3>", self.actors(s),
            f"<h3>{esc(w['raci'])}</h3>", self.raci(s),
            f"<h3>{esc(self.followup['plan'])}</h3>", self.plan(s),
            f"<h3>{esc(self.followup['engagements'].format(**self.period()))}</h3>",
            self.engagements(s),
            f"<h3>{esc(self.followup['commitments'])}</h3>", self.commitments(s),
            f"<h3>{esc(w['funding'])}</h3>", self.funding(s),
            f"<h3>{esc(w['kiosks'])}</h3>", self.kiosks(s),
            f"<h3>{esc(self.followup['indicators'])}</h3>",
            self.indicators(s.indicators) if s.indicators
            else f"<p>{esc(self.followup['no_indicators'])}</p>",
            f"<h3>{esc(w['chain'])}</h3>", self.chains(s),
            f"<h3>{esc(w['neighbourhood'])}</h3>", self.neighbourhood(s),
        ])

    def actors(self, s: SentraBrief) -> str:
        w = self.w
        if not s.actors:
            return f"<p>{esc(w['no_actors'])}</p>"
        rows = [
            [esc(a.name), esc(a.kind), "<br>".join(esc(r) for r in a.roles)] for a in s.actors
        ]
        return self.table([w["actor"], w["kind"], w["roles"]], rows)

    def raci(self, s: SentraBrief) -> str:
        w, chart = self.w, s.chart
        if not chart.activities:
            return f"<p>{esc(w['no_activities'])}</p>"
        head = "".join(f'<th class="actor">{esc(name)}</th>' for _, name in chart.actors)
        body = []
        for activity, name in chart.activities:
            gaps = s.gaps.get(activity, [])
            mark = (
                "\u26a0 " + esc(name) + "".join(
                    f'<br><span class="gap-note">{esc(g)}</span>' for g in gaps
                )
                if gaps else esc(name)
            )
            cells = []
            for actor, _ in chart.actors:
                roles = chart.cells.get((activity, actor), [])
                if roles:
                    role_class = (Role.A if Role.A in roles else roles[0]).value
                    cells.append(
                        f'<td class="role role-{role_class}">'
                        f'{esc(chart.cell(activity, actor))}</td>'
                    )
                else:
                    cells.append("<td></td>")
            body.append(
                f'<tr{" class=\"gap\"" if gaps else ""}><th>{mark}</th>{"".join(cells)}</tr>'
            )
        legend = "".join(
            f"<span>{_swatch(color)}{esc(role.value)}</span>"
            for role, color in _ROLE_COLORS.items()
        )
        return (
            f'<table class="raci"><thead><tr><th>{esc(w["activity"])}</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>'
            f'<p class="legend">{legend} {esc(w["raci_legend"])}</p>'
        )

    def period(self) -> dict[str, str]:
        return {"since": self.brief.since.isoformat(), "as_of": self.brief.date.isoformat()}

    def plan(self, s: SentraBrief) -> str:
        """The sentra's activities on a time line, with a legend of its colours."""
        f, status = self.followup, self.words["activity_statuses"]
        if not s.plan:
            return f"<p>{esc(self.w['no_activities'])}</p>"
        columns = self.timeline["columns"]
        words = {
            "title": f["plan"], "phase": self.timeline["phase"],
            "no_phase": self.timeline["no_phase"], "no_date": f["no_date"],
            "as_of": f["as_of"], "started": columns["started"], "due": columns["due"],
            "completed": columns["completed"],
        }
        shown = {plan_state(activity) for activity in s.plan}
        legend = "".join(
            f"<span>{_swatch(color)}"
            f"{esc(f['overdue'] if key == 'overdue' else status[key])}</span>"
            for key, color in PLAN_COLORS.items() if key in shown
        )
        picture, notes = plan_picture(s.plan, self.brief.date, words)
        return (
            f"<p>{esc(f['plan_intro'].format(**self.period()))}</p>"
            f'<figure>{picture}<figcaption class="legend">{legend}'
            f'{"<br>" + _notes(notes) if notes else ""}</figcaption></figure>'
        )

    def engagements(self, s: SentraBrief) -> str:
        f, kinds = self.followup, self.words["engagement_kinds"]
        if not s.engagements:
            return f"<p>{esc(f['no_engagements'])}</p>"
        rows = [
            [_day(e.date), esc(kinds.get(e.kind or "", e.kind)), esc(e.name),
             esc(", ".join(e.actors)), esc(e.outcome)]
            for e in s.engagements
        ]
        return self.table(
            [f["date"], f["kind"], f["engagement"], f["participants"], f["outcome"]], rows
        )

    def commitments(self, s: SentraBrief) -> str:
        """Open commitments, those overdue first and marked."""
        f = self.followup
        if not s.commitments:
            return f"<p>{esc(f['no_commitments'])}</p>"
        head = "".join(
            f"<th>{esc(c)}</th>"
            for c in (f["commitment"], f["owed_by"], f["to"], f["made_on"], f["due"])
        )
        body = []
        for c in sorted(s.commitments, key=lambda c: not c.overdue):
            due = _day(c.due) if c.due else esc(f["no_due"])
            if c.overdue:
                due += f' <span class="overdue-mark">{esc(self.timeline["overdue"])}</span>'
            body.append(
                f'<tr{" class=\"overdue\"" if c.overdue else ""}>'
                f"<td>{esc(c.name)}</td><td>{esc(c.by[1])}</td>"
                f"<td>{esc(c.to[1] if c.to else '')}</td><td>{_day(c.made_on)}</td>"
                f"<td>{due}</td></tr>"
            )
        return (f"<table><thead><tr>{head}</tr></thead>"
                f'<tbody>{"".join(body)}</tbody></table>')

    def indicators(self, found: Sequence[IndicatorSeries]) -> str:
        """A small chart per indicator, its key, unit and direction below it."""
        f, lang = self.followup, self.brief.lang
        words = {"actual": f["actual"], "target": f["target"]}
        figures = "".join(
            f"<figure>{indicator_chart(series, words, lang)}<figcaption>"
            f"<strong>{esc(series.indicator)}</strong>"
            f"{esc(f' ({series.unit})' if series.unit else '')}, {esc(f[series.direction])}"
            "</figcaption></figure>"
            for series in found
        )
        legend = (f'<p class="legend"><span>{_swatch("#1f3b73")}{esc(f["actual"])}</span>'
                  f'<span>{_swatch("#8e1212")}{esc(f["target"])}</span>'
                  f'<span>{esc(f["indicator_legend"])}</span></p>')
        return f'<div class="indicators">{figures}</div>{legend}'

    def funding(self, s: SentraBrief) -> str:
        w, lang = self.w, self.brief.lang
        if not s.funding:
            return f"<p>{esc(w['no_funding'])}</p>"
        rows = []
        for line in s.funding:
            if line.without_amount == line.grants:
                amount = w["amount_unknown"]
            elif line.without_amount:
                amount = w["amount_part"].format(
                    amount=number(line.amount_idr, lang), unknown=line.without_amount
                )
            else:
                amount = number(line.amount_idr, lang)
            rows.append([esc(line.source_type), esc(line.grants), esc(amount),
                         esc(", ".join(line.funders))])
        table = self.table([w["source_type"], w["grants"], w["amount"], w["funders"]], rows,
                           numeric={1, 2})
        # Rupiah when every grant states one, otherwise the number of grants: as the
        # government-dependence check weighs them.
        by_amount = all(line.without_amount == 0 for line in s.funding)
        bars = [
            (line.source_type,
             line.amount_idr if by_amount else line.grants,
             "#1f3b73" if line.source_type in GOVERNMENT_BUDGETS else "#2e7d32")
            for line in s.funding
        ]
        label = w["amount"] if by_amount else w["grants"]
        return table + f"<figure>{bar_chart(bars, label=label, lang=lang)}</figure>"

    def kiosks(self, s: SentraBrief) -> str:
        w, lang = self.w, self.brief.lang
        total, occupied = s.kiosks_total, s.kiosks_occupied
        if not total or occupied is None:
            return f"<p>{esc(w['no_kiosks'])}</p>"
        threshold = float(audit.thresholds()["occupancy_below"].default or 0)
        share = occupied / total
        line = w["kiosks_line"].format(occupied=occupied, total=total,
                                       share=percent(share, lang))
        note = w["kiosks_threshold"].format(threshold=percent(threshold, lang))
        return (
            f"<p>{esc(line)} {esc(note)}</p>"
            f"<figure>{kiosk_bar(occupied, total, threshold)}</figure>"
        )

    def chains(self, s: SentraBrief) -> str:
        if not s.chains:
            return f"<p>{esc(self.w['no_chain'])}</p>"
        pictures = "".join(
            f"<figure>{picture}"
            + (f'<figcaption class="legend">{_notes(notes)}</figcaption>' if notes else "")
            + "</figure>"
            for picture, notes in (
                chain_picture(up, down, self.w["markets"]) for up, down in s.chains
            )
        )
        return f"<p>{esc(self.w['chain_intro'])}</p>{pictures}"

    def neighbourhood(self, s: SentraBrief) -> str:
        picture, labels, relations, notes = neighbourhood_picture(
            s.neighbourhood, s.id, self.w["more"]
        )
        names, rels = self.words["labels"], self.words["relations"]
        legend = "".join(
            f"<span>{_swatch(NODE_STYLES.get(label, OTHER_STYLE).color)}"
            f"{esc(names.get(label, label or names['none']))}</span>"
            for label in labels
        ) + "<br>" + "".join(
            f"<span>{_swatch(EDGE_STYLES.get(rel, OTHER_EDGE_STYLE).color, line=True)}"
            f"{esc(rels.get(rel, rel))}</span>"
            for rel in relations
        ) + ("<br>" + _notes(notes) if notes else "")
        return (
            f"<p>{esc(self.w['neighbourhood_intro'])}</p>"
            f'<figure>{picture}<figcaption class="legend">{legend}</figcaption></figure>'
        )

    def extra(self, section: Section) -> str:
        parts = [f"<h3>{esc(section.title)}</h3>"] if section.title else []
        if section.columns:
            parts.append(self.table(
                list(section.columns), [[esc(v) for v in row] for row in section.rows]
            ))
        if section.items:
            parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in section.items) + "</ul>")
        parts.extend(f"<p>{esc(note)}</p>" for note in section.notes)
        return "".join(parts)

    def findings(self) -> str:
        w, report = self.w, self.words["report"]
        recommendations = self.words["recommendations"]
        parts = [f"<p>{esc(w['findings_intro'])}</p>"]
        for check in self.brief.checks:
            if not check.count:
                continue
            shown = check.findings[:MAX_FINDINGS]
            items = "".join(f"<li>{esc(f.message)}</li>" for f in shown)
            if check.count > len(shown):
                items += f"<li>{esc(w['more'].format(n=check.count - len(shown)))}</li>"
            parts.append(
                '<div class="check">'
                f"<h3>{esc(check.title)} "
                f'<span class="severity severity-{check.severity.value}">'
                f"[{esc(report[check.severity.value])}, {esc(check.count)}]</span></h3>"
                f'<p class="recommendation"><strong>{esc(w["recommendation"])}:</strong> '
                f"{esc(recommendations[check.id])}</p><ul>{items}</ul></div>"
            )
        clear = [c.title for c in self.brief.checks if not c.count]
        if clear:
            parts.append(f"<p>{esc(w['checks_clear'].format(checks='; '.join(clear)))}</p>")
        return "".join(parts)

    def table(
        self, columns: Sequence[str], rows: Iterable[Sequence[str]], numeric: Collection[int] = ()
    ) -> str:
        """A table of cells already escaped; ``numeric`` columns align right."""

        def attr(i: int) -> str:
            return ' class="num"' if i in numeric else ""

        head = "".join(f"<th{attr(i)}>{esc(c)}</th>" for i, c in enumerate(columns))
        body = "".join(
            "<tr>" + "".join(f"<td{attr(i)}>{v}</td>" for i, v in enumerate(row)) + "</tr>"
            for row in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _notes(names: list[str]) -> str:
    """The whole names a picture shortened, ``[n] name`` a line each."""
    return "<br>".join(f"[{n}] {esc(name)}" for n, name in enumerate(names, start=1))


def _swatch(color: str, *, line: bool = False) -> str:
    """A small square (or line) of `color` for a legend: SVG, as the page allows no inline
    style attribute (its Content-Security-Policy)."""
    shape = (f'<rect x="0" y="4" width="12" height="3" fill="{color}"/>' if line
             else f'<rect x="0.5" y="0.5" width="11" height="11" fill="{color}" stroke="#666"/>')
    return f'<svg class="swatch" width="12" height="12" viewBox="0 0 12 12">{shape}</svg>'


def _day(day: str | None) -> str:
    """A date kept on one line."""
    return f'<span class="day">{esc(day)}</span>' if day else ""


def _address(url: str) -> str:
    """A source's address without its scheme: readable on paper, never a link."""
    for scheme in ("https://", "http://"):
        if url.lower().startswith(scheme):
            return url[len(scheme):]
    return url
