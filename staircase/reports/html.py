"""The report as one HTML document: printed to PDF (pictures as SVG, print CSS) or saved as
a web page (the same, with the charts interactive). Every text from the content is
escaped: nothing a user typed becomes markup."""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterable
from datetime import date, datetime

from staircase.domain.moments import format_moment
from staircase.i18n import percent, t
from staircase.reports.model import Cell, Column, Figure, Report, Section, Table

FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'
INK = "#1F2A3C"

PRINT_CSS = f"""
@page {{
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-left {{ content: string(report-title); font: 8pt {FONT}; color: #4A5568; }}
  @bottom-right {{ content: counter(page) " / " counter(pages); font: 8pt {FONT}; color: #4A5568; }}
}}
html {{ font-family: {FONT}; font-size: 9.5pt; color: {INK}; line-height: 1.35; }}
h1 {{ string-set: report-title content(); font-size: 20pt; margin: 0 0 6mm 0; }}
h2 {{ font-size: 14pt; margin: 8mm 0 3mm 0; break-after: avoid; }}
h3 {{ font-size: 11pt; margin: 5mm 0 2mm 0; break-after: avoid; }}
.cover {{ break-after: page; padding-top: 40mm; }}
.cover p {{ font-size: 12pt; margin: 2mm 0; }}
figure {{ margin: 3mm 0 4mm 0; break-inside: avoid; }}
figure img {{ width: 100%; }}
figcaption {{ font-size: 9pt; color: #2D3748; margin-top: 1mm; }}
table {{ width: 100%; margin: 2mm 0 5mm 0; font-size: 8.5pt;
  table-layout: fixed; border-collapse: separate; border-spacing: 0; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: 1.5mm; break-after: avoid; }}
th, td {{ border-bottom: 0.5pt solid #B8BFCA; padding: 1mm 1.5mm; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }}
th {{ background: #EBF0F8; border-top: 0.5pt solid #B8BFCA; hyphens: auto; }}
th:first-child {{ width: 34%; }}
td.n {{ text-align: right; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
"""

SCREEN_CSS = f"""
body {{ font-family: {FONT}; color: {INK}; max-width: 1100px; margin: 2rem auto; padding: 0 1rem;
  line-height: 1.45; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem 0; font-size: 0.9rem; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: 0.3rem; }}
th, td {{ border: 1px solid #B8BFCA; padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; }}
th {{ background: #EBF0F8; }}
td.n {{ text-align: right; white-space: nowrap; }}
figure {{ margin: 1rem 0 1.5rem 0; }}
figure img {{ max-width: 100%; }}
details {{ margin: 0.5rem 0 1rem 0; }}
.chart {{ width: 100%; min-height: 420px; }}
.cover p {{ margin: 0.2rem 0; }}
"""


def document(report: Report, *, interactive: bool = False, plotly_js: str = "") -> str:
    """The report's HTML. `interactive`: each figure that has one is a Plotly chart (with
    `plotly_js` inlined, so the page works offline), its picture kept as the fallback."""
    lang = report.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(report.title)}</title>",
        f'<meta name="author" content="{_e(report.made_by or "Lärtrappan")}">',
        f'<meta name="description" content="{_e(" · ".join(report.cover))}">',
        '<meta name="generator" content="Lärtrappan">',
        f'<meta name="dcterms.created" content="{report.made_at.date().isoformat()}">',
        f"<style>{SCREEN_CSS if interactive else PRINT_CSS}</style>",
    ]
    if interactive:
        parts.insert(3, '<meta name="viewport" content="width=device-width, initial-scale=1">')
    if interactive and plotly_js:
        parts.append(f"<script>{plotly_js}</script>")
    parts += ["</head>", "<body>", '<section class="cover">', f"<h1>{_e(report.title)}</h1>"]
    parts += [f"<p>{_e(line)}</p>" for line in report.cover]
    parts.append("</section>")
    charts: list[tuple[str, str]] = []
    for section in report.sections:
        parts.append(_section(section, lang, interactive, charts))
    if charts:
        parts.append(_chart_script(charts))
    parts += ["</body>", "</html>"]
    return "\n".join(parts)


def _section(section: Section, lang: str, interactive: bool, charts: list[tuple[str, str]]) -> str:
    out = [f'<section id="{_e(section.key)}">', f"<h2>{_e(section.title)}</h2>"]
    out += [f"<p>{_e(line)}</p>" for line in section.text]
    for figure in section.figures:
        out.append(_figure(figure, lang, interactive, charts))
    out += [table(t_, lang) for t_ in section.tables]
    out.append("</section>")
    return "\n".join(out)


def _figure(figure: Figure, lang: str, interactive: bool, charts: list[tuple[str, str]]) -> str:
    picture = (
        f'<img alt="{_e(figure.alt)}" '
        f'src="data:image/svg+xml;base64,{base64.b64encode(figure.svg.encode()).decode()}">'
    )
    body = picture
    if interactive and figure.plotly is not None:
        chart_id = f"chart-{len(charts) + 1}"
        charts.append((chart_id, figure.plotly))
        body = (
            f'<div class="chart" id="{chart_id}" role="img" aria-label="{_e(figure.alt)}">'
            f"{picture}</div>"
        )
    data = table(figure.table, lang)
    if interactive:
        data = f"<details><summary>{_e(figure.table.caption)}</summary>{data}</details>"
    return f"<figure>{body}<figcaption>{_e(figure.alt)}</figcaption></figure>\n{data}"


def table(content: Table, lang: str) -> str:
    head = "".join(f'<th scope="col">{_e(c.title)}</th>' for c in content.columns)
    rows = "".join(
        "<tr>"
        + "".join(_cell(v, c, lang) for v, c in zip(row, content.columns, strict=True))
        + "</tr>"
        for row in content.rows
    )
    if not content.rows:
        span = max(1, len(content.columns))
        rows = f'<tr><td colspan="{span}">{_e(t("report.empty_table", lang))}</td></tr>'  # type: ignore[arg-type]
    return (
        f"<table><caption>{_e(content.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def cell_text(value: Cell, column: Column, lang: str) -> str:
    """A cell as people read it: '42 %', '2026-11-30', '2026-11-30 14:02'."""
    if value is None:
        return ""
    if column.kind == "percent" and isinstance(value, int | float):
        return percent(float(value), lang)  # type: ignore[arg-type]
    if column.kind == "decimal" and isinstance(value, int | float):
        text = f"{float(value):.1f}"
        return text.replace(".", ",") if lang == "sv" else text
    if isinstance(value, datetime):
        return format_moment(value) if column.kind != "date" else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(value: Cell, column: Column, lang: str) -> str:
    numeric = column.kind in ("int", "percent", "decimal")
    css = ' class="n"' if numeric else ""
    return f"<td{css}>{_e(cell_text(value, column, lang))}</td>"


def _chart_script(charts: Iterable[tuple[str, str]]) -> str:
    """Draw each chart in place of its picture (the picture stays if Plotly is missing)."""
    specs = "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in charts) + "}"
    specs = specs.replace("</", "<\\/")  # no '</script>' inside the script
    return (
        "<script>(function(){var specs=" + specs + ";"
        "if(!window.Plotly){return;}"
        "Object.keys(specs).forEach(function(id){var el=document.getElementById(id);"
        "var s=specs[id];el.innerHTML='';"
        "Plotly.newPlot(el,s.data||[],s.layout||{},{responsive:true,displaylogo:false});});"
        "})();</script>"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
