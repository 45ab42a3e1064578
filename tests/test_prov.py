"""W3C PROV-JSON export of provenance chains."""

from __future__ import annotations

import json

from reportedly.ingest.text import article_from_text
from reportedly.report import build_report
from reportedly.serve.prov import to_prov
from tests.conftest import SEED
from tests.provenance_helpers import seed_attributions

_REFS = {"wasGeneratedBy": ("prov:entity", "prov:activity"), "wasAssociatedWith": ("prov:activity", "prov:agent"),
         "wasAttributedTo": ("prov:entity", "prov:agent"),
         "wasDerivedFrom": ("prov:generatedEntity", "prov:usedEntity")}
_KIND = {"prov:entity": "entity", "prov:activity": "activity", "prov:agent": "agent",
         "prov:generatedEntity": "entity", "prov:usedEntity": "entity"}


def _seed_report(nlp, article_id="seed"):
    text = SEED.read_text(encoding="utf-8")
    doc = nlp(text)
    doc._.attributions = seed_attributions(text)
    art = article_from_text(text, id=article_id, published="2022-04-01", outlet="Example Daily")
    return build_report(doc, art)


def test_prov_document_is_consistent(nlp):
    doc = to_prov(_seed_report(nlp))
    json.dumps(doc)  # serializable
    assert set(doc["prefix"]) == {"rp", "art"}
    for rel, keys in _REFS.items():
        for body in doc.get(rel, {}).values():
            for k in keys:
                assert body[k] in doc[_KIND[k]], (rel, body)


def test_prov_newsweek_chain(nlp):
    doc = to_prov(_seed_report(nlp))
    labels = {k: v["prov:label"] for k, v in doc["agent"].items()}
    assert "Ministry of Defence of Ukraine" in labels.values() and "Newsweek" in labels.values()
    ministry = next(k for k, v in labels.items() if v == "Ministry of Defence of Ukraine")
    newsweek = next(k for k, v in labels.items() if v == "Newsweek")
    # hop 0 of claim a2: the ministry's Telegram post on 2022-03-30
    assert doc["activity"]["art:a2_a0"] == {"prov:type": "rp:social_post",
                                            "rp:date": {"$": "2022-03-30", "type": "xsd:date"}}
    attributed = {(b["prov:entity"], b["prov:agent"]) for b in doc["wasAttributedTo"].values()}
    assert ("art:a2_h0", ministry) in attributed and ("art:a2_h1", newsweek) in attributed
    derived = {(b["prov:generatedEntity"], b["prov:usedEntity"]) for b in doc["wasDerivedFrom"].values()}
    assert ("art:a2_h1", "art:a2_h0") in derived and ("art:article", "art:a2_h1") in derived
    assert doc["entity"]["art:article"]["rp:published"] == {"$": "2022-04-01", "type": "xsd:date"}
    assert ("art:article", "art:outlet") in attributed


def test_prov_hostile_article_id(nlp):
    doc = to_prov(_seed_report(nlp, article_id='x"><script>alert(1)</script> ../../etc'))
    ns = doc["prefix"]["art"]
    assert ns.startswith("urn:reportedly:") and all(c.isalnum() or c in ":_.-" for c in ns)
