"""The server-rendered pages: search, article, source, claim cluster, outlets, analyze.

Every page is a plain GET with its state in the URL (filters, sort, cursor), so any view can be shared.
Templates are Jinja2 with autoescaping on; the few pieces of markup built in Python (highlighted text,
SVG charts) come from ``render.py``, which escapes every article string. No page runs JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from reportedly.serve.analyzer import AnalysisError, AnalysisRequest
from reportedly.serve.filters import claim_query
from reportedly.serve.web import render
from reportedly.store import queries as Q

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"


class _Environment(jinja2.Environment):
    """Jinja with ``x.name`` looked up as a key first when ``x`` is a dict. The pages' rows are dicts, and
    Jinja's default tries the attribute first, so every field of every row raised and caught an
    AttributeError: a fifth of a page's CPU. Anything else (and a missing key) resolves as Jinja does."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


ENV = _Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True,
                   auto_reload=False,  # templates ship with the package: no stat() per request
                   lstrip_blocks=True)
ENV.globals["options"] = render.options
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*")


def _urlencode(value: Any) -> str:
    """Jinja's ``urlencode`` filter, returning a string that needs no quoting (most ids) as it is instead of
    encoding and re-quoting it byte by byte: a tenth of a search page's CPU went there."""
    if isinstance(value, str) and _URL_SAFE.fullmatch(value):
        return value
    return str(jinja2.filters.do_urlencode(value))


ENV.filters["urlencode"] = _urlencode
router = APIRouter(include_in_schema=False)
HEDGE_LABELS = {"any": "hedged or not", "yes": "hedged only", "no": "unhedged only"}


def page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    html = ENV.get_template(template).render(request_path=request.url.path, **ctx)
    return HTMLResponse(html, status_code=status)


def _store(request: Request) -> Any:
    return request.app.state.reportedly.store()


_FILTERS = ("q", "source", "source_key", "source_kind", "outlet", "date_from", "date_to", "hedged", "channel",
            "min_origins", "article_id", "cluster_id", "sort", "limit", "cursor")


def url_with(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with the query ``params`` updated by ``changes`` (None drops a key); empty values omitted."""
    merged = {**params, **changes}
    qs = urlencode({k: v for k, v in merged.items() if v not in (None, "", "any")})
    return path + ("?" + qs if qs else "")


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    """Claims by full text, source, kind, outlet, dates, hedging, channel and independent origins."""
    params = {k: v for k, v in request.query_params.items() if k in _FILTERS and v.strip()}
    try:
        f = claim_query(**{k: _coerce(k, v) for k, v in params.items()})
        result = Q.search_claims(_store(request), f)
    except (Q.CursorError, ValueError) as exc:
        return error_page(request, 400, str(exc))
    except HTTPException as exc:
        return error_page(request, exc.status_code, str(exc.detail))
    kept = {k: v for k, v in params.items() if k != "cursor"}
    return page(request, "search.html", title="Search claims", f=f, items=result.items, window=result.window,
                facets=request.app.state.reportedly.facets(), sorts=Q.SORTS, hedge_labels=HEDGE_LABELS,
                next_url=url_with("/", kept, cursor=result.next_cursor) if result.next_cursor else None,
                first_url=url_with("/", kept) if f.cursor else None,
                sort_url=lambda s: url_with("/", kept, sort=s))


def _coerce(key: str, value: str) -> Any:
    if key in ("min_origins", "cluster_id", "limit"):
        try:
            n = int(value)
        except ValueError:
            raise ValueError(f"{key}: {value!r} is not a whole number") from None
        bounds = {"min_origins": (0, 1000), "cluster_id": (0, 2**62), "limit": (1, Q.MAX_LIMIT)}[key]
        if not bounds[0] <= n <= bounds[1]:
            raise ValueError(f"{key}: {n} is outside {bounds[0]}..{bounds[1]}")
        return n
    if key == "hedged" and value not in HEDGE_LABELS:
        raise ValueError(f"hedged: {value!r} is not one of any, yes, no")
    if key == "sort" and value not in Q.SORTS:
        raise ValueError(f"sort: {value!r} is not one of {', '.join(Q.SORTS)}")
    if len(value) > 2000:
        raise ValueError(f"{key}: longer than 2000 characters")
    return value


@router.get("/article/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    """The article text with sources, cues and contents highlighted, and each attribution's details."""
    store = _store(request)
    art = Q.get_article(store, article_id)
    if art is None:
        return error_page(request, 404, f"article {article_id!r}: not in the ledger")
    ledger = {c["attr_id"]: c for c in art["claims"]}
    return page(request, "article.html", title=art["title"] or art["id"], art=art,
                view=article_view(art["text"], art["report"], ledger), stored=True)


def article_view(text: str, report: dict[str, Any], ledger: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the article template shows: highlighted text, one entry per attribution (with its chain named,
    its hedges, date and ledger links), quantities, dates and the headline verdict."""
    names = {e["id"]: e["name"] for e in report.get("entities") or [] if isinstance(e, dict) and "id" in e}
    chains = {c.get("claim"): c for c in report.get("chains") or []}
    attrs = []
    for a in report.get("attributions") or []:
        chain = chains.get(a.get("id")) or {}
        hops = [("this article" if h.get("article") else names.get(h.get("entity"), h.get("entity") or "?"))
                + (f" ({h['channel']})" if h.get("channel") else "") + (f", {h['date']}" if h.get("date") else "")
                for h in chain.get("hops") or []]
        attrs.append({"a": a, "chain": hops, "first_hand": chain.get("first_hand"),
                      "ledger": ledger.get(str(a.get("id"))) or {}})
    return {"text": render.highlight(text, report), "attrs": attrs, "quantities": report.get("quantities") or [],
            "times": report.get("times") or [], "headline": report.get("headline")}


@router.get("/source/{source_key:path}", response_class=HTMLResponse)
def source_page(request: Request, source_key: str) -> HTMLResponse:
    """Everything a source is cited for: first-hand vs relayed, by outlet and over time."""
    store = _store(request)
    src = Q.get_source(store, source_key)
    if src is None:
        return error_page(request, 404, f"source {source_key!r}: not in the ledger")
    listed = _cursor_page(request, lambda cursor: Q.search_claims(
        store, Q.ClaimQuery(source_key=source_key, sort="-published", limit=50, cursor=cursor)))
    if isinstance(listed, HTMLResponse):
        return listed
    claims, pager = listed
    series = ("first-hand", "relayed")
    return page(request, "source.html", title=src["name"] or source_key, src=src, items=claims.items, **pager,
                by_outlet=render.stacked_bars(f"Citations of {src['name']} by outlet",
                                              [(r["outlet"] or "unknown outlet", (r["first_hand"], r["relayed"]))
                                               for r in src["by_outlet"]], series),
                by_month=render.columns_over_time(f"Citations of {src['name']} by month",
                                                  [(r["month"], (r["first_hand"], r["relayed"]))
                                                   for r in src["by_month"]], series))


@router.get("/cluster/{cluster_id}", response_class=HTMLResponse)
def cluster_page(request: Request, cluster_id: str) -> HTMLResponse:
    """Every article carrying the claim on a timeline, who relayed whom, and the independent origins."""
    if not cluster_id.isdigit() or len(cluster_id) > 18:
        return error_page(request, 404, f"cluster {cluster_id!r}: not a cluster number")
    cl = Q.get_cluster(_store(request), int(cluster_id))
    if cl is None:
        return error_page(request, 404, f"cluster {cluster_id}: not in the ledger")
    return page(request, "cluster.html", title=f"Claim cluster {cluster_id}", cl=cl,
                timeline=render.timeline("Articles carrying the claim, by publication date", cl["members"]),
                graph=render.relay_graph("Independent origins and who relayed whom", cl["origins"], cl["members"]))


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request) -> HTMLResponse:
    """Each outlet's sourcing profile side by side."""
    listed = _cursor_page(request, lambda cursor: Q.outlet_profiles(request.app.state.reportedly.outlets(), 30, cursor))
    if isinstance(listed, HTMLResponse):
        return listed
    result, pager = listed
    rows = result.items

    def share(key: str, of: str = "claims") -> list[tuple[str, tuple[float]]]:
        return [(r["outlet"] or "unknown outlet", (r[key] / r[of] if r[of] else 0.0,)) for r in rows]

    charts = [render.stacked_bars("Share of claims from anonymous sources", share("anonymous"), ["anonymous"], True),
              render.stacked_bars("Share of hedged claims", share("hedged"), ["hedged"], True),
              render.stacked_bars("Share of relayed (not first-hand) claims", share("relayed"), ["relayed"], True),
              render.stacked_bars("Share of articles recycling earlier copy (wire)", share("wire_articles", "articles"),
                                  ["wire copy"], True)]
    return page(request, "outlets.html", title="Outlets", rows=rows, charts=charts, **pager)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> HTMLResponse:
    """Who is cited how often."""
    listed = _cursor_page(request, lambda cursor: Q.list_sources(_store(request), 50, cursor))
    if isinstance(listed, HTMLResponse):
        return listed
    result, pager = listed
    return page(request, "sources.html", title="Sources", rows=result.items, **pager)


def _cursor_page(request: Request, fetch: Callable[[str | None], Q.Page]
                 ) -> tuple[Q.Page, dict[str, Any]] | HTMLResponse:
    """The page of a cursor-paged list at this URL's ``cursor``, with its pager links (next page, back to the
    first), or the error page for a cursor this server did not make. The lists' shared plumbing."""
    cursor = request.query_params.get("cursor")
    try:
        result = fetch(cursor)
    except Q.CursorError as exc:
        return error_page(request, 400, str(exc))
    path = request.url.path
    return result, {"next_url": url_with(path, {}, cursor=result.next_cursor) if result.next_cursor else None,
                    "first_url": path if cursor else None}


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request) -> HTMLResponse:
    return page(request, "analyze.html", title="Analyze an article", writable=request.app.state.reportedly.writable,
                form={}, art=None, view=None, message=None)


class AnalyzeForm:
    """The analyze form's fields (multipart: a pasted text or an uploaded file)."""

    def __init__(self, text: Annotated[str, Form(max_length=200_000)] = "",
                 published: Annotated[str, Form(max_length=40)] = "",
                 outlet: Annotated[str, Form(max_length=300)] = "",
                 store: Annotated[str, Form(max_length=10)] = "",
                 token: Annotated[str, Form(max_length=500)] = "",
                 file: UploadFile | None = None) -> None:
        self.text, self.published, self.outlet = text, published, outlet
        self.store, self.token, self.file = store == "on", token, file


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_submit(request: Request, form: Annotated[AnalyzeForm, Depends()]) -> HTMLResponse:
    """Analyze a pasted or uploaded article and show its report at once; optionally add it to the ledger."""
    from starlette.concurrency import run_in_threadpool

    state = request.app.state.reportedly
    text, name = form.text, ""
    if form.file is not None and form.file.filename:
        raw = await form.file.read(state.settings.max_body + 1)
        name = Path(form.file.filename).stem
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _analyze_error(request, form, f"{form.file.filename}: not UTF-8 text")
    req = AnalysisRequest(text=text, published=form.published or None, outlet=form.outlet or None, id=name or None)
    if form.store and not state.token_ok(form.token):
        return _analyze_error(request, form, "add to ledger: this server is read-only, or the token is wrong", 401)
    try:
        if form.store:
            report = await run_in_threadpool(state.analyzer.analyze_and_store, req, state.settings.db_url)
        else:
            report = await run_in_threadpool(state.analyzer.analyze, req)
    except AnalysisError as exc:
        return _analyze_error(request, form, str(exc), exc.status)
    art = {**report["article"], "text": text.replace("\x00", "")}
    return page(request, "analyze.html", title="Analyze an article", writable=state.writable, form=form,
                art=art, view=article_view(art["text"], report, {}), message=(
                    f"Added to the ledger as {art['id']}." if form.store else None))


def _analyze_error(request: Request, form: AnalyzeForm, message: str, status: int = 400) -> HTMLResponse:
    return page(request, "analyze.html", status=status, title="Analyze an article",
                writable=request.app.state.reportedly.writable, form=form, art=None, view=None, message=None,
                error=message)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status=status, title=f"Error {status}", message=message)


def validation_error(request: Request, exc: RequestValidationError) -> Response:
    """A bad parameter: one line naming it, as JSON on the API and as a page elsewhere (status 400)."""
    errs = exc.errors()
    first = errs[0] if errs else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path", "header"))
    message = f"{where or 'request'}: {first.get('msg', 'invalid')}"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=400)
    return error_page(request, 400, message)


def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)
    return error_page(request, exc.status_code, str(exc.detail))


def timeout_errors() -> list[type[Exception]]:
    """The drivers' errors for a statement cancelled by the request's time budget (web/state.py)."""
    import sqlite3

    import psycopg

    return [sqlite3.OperationalError, psycopg.errors.QueryCanceled]


def database_error(request: Request, exc: Exception) -> Response:
    """A query cancelled for time (or a busy database): 503 with one line, never a traceback."""
    message = "query: took longer than the time allowed; narrow the search (a rarer word, a filter)"
    if "interrupted" not in str(exc) and "statement timeout" not in str(exc):
        message = f"database: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=503)
    return error_page(request, 503, message)
