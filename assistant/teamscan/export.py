"""The teamscan result for a steering-group meeting: radar chart, table, plan, sources.

The chart is a PNG (matplotlib, Agg backend); the Markdown export embeds it as a data URI so
one file stands on its own, and the PDF places it on the first page.
"""

from __future__ import annotations

import base64
import io
import math
from datetime import date

from assistant.teamscan.model import TeamscanResult
from assistant.teamscan.plan import ORIGIN_LABELS, Plan
from assistant.teamscan.store import Scan
from assistant.wizards.export import Pdf, citation_line


def radar_png(result: TeamscanResult, previous: TeamscanResult | None = None) -> bytes:
    """Median per dimension on a 0-5 radar, with each dimension's lowest and highest member score."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [d.name for d in result.dimensions]
    angles = [2 * math.pi * i / len(names) for i in range(len(names))]

    def closed(values: list[float]) -> list[float]:
        return values + values[:1]

    fig = plt.figure(figsize=(6.4, 5.2), dpi=110)
    ax = fig.add_subplot(polar=True)
    ring = closed(angles)
    ax.fill_between(
        ring,
        closed([d.low for d in result.dimensions]),
        closed([d.high for d in result.dimensions]),
        color="#4c72b0",
        alpha=0.15,
        label="spreiding (laagste-hoogste lid)",
    )
    ax.plot(
        ring, closed([d.median for d in result.dimensions]), color="#4c72b0", linewidth=2, marker="o", label="mediaan"
    )
    if previous is not None:
        ax.plot(
            ring, closed([d.median for d in previous.dimensions]), color="#999999", linestyle="--", label="vorige scan"
        )
    flagged = [(angle, d.high) for angle, d in zip(angles, result.dimensions, strict=True) if d.disagree]
    if flagged:
        ax.plot(
            *zip(*flagged, strict=True),
            linestyle="none",
            marker="^",
            color="#c44e52",
            markersize=9,
            label="leden verschillen van mening",
        )
    ax.set_xticks(angles, [n.replace(" en ", "\nen ") for n in names], fontsize=8)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.legend(loc="upper right", bbox_to_anchor=(1.35, 1.12), fontsize=7)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _lines(scan: Scan, result: TeamscanResult, plan: Plan, previous: TeamscanResult | None) -> list[str]:
    computed, rated = result.labels()
    lines = [
        f"Datum: {date.today().isoformat()} · Code: {scan.code} · {result.respondents} respondent(en)",
        "",
        f"Berekende fase (uit de elementen die er zijn): {computed}",
        f"Fase volgens de leden: {rated}",
        "",
    ]
    before = {d.id: d.median for d in previous.dimensions} if previous else {}
    for d in result.dimensions:
        change = f" (was {before[d.id]:g})" if d.id in before else ""
        flag = " – leden verschillen van mening" if d.disagree else ""
        lines.append(f"- {d.name}: mediaan {d.median:g}{change}, spreiding {d.low:g}–{d.high:g}{flag}")
    return lines


def _plan_groups(plan: Plan, result: TeamscanResult) -> list[tuple[str, list[str]]]:
    """The plan's actions per dimension, weakest first, each with its origin, owner, date and status."""
    names = {d.id: d.name for d in result.dimensions}
    groups: dict[str, list[str]] = {}
    for a in plan.actions:
        extra = ", ".join(
            x
            for x in (ORIGIN_LABELS[a.origin], a.owner and f"eigenaar {a.owner}", a.due and f"datum {a.due}", a.status)
            if x
        )
        groups.setdefault(names[a.dimension], []).append(f"- {a.text} [{a.citation.n}] ({extra})")
    return list(groups.items())


def to_markdown(
    scan: Scan,
    result: TeamscanResult,
    plan: Plan,
    previous: TeamscanResult | None = None,
    chart: bytes | None = None,
) -> str:
    """`chart`: the radar PNG when the caller already drew it (drawn here otherwise)."""
    encoded = base64.b64encode(chart or radar_png(result, previous)).decode("ascii")
    lines = [
        f"# Teamscan: {scan.title}",
        "",
        *_lines(scan, result, plan, previous),
        "",
        f"![Radar van de teamscan](data:image/png;base64,{encoded})",
        "",
        "## Actieplan",
        "",
        *[line for name, actions in _plan_groups(plan, result) for line in (f"### {name}", "", *actions, "")],
        "## Bronnen",
        "",
        *[f"{c.n}. {citation_line(c)}" for c in plan.citations],
    ]
    return "\n".join(lines).rstrip() + "\n"


def to_pdf(
    scan: Scan,
    result: TeamscanResult,
    plan: Plan,
    previous: TeamscanResult | None = None,
    chart: bytes | None = None,
) -> bytes:
    """`chart`: the radar PNG when the caller already drew it (drawn here otherwise)."""
    pdf = Pdf()
    pdf.set_title(pdf.clean(f"Teamscan: {scan.title}"))
    pdf.set_creator("JZOJP beslisondersteuning")
    pdf.add_page()
    pdf.para(f"Teamscan: {scan.title}", size=16, bold=True)
    for line in _lines(scan, result, plan, previous):
        pdf.para(line, size=9, gap=0.5)
    pdf.image(io.BytesIO(chart or radar_png(result, previous)), w=150)
    pdf.add_page()
    pdf.para("Actieplan", size=12, bold=True)
    for name, actions in _plan_groups(plan, result):
        pdf.para(name, size=10, bold=True)
        for line in actions:
            pdf.para(line, size=9, gap=0.8)
    pdf.para("Bronnen", size=12, bold=True)
    for c in plan.citations:
        pdf.para(f"{c.n}. {citation_line(c)}", size=8, gap=0.5)
    return bytes(pdf.output())
