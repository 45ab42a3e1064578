"""Rich terminal view of a Report: who says what, through which channel and chain, how hedged.

A list, not a table: one block per attribution (source and cue on the first line, the content indented
and word-wrapped under it, then channel · date · hedges and the chain of custody), so that it reads at
80 columns as well as at 200. A 7-column table broke words into 8-character pieces at 80 columns.

Article text is hostile input: every piece of it goes into ``rich.text.Text`` objects (never parsed
as console markup), and control characters are replaced so that text cannot move the cursor or
change colours. Long fields are clipped.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from reportedly.model import Attribution, Chain, Entity, Hedge, Report

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MAX = 400
_INDENT = 4


def clean(value: object, limit: int = _MAX) -> str:
    """Printable, bounded text: control and bidi-override characters removed, newlines flattened."""
    s = "" if value is None else str(value)
    s = _CONTROL.sub(" ", s.replace("\n", " ").replace("\r", " "))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _t(value: object, style: str = "", limit: int = _MAX) -> Text:
    return Text(clean(value, limit), style=style)


def _hedges(hs: list[Hedge]) -> Text:
    if not hs:
        return Text("no hedge", style="dim")
    return Text(", ".join(f"{clean(h.text, 40)} ({h.strength:.1f})" for h in hs), style="yellow")


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
        e = ents.get(h.entity or "")
        out.append(clean(e.name if e else (h.entity or "?"), 80), style="cyan")
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


def _source_line(a: Attribution, ents: dict[str, Entity]) -> Text:
    """``a2  the ministry [government: Ministry of Defence of Ukraine] — said (indirect)``."""
    line = Text()
    line.append(clean(a.id, 20), style="bold")
    line.append("  ")
    if a.source is None:
        line.append("(no source)", style="dim")
    else:
        line.append(clean(a.source.text, 120))
        e = ents.get(a.source.entity or "")
        if e is not None:
            same = e.name.lower() == a.source.text.strip().lower()
            line.append(f" [{clean(e.kind, 20)}" + ("" if same else f": {clean(e.name, 80)}") + "]", style="cyan")
    line.append(" — ", style="dim")
    line.append(clean(a.cue.text, 60), style="bold")
    line.append(f" ({clean(a.kind, 20)})", style="dim")
    return line


def _details(a: Attribution) -> Text:
    """channel · date · hedges (· relayed by / told) on one line."""
    parts: list[Text] = []
    if a.channel is not None:
        ch = Text(clean(a.channel.type, 30), style="magenta")
        ch.append(f" “{clean(a.channel.text, 60)}”", style="dim")
        parts.append(ch)
    if a.date is not None:
        d = Text(clean(a.date.value or "?", 20), style="green")
        d.append(f" ({clean(a.date.text, 40)})", style="dim")
        parts.append(d)
    parts.append(_hedges(a.hedges))
    if a.recipient is not None:
        parts.append(Text("to " + clean(a.recipient.text, 60), style="dim"))
    if a.parent:
        parts.append(Text("relayed by " + clean(a.parent, 20), style="dim"))
    return Text(" · ", style="dim").join(parts)


def _section(console: Console, title: str) -> None:
    console.print()
    console.print(Rule(Text(title, style="bold"), align="left", style="dim"))


def _indented(text: Text) -> Padding:
    return Padding(text, (0, 0, 0, _INDENT))


def _why(a: Attribution) -> Text | None:
    """``why: person_in_span — the person's name “Lena Novak” titled “NBC News correspondent”``."""
    ex = a.source.explanation if a.source is not None else None
    if not ex:
        return None
    line = Text("why: ", style="dim")
    line.append(clean(ex.get("resolver"), 40), style="magenta")
    line.append(" — " + clean(ex.get("evidence"), 300), style="dim")
    return line


def _attributions(report: Report, console: Console, ents: dict[str, Entity], explain: bool) -> None:
    _section(console, f"Attributions ({len(report.attributions)})")
    for n, a in enumerate(report.attributions):
        if n:
            console.print()
        console.print(_source_line(a, ents))
        why = _why(a) if explain else None
        if why is not None:
            console.print(_indented(why))
        console.print(_indented(_t(a.content.text, limit=600)))
        console.print(_indented(_details(a)))
        chain = _chain_text(_chain_for(report, a), ents)
        if chain.plain:
            console.print(_indented(Text("chain: ", style="dim") + chain))


def _entities(report: Report, console: Console) -> None:
    if not report.entities:
        return
    _section(console, f"Entities ({len(report.entities)})")
    for e in report.entities:
        line = Text(f"{clean(e.id, 12):<5}", style="bold")
        line.append(clean(e.name, 100))
        line.append(f" [{clean(e.kind, 20)}]", style="cyan")
        line.append(f" ×{len(e.mentions)}", style="dim")
        console.print(_indented(line))


def _quantities(report: Report, console: Console) -> None:
    if not report.quantities:
        return
    _section(console, f"Quantities ({len(report.quantities)})")
    for q in report.quantities:
        lo = "—" if q.low is None else f"{'>' if q.low_exclusive else '≥'}{q.low:g}"
        hi = "—" if q.high is None else f"{'<' if q.high_exclusive else '≤'}{q.high:g}"
        line = _t(q.text, limit=80)
        line.append(f"  {lo} … {hi}", style="green")
        if q.unit:
            line.append(" " + clean(q.unit, 60), style="dim")
        console.print(_indented(line))


def _times(report: Report, console: Console) -> None:
    if not report.times:
        return
    _section(console, f"Times ({len(report.times)})")
    for tm in report.times:
        line = _t(tm.text, limit=80)
        line.append("  " + clean(tm.value or "?", 40), style="green")
        console.print(_indented(line))


def _own_voice(report: Report, console: Console) -> None:
    if not report.unattributed:
        return
    _section(console, f"The article's own voice, unattributed ({len(report.unattributed)})")
    for u in report.unattributed:
        line = Text("• ", style="dim")
        line.append(clean(u.text, 300))
        if u.hedges:
            line.append("  ")
            line.append(_hedges(u.hedges))
        console.print(Padding(line, (0, 0, 0, 2)))


def _headline(report: Report, console: Console) -> None:
    if report.headline is None:
        return
    _section(console, "Headline")
    style = {"supported": "green", "overstated": "red"}.get(report.headline.support, "yellow")
    line = Text(clean(report.headline.support, 20), style=f"bold {style}")
    line.append(" — " + clean(report.headline.why, 300))
    console.print(_indented(line))


def render(report: Report, console: Console, explain: bool = False) -> None:
    """Print the report of one article; ``explain`` adds, under each source, the resolver that decided who
    it is and its evidence."""
    art = report.article
    ents = {e.id: e for e in report.entities}
    console.print(_t(art.title or art.id, "bold", 200))
    meta = " · ".join(clean(x, 80) for x in (art.id, art.outlet, art.byline, art.published, art.url) if x)
    if meta:
        console.print(Text(meta, style="dim"))
    _attributions(report, console, ents, explain)
    for part in (_entities, _quantities, _times, _own_voice, _headline):
        part(report, console)
