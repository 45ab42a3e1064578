"""The claims filters as query-string parameters, shared by the REST API, the export and the search page.

They live apart from ``api`` so that the pages can use them without importing the application (no import circle).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Query

from reportedly.store import queries as Q

Limit = Annotated[int, Query(ge=1, le=Q.MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=2000)]
Text = Annotated[str | None, Query(max_length=300)]


def clean(v: str | None) -> str | None:
    """A query string value as the store wants it: NULs dropped (PostgreSQL refuses them), empty = absent."""
    v = (v or "").replace("\x00", "").strip()
    return v or None


def claim_query(q: Text = None, source: Text = None, source_key: Text = None, source_kind: Text = None,
                outlet: Text = None, date_from: Annotated[str | None, Query(max_length=10)] = None,
                date_to: Annotated[str | None, Query(max_length=10)] = None,
                hedged: Annotated[str, Query(pattern="^(any|yes|no)$")] = "any",
                channel: Text = None, min_origins: Annotated[int | None, Query(ge=0, le=1000)] = None,
                article_id: Text = None, cluster_id: Annotated[int | None, Query(ge=0, le=2**62)] = None,
                sort: Annotated[str, Query(pattern="^(" + "|".join(Q.SORTS) + ")$")] = "published",
                limit: Limit = 50, cursor: Cursor = None) -> Q.ClaimQuery:
    """The claims filters, from the query string (shared by the API, the export and the search page)."""
    return Q.ClaimQuery(q=clean(q), source=clean(source), source_key=clean(source_key),
                        source_kind=clean(source_kind), outlet=clean(outlet), date_from=_date(date_from, "date_from"),
                        date_to=_date(date_to, "date_to"), hedged=hedged, channel=clean(channel),
                        min_origins=min_origins, article_id=clean(article_id), cluster_id=cluster_id, sort=sort,
                        limit=limit, cursor=clean(cursor))


def _date(v: str | None, name: str) -> str | None:
    from reportedly.ingest.text import InputError, check_date

    v = clean(v)
    try:
        return check_date(v, name)
    except (InputError, ValueError):
        raise HTTPException(400, f"{name}: bad date {v!r} (expected YYYY-MM-DD)") from None
