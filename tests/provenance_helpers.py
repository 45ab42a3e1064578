"""Hand-built attributions over real text, so the resolve layer is tested independently of extraction."""

from __future__ import annotations

from reportedly.model import Attribution, Cue, Field, Source


def find(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    s = text.index(piece, after)
    return s, s + len(piece)


def attr(text: str, id: str, source: str | None, cue: str, content: str, kind: str = "indirect",
         after: int = 0, recipient: str | None = None, lemma: str | None = None) -> Attribution:
    """An Attribution whose spans are the first occurrences (from ``after``) of the given pieces.

    ``content`` may hold " ||| " to make a discontinuous span; ``source``/``recipient`` are looked up
    near the cue (the occurrence closest to it)."""
    cs, ce = find(text, cue, after)
    pieces = []
    pos = after
    for piece in content.split(" ||| "):
        s, e = find(text, piece, pos)
        pieces.append((s, e))
        pos = e
    src = None
    if source is not None:
        occ = [i for i in range(len(text)) if text.startswith(source, i)]
        s = min(occ, key=lambda i: abs(i - cs))
        src = Source(source, [(s, s + len(source))])
    rec = None
    if recipient is not None:
        s, e = find(text, recipient, cs)
        rec = Field(recipient, [(s, e)])
    return Attribution(id=id, cue=Cue(cue, [(cs, ce)], lemma or cue.split()[0].lower()),
                       content=Field(" … ".join(text[s:e] for s, e in pieces), pieces), kind=kind,
                       source=src, recipient=rec)


def seed_attributions(text: str) -> list[Attribution]:
    """The nine attributions of seed-reading.md plus Newsweek's relay, as a correct extractor gives them."""
    p2 = text.index("In a post shared")
    return [
        attr(text, "a1", "the Ministry of Defence of Ukraine", "according to",
             "\"Several hundred\" Russian soldiers have reportedly switched sides and are now joining Kyiv's "
             "resistance of President Vladimir Putin's invasion of Ukraine", kind="according_to", lemma="according to"),
        attr(text, "a2", "the ministry", "said",
             "the \"Freedom of Russia\" legion commanders were visiting detained former Russian troops that may be "
             "interested in serving", after=p2, lemma="say"),
        attr(text, "a3", "the ministry", "claiming",
             "\"first volunteers\" had already \"begun individual additional training\" to aid in the resistance "
             "against Russia", after=p2, lemma="claim"),
        attr(text, "a4", "Newsweek", "reported",
             "In a post shared on its Telegram channel Wednesday (March 30), the ministry said the \"Freedom of "
             "Russia\" legion commanders were visiting detained former Russian troops that may be interested in "
             "serving, following up with a separate post claiming \"first volunteers\" had already \"begun "
             "individual additional training\" to aid in the resistance against Russia", after=p2, lemma="report"),
        attr(text, "a5", "the Ministry of Defence of Ukraine Telegram post", "stated",
             "\"Today the legion's personnel, under the guidance of Ukrainian Armed Forces instructors, studied a "
             "NLAW grenade launcher,\" ||| \"In addition, the commanders of the legion's subdivisions got "
             "acquainted with the operational situation on the fronts.\"", kind="direct", after=p2, lemma="state"),
        attr(text, "a6", "The ministry's post", "added",
             "that \"Freedom of Russia\" soldiers \"expressed a common desire on behalf of all the volunteers to "
             "conduct the first battle against the guard dogs of the Putin regime—the Kadyrovites,\"",
             kind="mixed", after=p2, lemma="add"),
        attr(text, "a7", "Russian President Vladimir Putin", "announced",
             "his country would conduct military operations in Eastern Ukraine", after=p2, lemma="announce"),
        attr(text, "a8", "A Ukraine interior minister", "confirmed",
             "that \"cruise and ballistic missile strikes\" were already underway shortly after Putin's "
             "announcement", after=p2, recipient="NBC News", lemma="confirm"),
        attr(text, "a9", "NBC News correspondent Erin McLaughlin", "said",
             "explosions could be heard from her live shot in Kyiv, Ukraine's capital city, at 6:00 a.m. local "
             "time", after=text.index("NBC News correspondent"), lemma="say"),
        attr(text, "a10", "BNO News", "reported",
             "More than 1,000 protesters were reportedly arrested during anti-war protests throughout Russia amid "
             "President Putin's announcement to conduct military operations and ensuing attack on Ukraine",
             after=p2, lemma="report"),
    ]
