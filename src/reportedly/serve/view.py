"""Rich terminal view of a Report: who says what, through which channel and chain, how hedged.

Article text is hostile input: every piece of it goes into ``rich.text.Text`` objects (never parsed
as console markup), and control characters are replaced so that text cannot move the cursor or
change colours. Long fields are clipped.
"""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from reportedly.model import Attribution, Chain, Entity, Hedge, Report

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MAX = 400


def clean(value: object, limit: int = _MAX) -> str:
    """Printable, bounded text: control and bidi-override characters removed, newlines flattened."""
    s = "" if value is None else str(value)
    s = _CONTROL.sub(" ", s.replace("\n", " ").replace("\r", " "))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _t(value: object, style: str = "", limit: int = _MAX) -> Text:
    return Text(clean(value, limit), style=style)


def _hedges(hs: list[Hedge]) -> Text:
    if not hs:
        return Text("—", style="dim")
    return Text(", ".join(f"{clean(h.text, 40)} ({h.strength:.1f})" for h in hs), style="yellow")


def _entity_label(ents: dict[str, Entity], eid: str | None) -> str:
    if eid is None:
        return "?"
    e = ents.get(eid)
    return f"{e.name} [{e.kind}]" if e else eid


def _chain_text(chain: Chain | None, ents: dict[str, Entity]) -> Text:
    if chain is None:
        return Text("")
    out = Text()
    for i, h in enumerate(chain.hops):
        if i:
            out.append(" → ", style="dim")
        if h.article:
            out.append("this article", style="bold")
            continue
        out.append(clean(_entity_label(ents, h.entity), 80), style="cyan")
        extra = ", ".join(x for x in (h.channel, h.date) if x)
        if extra:
            out.append(f" ({clean(extra, 60)})", style="dim")
    if chain.first_hand is False:
        out.append("  second-hand", style="red")
    elif chain.first_hand:
        out.append("  first-hand", style="green")
    return out


def _chain_for(report: Report, a: Attribution) -> Chain | None:
    by_claim = {c.claim: c for c in report.chains}
    if a.id in by_claim:
        return by_claim[a.id]
    # a relaying claim shows the chain of the first claim it relays
    for c in report.chains:
        child = next((x for x in report.attributions if x.id == c.claim), None)
        while child is not None and child.parent:
            if child.parent == a.id:
                return c
            child = next((x for x in report.attributions if x.id == child.parent), None)
    return None


def render(report: Report, console: Console) -> None:
    """Print the report of one article."""
    art = report.article
    ents = {e.id: e for e in report.entities}
    head = Text()
    head.append(clean(art.title or art.id, 200), style="bold")
    meta = " · ".join(clean(x, 80) for x in (art.outlet, art.byline, art.published, art.url) if x)
    if meta:
        head.append("\n" + meta, style="dim")
    if report.headline is not None:
        style = {"supported": "green", "overstated": "red"}.get(report.headline.support, "yellow")
        head.append("\nheadline: ", style="dim")
        head.append(clean(report.headline.support, 20), style=f"bold {style}")
        head.append(" — " + clean(report.headline.why, 300))
    console.print(Panel(head, title=Text(clean(art.id, 60)), expand=True))

    table = Table(title="Attributions", show_lines=True, expand=True)
    for col in ("id", "source", "cue", "content", "channel / date", "hedges", "chain"):
        table.add_column(col, overflow="fold")
    for a in report.attributions:
        src = Text()
        if a.source is not None:
            src.append(clean(a.source.text, 120))
            if a.source.entity:
                src.append("\n" + clean(_entity_label(ents, a.source.entity), 120), style="cyan")
        else:
            src.append("(no source)", style="dim")
        cue = _t(a.cue.text, "bold", 60)
        cue.append(f"\n{clean(a.kind, 20)}", style="dim")
        chd = Text()
        if a.channel is not None:
            chd.append(clean(a.channel.type, 30), style="magenta")
            chd.append("\n" + clean(a.channel.text, 80), style="dim")
        if a.date is not None:
            chd.append(("\n" if a.channel else "") + clean(a.date.value or "?", 20), style="green")
            chd.append(f" ({clean(a.date.text, 40)})", style="dim")
        parent = f"\nrelayed by {a.parent}" if a.parent else ""
        table.add_row(_t(a.id + parent, limit=40), src, cue, _t(a.content.text, limit=300), chd, _hedges(a.hedges),
                      _chain_text(_chain_for(report, a), ents))
    console.print(table)

    if report.entities:
        et = Table(title="Entities", expand=True)
        for col in ("id", "name", "kind", "mentions"):
            et.add_column(col, overflow="fold")
        for e in report.entities:
            et.add_row(_t(e.id), _t(e.name, limit=100), _t(e.kind, "cyan"), _t(str(len(e.mentions))))
        console.print(et)
    parts = []
    if report.quantities:
        qt = Table(title="Quantities", expand=True)
        for col in ("text", "range", "unit"):
            qt.add_column(col, overflow="fold")
        for q in report.quantities:
            lo = "—" if q.low is None else f"{'>' if q.low_exclusive else '≥'}{q.low:g}"
            hi = "—" if q.high is None else f"{'<' if q.high_exclusive else '≤'}{q.high:g}"
            qt.add_row(_t(q.text, limit=80), _t(f"{lo} … {hi}"), _t(q.unit or "", limit=60))
        parts.append(qt)
    if report.times:
        tt = Table(title="Times", expand=True)
        tt.add_column("text", overflow="fold")
        tt.add_column("value")
        for t in report.times:
            tt.add_row(_t(t.text, limit=80), _t(t.value or "?"))
        parts.append(tt)
    if report.unattributed:
        ut = Table(title="The article's own voice (unattributed)", expand=True)
        ut.add_column("sentence", overflow="fold")
        ut.add_column("hedges")
        for u in report.unattributed:
            ut.add_row(_t(u.text, limit=300), _hedges(u.hedges))
        parts.append(ut)
    if parts:
        console.print(Group(*parts))
