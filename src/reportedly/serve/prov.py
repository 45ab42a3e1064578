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

from reportedly.model import Entity, Report

NS = "https://reportedly.invalid/ns#"
_PERSONS = {"person", "official", "journalist"}
_MAX_VALUE = 1000


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


def to_prov(report: Report) -> dict[str, Any]:
    """The PROV-JSON document (a dict ready for ``json.dumps``) of the report's chains."""
    art_id = _local(report.article.id)
    p = "art"
    doc: dict[str, Any] = {
        "prefix": {"rp": NS, p: f"urn:reportedly:{art_id}:"},
        "entity": {}, "agent": {}, "activity": {},
        "wasGeneratedBy": {}, "wasAssociatedWith": {}, "wasAttributedTo": {}, "wasDerivedFrom": {},
    }
    article_key = f"{p}:article"
    art: dict[str, Any] = {"prov:type": "rp:Article", "prov:label": (report.article.title or art_id)[:300]}
    if report.article.url:
        art["prov:location"] = report.article.url[:500]
    pub = _date(report.article.published)
    if pub:
        art["rp:published"] = pub
    doc["entity"][article_key] = art
    ents = {e.id: e for e in report.entities}
    attrs = {a.id: a for a in report.attributions}
    n = 0

    def rel(kind: str, body: dict[str, Any]) -> None:
        nonlocal n
        n += 1
        doc[kind][f"{p}:r{n}"] = body

    for chain in report.chains:
        claim = attrs.get(chain.claim)
        prev: str | None = None
        for i, hop in enumerate(chain.hops):
            if hop.article:
                if prev:
                    rel("wasDerivedFrom", {"prov:generatedEntity": article_key, "prov:usedEntity": prev})
                continue
            key = f"{p}:{_local(chain.claim)}_h{i}"
            ent: dict[str, Any] = {"prov:type": "rp:Claim", "rp:claim": chain.claim, "rp:hop": i}
            if claim is not None and i == 0:
                ent["prov:value"] = claim.content.text[:_MAX_VALUE]
            doc["entity"][key] = ent
            act = f"{p}:{_local(chain.claim)}_a{i}"
            activity: dict[str, Any] = {"prov:type": f"rp:{hop.channel or 'communication'}"}
            d = _date(hop.date)
            if d:
                activity["rp:date"] = d
            doc["activity"][act] = activity
            rel("wasGeneratedBy", {"prov:entity": key, "prov:activity": act})
            if hop.entity and hop.entity in ents:
                agent = f"{p}:{_local(hop.entity)}"
                doc["agent"].setdefault(agent, _agent(ents[hop.entity]))
                rel("wasAssociatedWith", {"prov:activity": act, "prov:agent": agent})
                rel("wasAttributedTo", {"prov:entity": key, "prov:agent": agent})
            if prev:
                rel("wasDerivedFrom", {"prov:generatedEntity": key, "prov:usedEntity": prev,
                                       "prov:type": "prov:Quotation"})
            prev = key
    outlet = report.article.outlet
    if outlet:
        key = f"{p}:outlet"
        doc["agent"][key] = {"prov:type": "prov:Organization", "prov:label": outlet[:200], "rp:kind": "outlet"}
        rel("wasAttributedTo", {"prov:entity": article_key, "prov:agent": key})
    return {k: v for k, v in doc.items() if v or k in ("prefix", "entity")}
