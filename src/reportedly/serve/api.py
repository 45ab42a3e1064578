"""The REST API under ``/api/v1`` and the application factory (``create_app``) that also mounts the pages.

Read-only by default: the only write (``POST /api/v1/analyze`` with ``store: true``) needs the bearer token
the server was started with. Lists page by opaque cursors (``next_cursor``); the response models below are
the OpenAPI schema that schemathesis checks every response against.
"""

from __future__ import annotations

import gc
import io
import json
from collections.abc import Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from reportedly.serve.analyzer import MAX_CHARS, AnalysisError, AnalysisRequest
from reportedly.serve.filters import Cursor, Limit, Text, claim_query, clean
from reportedly.serve.web.admission import AdmissionGate
from reportedly.serve.web.security import SecurityMiddleware
from reportedly.serve.web.state import ServerState, Settings
from reportedly.store import queries as Q
from reportedly.store.base import Store

API = "/api/v1"
ERRORS = {400: "Bad parameter (one line naming it)", 401: "Writing needs the server's token",
          404: "No such item", 413: "Request or text too large",
          503: "Over the time allowed (analysis, or a query too broad for the ledger's size)"}


class ErrorOut(BaseModel):
    detail: str


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"model": ErrorOut, "description": ERRORS[c]} for c in codes}


class ClaimOut(BaseModel):
    article_id: str
    attr_id: str
    outlet: str | None
    published: str | None
    title: str | None
    source_text: str | None
    source_name: str | None
    source_kind: str | None
    source_key: str | None
    cue: str
    kind: str
    content: str
    channel_type: str | None
    claim_date: str | None
    n_hedges: int
    hedge_max: float | None
    relayed: int
    cluster_id: int | None
    n_origins: int | None
    origin_key: str | None


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    next_cursor: str | None
    window: int | None = Field(None, description=(
        "Set when a full-text search (or the origins order) was drawn from the newest `window` candidate claims"
        " and more matched: the filters and the sort applied within them. Narrow the words to reach older ones."))


class ArticleOut(BaseModel):
    id: str
    url: str | None
    outlet: str | None
    title: str | None
    byline: str | None
    published: str | None
    chars: int
    n_attributions: int


class ArticlePage(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None


class ArticleDetail(BaseModel):
    id: str
    url: str | None
    outlet: str | None
    title: str | None
    byline: str | None
    published: str | None
    chars: int
    n_attributions: int
    text: str
    report: dict[str, Any]
    claims: list[ClaimOut]
    recycled: list[dict[str, Any]]


class SourceOut(BaseModel):
    source_key: str
    name: str | None
    kind: str | None
    citations: int
    articles: int
    first_hand: int
    relayed: int


class SourcePage(BaseModel):
    items: list[SourceOut]
    next_cursor: str | None


class CountRow(BaseModel):
    first_hand: int
    relayed: int


class OutletCount(CountRow):
    outlet: str


class MonthCount(CountRow):
    month: str


class SourceDetail(SourceOut):
    by_outlet: list[OutletCount]
    by_month: list[MonthCount]


class ClusterOut(BaseModel):
    cluster_id: int
    label: str
    n_claims: int
    n_articles: int
    n_origins: int
    first_published: str | None
    first_article_id: str | None


class ClusterPage(BaseModel):
    items: list[ClusterOut]
    next_cursor: str | None


class ClusterDetail(ClusterOut):
    members: list[ClaimOut]
    origins: list[dict[str, Any]]


class OutletOut(BaseModel):
    outlet: str
    articles: int
    claims: int
    anonymous: int
    hedged: int
    relayed: int
    wire_articles: int


class OutletPage(BaseModel):
    items: list[OutletOut]
    next_cursor: str | None


class AnalyzeIn(BaseModel):
    text: str = Field(max_length=MAX_CHARS, description="The article; the first line is the title.")
    published: str | None = Field(None, max_length=40, description="YYYY-MM-DD")
    title: str | None = Field(None, max_length=300)
    outlet: str | None = Field(None, max_length=300)
    id: str | None = Field(None, max_length=120)
    store: bool = Field(False, description="Also add it to the ledger (needs the server's write token).")


def state_of(request: Request) -> ServerState:
    st: ServerState = request.app.state.reportedly
    return st


def store_of(request: Request) -> Store:
    return state_of(request).store()


StoreDep = Annotated[Store, Depends(store_of)]
ClaimQueryDep = Annotated[Q.ClaimQuery, Depends(claim_query)]
router = APIRouter(prefix=API, tags=["ledger"])


@router.get("/claims", response_model=ClaimPage, responses=_errors(400, 503))
def api_claims(store: StoreDep, f: ClaimQueryDep) -> Any:
    """Claims (attributions) across the ledger, filtered and sorted; follow ``next_cursor`` for more."""
    return _page(lambda: Q.search_claims(store, f))


@router.get("/articles", response_model=ArticlePage, responses=_errors(400, 503))
def api_articles(store: StoreDep, limit: Limit = 50, cursor: Cursor = None, outlet: Text = None) -> Any:
    """Articles in ingest order."""
    return _page(lambda: Q.list_articles(store, limit, clean(cursor), clean(outlet)))


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=_errors(404, 503))
def api_article(store: StoreDep, article_id: str) -> Any:
    """One article: text, report@1, its claims (with cluster and independent-origin count), recycled passages."""
    return _found(Q.get_article(store, article_id.replace("\x00", "")), f"article {article_id!r}")


@router.get("/sources", response_model=SourcePage, responses=_errors(400, 503))
def api_sources(store: StoreDep, limit: Limit = 50, cursor: Cursor = None, kind: Text = None) -> Any:
    """Canonical sources by number of citations."""
    return _page(lambda: Q.list_sources(store, limit, clean(cursor), clean(kind)))


@router.get("/sources/{source_key}", response_model=SourceDetail, responses=_errors(404, 503))
def api_source(store: StoreDep, source_key: str) -> Any:
    """One source: citations by outlet and by month, first-hand vs relayed."""
    return _found(Q.get_source(store, source_key.replace("\x00", "")), f"source {source_key!r}")


@router.get("/clusters", response_model=ClusterPage, responses=_errors(400, 503))
def api_clusters(store: StoreDep, limit: Limit = 50, cursor: Cursor = None,
                 min_articles: Annotated[int, Query(ge=1, le=100000)] = 1) -> Any:
    """Claim clusters by number of articles carrying them."""
    return _page(lambda: Q.list_clusters(store, limit, clean(cursor), min_articles))


@router.get("/clusters/{cluster_id}", response_model=ClusterDetail, responses=_errors(404, 503))
def api_cluster(store: StoreDep, cluster_id: Annotated[int, Path(ge=0, le=2**62)]) -> Any:
    """One claim cluster: its articles and independent origins with relay chains."""
    return _found(Q.get_cluster(store, cluster_id), f"cluster {cluster_id}")


@router.get("/outlets", response_model=OutletPage, responses=_errors(400, 503))
def api_outlets(request: Request, limit: Limit = 50, cursor: Cursor = None) -> Any:
    """Each outlet's sourcing profile (recomputed at most once a minute)."""
    return _page(lambda: Q.outlet_profiles(request.app.state.reportedly.outlets(), limit, clean(cursor)))


@router.post("/analyze", response_model=dict[str, Any], responses=_errors(400, 401, 413, 503))
def api_analyze(request: Request, body: AnalyzeIn,
                authorization: Annotated[str | None, Header(max_length=500)] = None) -> Any:
    """Analyze one article (text in, report@1 out); ``store: true`` also adds it to the ledger."""
    state = state_of(request)
    req = AnalysisRequest(body.text, body.published, body.title, body.outlet, body.id)
    try:
        if body.store:
            token = (authorization or "").removeprefix("Bearer ").strip()
            if not state.token_ok(token):
                raise HTTPException(401, "store: this server is read-only, or the bearer token is wrong")
            return state.analyzer.analyze_and_store(req, state.settings.db_url)
        return state.analyzer.analyze(req)
    except AnalysisError as exc:
        raise HTTPException(exc.status, str(exc)) from None


EXPORT_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
                "parquet": "application/vnd.apache.parquet"}


@router.get("/export", responses={200: {"content": {t: {} for t in EXPORT_TYPES.values()},
                                        "description": "the claims"}, **_errors(400, 503)},
            response_class=Response)
def api_export(store: StoreDep, f: ClaimQueryDep,
               format: Annotated[str, Query(pattern="^(jsonl|csv|parquet)$")] = "jsonl") -> Response:
    """Every claim matching the filters, streamed as JSON Lines or CSV (or a Parquet file)."""
    from reportedly.serve.export import write_csv, write_parquet

    f.cursor = None
    rows = Q.iter_claims(store, f)
    try:
        first = next(rows, None)
    except Q.CursorError as exc:
        raise HTTPException(400, str(exc)) from None
    allrows = _chain(first, rows)
    if format == "parquet":
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "claims.parquet"
            write_parquet(allrows, path, Q.CLAIM_COLUMNS)
            data = path.read_bytes()
        return Response(data, media_type=EXPORT_TYPES["parquet"],
                        headers={"content-disposition": 'attachment; filename="claims.parquet"'})

    def lines() -> Iterator[str]:
        if format == "jsonl":
            for row in allrows:
                yield json.dumps(row, ensure_ascii=False) + "\n"
            return
        buf = io.StringIO()
        write_csv([], buf, Q.CLAIM_COLUMNS)
        yield buf.getvalue()
        for row in allrows:
            buf = io.StringIO()
            write_csv([row], buf, Q.CLAIM_COLUMNS)
            yield buf.getvalue().split("\r\n", 1)[1]

    return StreamingResponse(lines(), media_type=EXPORT_TYPES[format],
                             headers={"content-disposition": f'attachment; filename="claims.{format}"'})


def _chain(first: dict[str, Any] | None, rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    if first is not None:
        yield first
        yield from rest


def _page(fn: Any) -> dict[str, Any]:
    try:
        page = fn()
    except Q.CursorError as exc:
        raise HTTPException(400, str(exc)) from None
    return {"items": page.items, "next_cursor": page.next_cursor, **({"window": page.window} if page.window else {})}


def _found(item: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if item is None:
        raise HTTPException(404, f"{what}: not in the ledger")
    return item


def app_from_env() -> FastAPI:
    """The app of one ``serve --workers N`` process, from the settings the parent put in the environment."""
    import os

    from reportedly.serve.web.state import SETTINGS_ENV

    return create_app(Settings.from_env(os.environ[SETTINGS_ENV]))


def create_app(settings: Settings) -> FastAPI:
    """The whole server: API, pages and static files over the ledger at ``settings.db_url``."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.staticfiles import StaticFiles
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from reportedly.serve.web import pages

    state = ServerState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(state.warm)  # whole-ledger aggregates, before the first visitor waits for them
        gc.freeze()  # what start-up built lives as long as the server: no full collection walks it again
        yield
        state.close()

    app = FastAPI(title="reportedly", version="1", description="The ledger of claims: who says what, through "
                  "whom, how hedged.", docs_url=None, redoc_url=None, openapi_url=f"{API}/openapi.json",
                  lifespan=lifespan)
    app.state.reportedly = state

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return pages.validation_error(request, exc)

    for exc_type in pages.timeout_errors():
        app.add_exception_handler(exc_type, pages.database_error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return pages.http_error(request, exc)

    # pages first: routes are matched in order, and a page (what most requests are) need not be tried
    # against every API route before its own; no page path starts with /api/, so nothing is shadowed
    app.include_router(pages.router)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(pages.STATIC)), name="static")
    app.add_middleware(AdmissionGate, slots=settings.slots)
    app.add_middleware(SecurityMiddleware, max_body=settings.max_body)  # outermost: a refused body never waits
    return app

