"""The REST API on both backends, over a ledger ingested from the fixture corpus (demo articles, XSS corpus,
seed article when ../shared is present): cursor pagination, filters, detail views, export, the write token,
request bounds and the security headers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from reportedly.serve.api import create_app
from reportedly.serve.web.state import Settings
from reportedly.store import open_store
from tests._ledger import BACKENDS, ledger_url
from tests._web import shared_ledger

TOKEN = "test-token-123"


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, tmp_path_factory):
    url = shared_ledger(request.param, tmp_path_factory.getbasetemp())
    with TestClient(create_app(Settings(url))) as c:
        c.ledger_url = url
        yield c


def _all_claims(client, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        r = client.get("/api/v1/claims", params={**params, "limit": 7, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


@pytest.mark.parametrize("sort", ["published", "-published", "origins", "hedged", "source"])
def test_cursor_pages_cover_every_claim_once(client, sort: str) -> None:
    with open_store(client.ledger_url, migrate=False) as store:
        total = store.counts()["attributions"]
    items = _all_claims(client, sort=sort)
    keys = [(c["article_id"], c["attr_id"]) for c in items]
    assert len(keys) == total and len(set(keys)) == total
    if sort == "-published":
        dates = [c["published"] or "" for c in items]
        assert dates == sorted(dates, reverse=True)
    if sort == "origins":
        origins = [c["n_origins"] or 0 for c in items]
        assert origins == sorted(origins, reverse=True)


def test_filters_select_what_they_say(client) -> None:
    hedged = _all_claims(client, hedged="yes")
    unhedged = _all_claims(client, hedged="no")
    assert hedged and unhedged and all(c["n_hedges"] > 0 for c in hedged) and all(c["n_hedges"] == 0 for c in unhedged)
    assert len(hedged) + len(unhedged) == len(_all_claims(client))
    outlet = next(c["outlet"] for c in _all_claims(client) if c["outlet"])
    assert all(c["outlet"] == outlet for c in _all_claims(client, outlet=outlet))
    window = _all_claims(client, date_from="2022-01-01", date_to="2022-12-31")
    assert all("2022-01-01" <= c["published"] <= "2022-12-31" for c in window)
    kind = next(c["source_kind"] for c in _all_claims(client) if c["source_kind"])
    assert {c["source_kind"] for c in _all_claims(client, source_kind=kind)} == {kind}
    multi = _all_claims(client, min_origins=2)
    assert all((c["n_origins"] or 0) >= 2 for c in multi)


def test_full_text_search_uses_the_index(client) -> None:
    claims = _all_claims(client)
    word = next(w for c in claims for w in c["content"].split() if w.isalpha() and len(w) > 6)
    found = _all_claims(client, q=word)
    assert found and len(found) < len(claims)
    assert all(word.lower()[:5] in (c["content"] + " " + (c["source_text"] or "")).lower() for c in found)
    assert _all_claims(client, q='") OR 1=1; DROP TABLE articles; --') == []  # user text is never syntax


def test_window_note_when_the_filters_leave_nothing(client, monkeypatch) -> None:
    """A full window whose claims the other filters all exclude still says the window was full (on
    PostgreSQL the window is then counted by a statement of its own: the page's query returned no row)."""
    from reportedly.store import queries as Q

    claims = _all_claims(client)
    word = next(w for c in claims for w in c["content"].split() if w.isalpha() and len(w) > 3
                and sum(w.lower() in d["content"].lower() for d in claims) > 2)
    monkeypatch.setattr(Q, "WINDOW", 2)
    with open_store(client.ledger_url, migrate=False) as store:
        page = Q.search_claims(store, Q.ClaimQuery(q=word, outlet="no such outlet"))
        assert page.items == [] and page.window == 2
        page = Q.search_claims(store, Q.ClaimQuery(q=word, sort="hedged"))
        assert 1 <= len(page.items) <= 2 and page.window == 2


def test_article_source_cluster_details(client) -> None:
    arts = client.get("/api/v1/articles", params={"limit": 200}).json()["items"]
    art = client.get(f"/api/v1/articles/{arts[0]['id']}").json()
    assert art["text"][: 20] and art["report"]["schema"] == "reportedly/report@1"
    assert len(art["claims"]) == len(art["report"]["attributions"])
    src = client.get("/api/v1/sources", params={"limit": 1}).json()["items"][0]
    detail = client.get(f"/api/v1/sources/{src['source_key']}").json()
    assert detail["citations"] == src["citations"] == sum(r["first_hand"] + r["relayed"] for r in detail["by_month"])
    cl = client.get("/api/v1/clusters", params={"min_articles": 2, "limit": 1}).json()["items"][0]
    detail = client.get(f"/api/v1/clusters/{cl['cluster_id']}").json()
    assert len({m["article_id"] for m in detail["members"]}) == cl["n_articles"]
    assert len(detail["origins"]) == cl["n_origins"]
    for path in ("/api/v1/articles/no-such", "/api/v1/sources/no-such", "/api/v1/clusters/999999999"):
        r = client.get(path)
        assert r.status_code == 404 and "not in the ledger" in r.json()["detail"]


def test_outlet_profiles_add_up(client) -> None:
    rows = client.get("/api/v1/outlets", params={"limit": 200}).json()["items"]
    arts = client.get("/api/v1/articles", params={"limit": 200}).json()["items"]
    assert sum(r["articles"] for r in rows) == len(arts)
    assert sum(r["claims"] for r in rows) == len(_all_claims(client))
    assert all(0 <= r["anonymous"] <= r["claims"] and 0 <= r["wire_articles"] <= r["articles"] for r in rows)


def test_bad_parameters_are_one_line_400s(client) -> None:
    for params in ({"cursor": "nonsense"}, {"limit": 0}, {"sort": "nope"}, {"date_from": "yesterday"},
                   {"hedged": "maybe"}, {"cursor": "WyJ4Il0"}):
        r = client.get("/api/v1/claims", params=params)
        assert r.status_code == 400, (params, r.text)
        assert "\n" not in r.json()["detail"] and r.json()["detail"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_streams_every_claim(client, fmt: str, tmp_path) -> None:
    total = len(_all_claims(client))
    r = client.get("/api/v1/export", params={"format": fmt})
    assert r.status_code == 200
    if fmt == "jsonl":
        rows = [json.loads(line) for line in r.text.splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.text)))
    else:
        import pyarrow.parquet as pq

        (tmp_path / "x.parquet").write_bytes(r.content)
        rows = pq.read_table(tmp_path / "x.parquet").to_pylist()
    assert len(rows) == total
    hedged = client.get("/api/v1/export", params={"format": "jsonl", "hedged": "yes"}).text.splitlines()
    assert len(hedged) == len(_all_claims(client, hedged="yes"))


def test_security_headers_on_every_response(client) -> None:
    for path in ("/", "/api/v1/claims", "/api/v1/articles/no-such", "/static/style.css"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'none'" in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_analyze_is_read_only_without_token(client) -> None:
    text = "Bridge closed\n\nThe transport minister said on Monday that the bridge was probably unsafe."
    r = client.post("/api/v1/analyze", json={"text": text, "published": "2022-05-02"})
    assert r.status_code == 200
    report = r.json()
    assert report["schema"] == "reportedly/report@1" and report["attributions"]
    a = report["attributions"][0]
    assert text[a["cue"]["spans"][0][0]:a["cue"]["spans"][0][1]] == a["cue"]["text"]
    r = client.post("/api/v1/analyze", json={"text": text, "store": True})
    assert r.status_code == 401
    assert client.post("/api/v1/analyze", json={"text": "  "}).status_code == 400
    assert client.post("/api/v1/analyze", json={"text": text, "published": "soon"}).status_code == 400


def test_request_size_is_bounded(client) -> None:
    r = client.post("/api/v1/analyze", content=b"{" + b" " * 1_100_000 + b"}",
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = client.post("/api/v1/analyze", json={"text": "x" * 100_001})
    assert r.status_code == 400  # over the schema's maxLength


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_with_token_adds_the_article(backend: str, tmp_path) -> None:
    with ledger_url(backend, tmp_path) as url, TestClient(create_app(Settings(url, token=TOKEN))) as c:
        text = "Ferry fares rise\n\nThe harbour authority said fares would rise by 5 percent, according to a notice."
        body = {"text": text, "id": "ferry-fares", "store": True}
        assert c.post("/api/v1/analyze", json=body, headers={"authorization": "Bearer wrong"}).status_code == 401
        r = c.post("/api/v1/analyze", json=body, headers={"authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200, r.text
        stored = c.get("/api/v1/articles/ferry-fares").json()
        assert stored["text"] == text and len(stored["claims"]) == len(r.json()["attributions"]) > 0


def test_queries_are_time_bounded(tmp_path_factory) -> None:
    url = shared_ledger("sqlite", tmp_path_factory.getbasetemp())
    with TestClient(create_app(Settings(url, query_seconds=-1))) as c:  # every request is already over time
        r = c.get("/api/v1/outlets")
        assert r.status_code == 503 and r.json()["detail"].startswith("query: took longer than the time allowed")
        page = c.get("/outlets")
        assert page.status_code == 503 and "narrow the search" in page.text


def test_analysis_has_a_deadline() -> None:
    from reportedly.serve.analyzer import AnalysisError, AnalysisRequest, Analyzer

    analyzer = Analyzer(deadline=0.001)  # shorter than any parse
    text = "Budget vote\n\n" + "The council said the vote would be held on Monday. " * 200
    with pytest.raises(AnalysisError) as err:
        analyzer.analyze(AnalysisRequest(text))
    assert err.value.status == 503 and "took longer than" in str(err.value)
    analyzer.close()
