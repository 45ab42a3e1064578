"""W3C PROV-JSON export of a report's provenance chains.

Each hop of a chain is one version of the claim (a ``prov:Entity``) produced by a communication
(``prov:Activity``, typed by channel, dated when the text dates it) associated with the speaker
(``prov:Agent``); each version ``wasDerivedFrom`` the one before it, and the article derives from the
last. The article is itself an entity attributed to its outlet when known. See
https://www.w3.org/submissions/prov-json/ for the serialization.
"""

from __future__ import annotations

import re
from typing import Any

from reportedly.model import Attribution, Chain, Entity, Hop, Report

NS = "https://reportedly.invalid/ns#"
_PERSONS = {"person", "official", "journalist"}
_MAX_VALUE = 1000
_P = "art"  # the prefix of the article's own names
_ARTICLE = f"{_P}:article"


def _local(raw: str) -> str:
    """A safe QName local part from hostile text (article ids come from file names and URLs)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", raw)[:120] or "_"


def _date(value: str | None) -> dict[str, str] | None:
    if value and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return {"$": value, "type": "xsd:date"}
    return None


def _agent(e: Entity) -> dict[str, Any]:
    return {"prov:type": "prov:Person" if e.kind in _PERSONS else "prov:Organization",
            "prov:label": e.name[:200], "rp:kind": e.kind}


class _ProvDoc:
    """The PROV-JSON document being built: its sections, and relations keyed in the order they are added."""

    def __init__(self, art_id: str) -> None:
        self.doc: dict[str, Any] = {
            "prefix": {"rp": NS, _P: f"urn:reportedly:{art_id}:"},
            "entity": {}, "agent": {}, "activity": {},
            "wasGeneratedBy": {}, "wasAssociatedWith": {}, "wasAttributedTo": {}, "wasDerivedFrom": {},
        }
        self.n = 0

    def rel(self, kind: str, body: dict[str, Any]) -> None:
        self.n += 1
        self.doc[kind][f"{_P}:r{self.n}"] = body


def to_prov(report: Report) -> dict[str, Any]:
    """The PROV-JSON document (a dict ready for ``json.dumps``) of the report's chains."""
    art_id = _local(report.article.id)
    out = _ProvDoc(art_id)
    out.doc["entity"][_ARTICLE] = _article(report, art_id)
    ents = {e.id: e for e in report.entities}
    attrs = {a.id: a for a in report.attributions}
    for chain in report.chains:
        _add_chain(out, chain, attrs.get(chain.claim), ents)
    outlet = report.article.outlet
    if outlet:
        key = f"{_P}:outlet"
        out.doc["agent"][key] = {"prov:type": "prov:Organization", "prov:label": outlet[:200], "rp:kind": "outlet"}
        out.rel("wasAttributedTo", {"prov:entity": _ARTICLE, "prov:agent": key})
    return {k: v for k, v in out.doc.items() if v or k in ("prefix", "entity")}


def _article(report: Report, art_id: str) -> dict[str, Any]:
    """The article's own entity: title, location and publication date when known."""
    art: dict[str, Any] = {"prov:type": "rp:Article", "prov:label": (report.article.title or art_id)[:300]}
    if report.article.url:
        art["prov:location"] = report.article.url[:500]
    pub = _date(report.article.published)
    if pub:
        art["rp:published"] = pub
    return art


def _add_chain(out: _ProvDoc, chain: Chain, claim: Attribution | None, ents: dict[str, Entity]) -> None:
    """One chain's hops, each version derived from the one before; the article derives from the last."""
    prev: str | None = None
    for i, hop in enumerate(chain.hops):
        if hop.article:
            if prev:
                out.rel("wasDerivedFrom", {"prov:generatedEntity": _ARTICLE, "prov:usedEntity": prev})
            continue
        key = _add_hop(out, chain.claim, i, hop, claim, ents)
        if prev:
            out.rel("wasDerivedFrom", {"prov:generatedEntity": key, "prov:usedEntity": prev,
                                       "prov:type": "prov:Quotation"})
        prev = key


def _add_hop(out: _ProvDoc, claim_id: str, i: int, hop: Hop, claim: Attribution | None,
             ents: dict[str, Entity]) -> str:
    """Hop ``i``: the claim's version, the communication that produced it, and its speaker; returns its key."""
    key = f"{_P}:{_local(claim_id)}_h{i}"
    ent: dict[str, Any] = {"prov:type": "rp:Claim", "rp:claim": claim_id, "rp:hop": i}
    if claim is not None and i == 0:
        ent["prov:value"] = claim.content.text[:_MAX_VALUE]
    out.doc["entity"][key] = ent
    act = f"{_P}:{_local(claim_id)}_a{i}"
    activity: dict[str, Any] = {"prov:type": f"rp:{hop.channel or 'communication'}"}
    d = _date(hop.date)
    if d:
        activity["rp:date"] = d
    out.doc["activity"][act] = activity
    out.rel("wasGeneratedBy", {"prov:entity": key, "prov:activity": act})
    if hop.entity and hop.entity in ents:
        agent = f"{_P}:{_local(hop.entity)}"
        out.doc["agent"].setdefault(agent, _agent(ents[hop.entity]))
        out.rel("wasAssociatedWith", {"prov:activity": act, "prov:agent": agent})
        out.rel("wasAttributedTo", {"prov:entity": key, "prov:agent": agent})
    return key
