"""Pure rendering helpers for the pages: the highlighted article text and the inline SVG charts.

Everything here returns ``Markup`` built from escaped pieces: article strings are hostile input and are
only ever inserted through ``escape``. Charts are server-side SVG (no JavaScript, nothing to vendor), sized
in a viewBox so they scale with the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

ROLES = ("cue", "source", "content")  # priority when spans overlap: the innermost, most specific role shows
ROLE_LABEL = {"source": "source", "cue": "cue", "content": "content"}


@dataclass(slots=True)
class Segment:
    """A run of article text covered by the same set of (attribution id, role) marks."""

    start: int
    end: int
    marks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        roles = {r for _, r in self.marks}
        return next((r for r in ROLES if r in roles), None)

    @property
    def attr(self) -> str | None:
        role = self.role
        return next((a for a, r in self.marks if r == role), None)


def marks_of(report: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, attribution id, role) for every source, cue and content span of the report."""
    out = []
    for a in report.get("attributions") or []:
        for role in ROLES:
            part = a.get(role) or {}
            for s, e in part.get("spans") or []:
                if 0 <= s < e:
                    out.append((int(s), int(e), str(a.get("id")), role))
    return out


def segments(text_len: int, marks: Sequence[tuple[int, int, str, str]]) -> list[Segment]:
    """Cut [0, text_len) at every mark boundary; each piece lists the marks covering it."""
    cuts = sorted({0, text_len, *(min(p, text_len) for s, e, _, _ in marks for p in (s, e))})
    by_start = sorted(marks)
    out, active, i, n = [], [], 0, len(by_start)
    for s, e in zip(cuts, cuts[1:], strict=False):
        while i < n and by_start[i][0] <= s:
            active.append(by_start[i])
            i += 1
        if active:  # about half the pieces of an article are plain text: no marks to sort
            active = [m for m in active if m[1] > s]
        out.append(Segment(s, e, sorted({(m[2], m[3]) for m in active}) if active else []))
    return out


def highlight(text: str, report: dict[str, Any]) -> Markup:
    """The article text with each source, cue and content span wrapped in a link to its attribution's
    details. The text content of the result is exactly ``text`` (offsets stay true); every piece carries its
    offsets and marks as data attributes so a test can check them against the report."""
    parts = []
    for seg in segments(len(text), marks_of(report)):
        piece = esc(text[seg.start:seg.end])
        if not seg.marks:
            parts.append(piece)
            continue
        role = seg.role
        attr = next(a for a, r in seg.marks if r == role)
        roles = " ".join([f"{a}:{r}" for a, r in seg.marks])
        label = "; ".join([f"{a} {ROLE_LABEL[r]}" for a, r in seg.marks])
        parts.append(f'<a class="hl hl-{role}" href="#attr-{esc(attr)}" data-start="{seg.start}"'
                     f' data-end="{seg.end}" data-marks="{esc(roles)}" title="{esc(label)}">{piece}</a>')
    return Markup("".join(parts))


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;"))


def esc(value: str) -> str:
    """``markupsafe.escape``'s output as a plain string: the highlighted text has hundreds of pieces, and a
    ``Markup`` object per piece was a tenth of an article page's CPU."""
    for char, entity in _ESCAPES:
        if char in value:
            value = value.replace(char, entity)
    return value


@lru_cache(maxsize=32)
def _options(values: tuple[str, ...]) -> tuple[str, dict[str, int], tuple[str, ...]]:
    """The escaped ``<option>`` elements of a select's values: all joined, each value's index, each one."""
    each = tuple(f"<option>{esc(v)}</option>" for v in values)
    return "".join(each), {v: i for i, v in enumerate(values)}, each


def options(values: Sequence[str], selected: str | None) -> Markup:
    """A select's ``<option>`` elements with ``selected`` marked. The search form's outlet select lists every
    outlet in the ledger (hundreds), and writing it through the template cost a third of a search page; the
    options are built once per list of values (the lists are cached aggregates) and only the mark moves."""
    joined, index, each = _options(tuple(values))
    i = index.get(selected) if selected is not None else None
    if i is None:
        return Markup(joined)
    return Markup("".join((*each[:i], f"<option selected>{esc(values[i])}</option>", *each[i + 1:])))


# --- charts ----------------------------------------------------------------------------------------------

SERIES_COLOURS = ("#1f5fa8", "#c25400", "#2f7d32", "#7b3fa0")  # all ≥ 4.5:1 on white


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
                  f' role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>')


def _short(v: Any, n: int = 28) -> str:
    s = " ".join(str(v or "—").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def stacked_bars(title: str, rows: Sequence[tuple[str, Sequence[float]]], series: Sequence[str],
                 percent: bool = False) -> Markup:
    """Horizontal stacked bars, one row per label, with a legend; ``percent`` scales every row to 0..1."""
    label_w, bar_w, row_h = 190, 330, 22
    height = 30 + row_h * max(1, len(rows))
    top = max([sum(v) for _, v in rows] or [1]) or 1
    body = []
    for k, name in enumerate(series):
        lx = label_w + k * 110
        body.append(f'<rect x="{lx}" y="4" width="12" height="12" fill="{SERIES_COLOURS[k]}"/>'
                    f'<text x="{lx + 16}" y="14" class="legend">{escape(name)}</text>')
    for i, (label, values) in enumerate(rows):
        y = 26 + i * row_h
        body.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(_short(label))}</text>')
        x = float(label_w)
        for k, v in enumerate(values):
            w = bar_w * (v if percent else v / top)
            if w > 0:
                body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}"'
                            f' fill="{SERIES_COLOURS[k]}"><title>{escape(label)}: {escape(series[k])}'
                            f' {_fmt(v, percent)}</title></rect>')
            x += w
        total = sum(values)
        body.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="value">{_fmt(total, percent)}</text>')
    return _svg(label_w + bar_w + 60, height, title, body)


def _fmt(v: float, percent: bool) -> str:
    return f"{100 * v:.0f}%" if percent else f"{v:g}"


def columns_over_time(title: str, rows: Sequence[tuple[str, Sequence[float]]], series: Sequence[str]) -> Markup:
    """Stacked columns, one per period (e.g. month), oldest left."""
    n = max(1, len(rows))
    col_w = max(8, min(40, 520 // n))
    width, base = max(360, 60 + col_w * n + 20), 170
    top = max([sum(v) for _, v in rows] or [1]) or 1
    body = [f'<line x1="50" y1="{base}" x2="{width - 10}" y2="{base}" class="axis"/>',
            f'<text x="46" y="{base - 140 + 4}" text-anchor="end">{top:g}</text>',
            f'<text x="46" y="{base}" text-anchor="end">0</text>']
    for k, name in enumerate(series):
        body.append(f'<rect x="{60 + k * 110}" y="4" width="12" height="12" fill="{SERIES_COLOURS[k]}"/>'
                    f'<text x="{76 + k * 110}" y="14" class="legend">{escape(name)}</text>')
    for i, (label, values) in enumerate(rows):
        x, y = 60 + i * col_w, float(base)
        for k, v in enumerate(values):
            h = 140 * v / top
            if h > 0:
                y -= h
                body.append(f'<rect x="{x + 1}" y="{y:.1f}" width="{col_w - 2}" height="{h:.1f}"'
                            f' fill="{SERIES_COLOURS[k]}"><title>{escape(label or "undated")}: {escape(series[k])}'
                            f' {v:g}</title></rect>')
        if n <= 12 or i % max(1, n // 8) == 0:
            body.append(f'<text x="{x + col_w / 2:.1f}" y="{base + 14}" text-anchor="middle"'
                        f' class="tick">{escape(label or "undated")}</text>')
    return _svg(width, base + 22, title, body)


def relay_graph(title: str, origins: Sequence[dict[str, Any]], members: Sequence[dict[str, Any]]) -> Markup:
    """Independent origins (left) and the articles that carry the claim (right, in publication order), an
    arrow for each hand-over: origin → first article, and article → article where one relayed another."""
    arts: list[str] = []
    info: dict[str, dict[str, Any]] = {}
    for m in sorted(members, key=lambda m: (m.get("published") or "", m.get("article_id") or "")):
        if m["article_id"] not in info:
            arts.append(m["article_id"])
            info[m["article_id"]] = m
    row_h, width = 34, 720
    height = 20 + row_h * max(len(origins), len(arts), 1)
    ypos = {a: 20 + i * row_h for i, a in enumerate(arts)}
    body = ['<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7"'
            ' orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444"/></marker></defs>']
    for i, o in enumerate(origins):
        y = 20 + i * row_h
        relays = [r for r in o.get("relays") or [] if r.get("article_id") in ypos]
        if relays:  # the origin reaches its first carrier directly
            body.append(f'<line x1="230" y1="{y}" x2="430" y2="{ypos[relays[0]["article_id"]]}" class="edge"'
                        ' marker-end="url(#arrow)"/>')
        for r in relays:  # and one article relays another
            src, y2 = r.get("relayed_from"), ypos[r["article_id"]]
            if src in ypos and src != r["article_id"]:
                body.append(f'<path d="M 690 {ypos[src]} C 715 {ypos[src]} 715 {y2} 690 {y2}" class="edge relay"'
                            ' marker-end="url(#arrow)"/>')
        body.append(f'<rect x="10" y="{y - 12}" width="220" height="24" rx="12" class="node origin"/>'
                    f'<text x="20" y="{y + 4}">{escape(_short(o.get("name"), 30))}</text>')
    for a in arts:
        m, y = info[a], ypos[a]
        label = f'{m.get("outlet") or a} · {m.get("published") or "undated"}'
        body.append(f'<rect x="432" y="{y - 12}" width="258" height="24" rx="4" class="node article"/>'
                    f'<text x="440" y="{y + 4}">{escape(_short(label, 38))}</text>')
    return _svg(width, height, title, body)


def timeline(title: str, members: Sequence[dict[str, Any]]) -> Markup:
    """Each article carrying the claim as a dot on a date axis (undated articles at the right end)."""
    dated = sorted({(_day(m.get("published")) or "", m.get("outlet") or m["article_id"]) for m in members})
    days = sorted({d for d, _ in dated if d})
    width, left, right = 720, 80, 640
    d0 = date.fromisoformat(days[0]) if days else None
    span = max(1, (date.fromisoformat(days[-1]) - d0).days) if d0 and len(days) > 1 else 0

    def xpos(d: str) -> float:
        if not d0 or not span:
            return (left + right) / 2
        return left + (right - left) * (date.fromisoformat(d) - d0).days / span

    body = [f'<line x1="{left}" y1="40" x2="{right}" y2="40" class="axis"/>']
    if days:
        body.append(f'<text x="{left}" y="60" class="tick">{escape(days[0])}</text>')
        if len(days) > 1:
            body.append(f'<text x="{right}" y="60" text-anchor="end" class="tick">{escape(days[-1])}</text>')
    for i, (d, outlet) in enumerate(dated):
        x = xpos(d) if d else right + 20
        body.append(f'<circle cx="{x:.1f}" cy="40" r="6" class="dot"><title>{escape(outlet)}:'
                    f' {escape(d or "undated")}</title></circle>'
                    f'<text x="{x:.1f}" y="{28 - 11 * (i % 2)}" text-anchor="middle" class="tick">'
                    f'{escape(_short(outlet, 16))}</text>')
    return _svg(width, 70, title, body)


def _day(value: Any) -> str | None:
    """The YYYY-MM-DD prefix of a stored date when it is a real date (stored dates are hostile input too)."""
    try:
        return date.fromisoformat(str(value)[:10]).isoformat() if value else None
    except ValueError:
        return None
