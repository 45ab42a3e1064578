"""Input formats of the ledger ingest: JSONL, RSS/Atom, WARC, directories; bad rows are reported one
line each (file and row named) and skipped, the rest is ingested, and the exit code says some failed."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from reportedly.ingest.batch import iter_articles
from reportedly.ingest.feeds import html_to_text, read_feed
from reportedly.ingest.jsonl import read_jsonl
from reportedly.ingest.text import InputError
from reportedly.ingest.warc import read_warc
from reportedly.model import Article
from tests.conftest import POLNEAR, SEED

RELAY = Path(__file__).parent / "fixtures" / "relay" / "articles.jsonl"


def _polnear(n: int) -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((POLNEAR / "dev" / "text").glob("*.txt"))[:n]]


def _bad_jsonl(path: Path) -> None:
    (stem1, text1), (stem2, text2) = _polnear(2)
    lines = [
        json.dumps({"id": stem1, "outlet": "Breitbart", "published": "2016-09-12", "text": text1}).encode(),
        json.dumps({"id": "no-text", "title": "Headline only"}).encode(),  # 2: missing text
        json.dumps({"id": "bad-date", "published": "the 31st of Smarch", "text": text2}).encode(),  # 3
        json.dumps({"id": "huge", "text": "word " * (2 * 1024 * 1024)}).encode(),  # 4: 10 MB of text
        b'{"id": "latin1", "text": "caf\xe9 owners said prices rose"}',  # 5: invalid UTF-8
        b'{"id": "truncated", "text": "The senator said',  # 6: not JSON
        b"[1, 2, 3]",  # 7: not an object
        b"",  # blank lines are not rows with problems
        json.dumps({"id": stem2, "url": "https://example.org/a", "text": text2}).encode(),  # 9
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_jsonl_reports_each_bad_row_and_keeps_the_rest(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "corpus.jsonl"
    _bad_jsonl(path)
    items = list(read_jsonl(path))
    good = [a for a in items if isinstance(a, Article)]
    errors = [str(e) for e in items if isinstance(e, InputError)]
    assert [a.id for a in good] == [_polnear(2)[0][0], "bad-date", _polnear(2)[1][0]]
    assert good[0].outlet == "Breitbart" and good[0].published == "2016-09-12"
    assert good[1].published is None  # an unreadable date is not a reason to drop an article
    assert [r.getMessage() for r in caplog.records] == [
        f"warning: {path}:3: unreadable publication date 'the 31st of Smarch'; "
        "the article is kept with the date unknown"]
    assert good[2].url == "https://example.org/a"
    assert len(errors) == 5 and all("\n" not in e for e in errors)
    expect = {2: "missing text", 4: "text too large", 5: "invalid UTF-8",
              6: "not valid JSON", 7: "not a JSON object"}
    for err, (row, what) in zip(errors, sorted(expect.items()), strict=True):
        assert err.startswith(f"{path}:{row}: ") and what in err, err


@pytest.mark.parametrize(("raw", "iso"), [
    ("6/15/17", "2017-06-15"),     # a real corpus row's form: 15 is no month, so month first
    ("15/6/2017", "2017-06-15"),   # the same date written day first
    ("10/10/18", "2018-10-10"),    # both orders give one date
    ("4/1/2022", None),            # April 1 or January 4: two dates, not guessed
    ("13/14/2017", None),          # no reading at all
    ("6/15", None),                # no year
])
def test_an_all_number_date_is_read_only_when_it_reads_one_way(tmp_path: Path, raw: str, iso: str | None) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"id": "a", "published": raw, "text": "Officials said the vote was delayed."}) + "\n")
    [art] = list(read_jsonl(path))
    assert isinstance(art, Article) and art.published == iso


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Eastern Wire</title><link>https://eastern-wire.example/</link>
<item><title>Ukrainian forces retake village east of Kharkiv, ministry says</title>
<link>https://eastern-wire.example/kharkiv-village</link><guid>ew-1</guid>
<pubDate>Tue, 29 Mar 2022 14:05:00 GMT</pubDate>
<description><![CDATA[<p>Ukraine's Ministry of Defence said on Tuesday that Ukrainian forces had recaptured the
village of Staryi Lyman.</p><script>alert(1)</script><p>In a post on its Telegram channel, the ministry said
that retreating Russian units had left behind three tanks &amp; an armoured personnel carrier.</p>]]></description>
</item>
<item><title>Empty entry</title><guid>ew-2</guid><pubDate>Tue, 29 Mar 2022 15:00:00 GMT</pubDate></item>
<item><title>Bad date</title><guid>ew-3</guid><pubDate>someday soon</pubDate>
<description>Officials said the bridge would reopen.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Daily Ledger</title><id>urn:dl</id>
<updated>2022-03-30T08:00:00Z</updated>
<entry><title>Ukraine says it has retaken Staryi Lyman</title><id>urn:dl:1</id>
<link href="https://daily-ledger.example/world/staryi-lyman"/><published>2022-03-30T07:30:00Z</published>
<updated>2022-03-30T07:30:00Z</updated>
<content type="html">&lt;p&gt;Eastern Wire reported on Tuesday that Ukraine's Ministry of Defence said Ukrainian
troops had retaken Staryi Lyman.&lt;/p&gt;</content></entry>
</feed>
"""


def test_rss_and_atom_entries(tmp_path: Path) -> None:
    rss = tmp_path / "eastern.rss"
    rss.write_text(RSS, encoding="utf-8")
    items = list(read_feed(rss))
    arts = [a for a in items if isinstance(a, Article)]
    errors = [str(e) for e in items if isinstance(e, InputError)]
    assert len(arts) == 1 and len(errors) == 2
    a = arts[0]
    assert (a.id, a.outlet, a.published, a.url) == ("ew-1", "Eastern Wire", "2022-03-29",
                                                     "https://eastern-wire.example/kharkiv-village")
    assert a.title == "Ukrainian forces retake village east of Kharkiv, ministry says"
    assert "alert(1)" not in a.text and "three tanks & an armoured" in a.text
    assert "Staryi Lyman.\n\nIn a post" in a.text  # block elements become paragraphs
    assert errors[0] == f"{rss}: entry 2: missing text"
    assert errors[1].startswith(f"{rss}: entry 3: bad date")
    atom = tmp_path / "ledger.atom"
    atom.write_text(ATOM, encoding="utf-8")
    (b,) = list(read_feed(atom))
    assert isinstance(b, Article)
    assert (b.id, b.outlet, b.published) == ("urn:dl:1", "Daily Ledger", "2022-03-30")
    assert "Eastern Wire reported on Tuesday" in b.text


def test_not_a_feed_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / "broken.xml"
    p.write_text("<rss><channel><title>x</title>", encoding="utf-8")
    (err,) = list(read_feed(p))
    assert isinstance(err, InputError) and str(err).startswith(f"{p}: no entries")


def test_html_to_text_keeps_paragraphs() -> None:
    assert html_to_text("<p>One &amp; two.</p><div>Three<br>four</div><style>p{}</style>") == \
        "One & two.\n\nThree\n\nfour"


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    paras = "".join(f"<p>{p}</p>" for p in SEED.read_text(encoding="utf-8").splitlines()[3:9])
    page = (f"<!doctype html><html><head><title>Russians switch sides</title></head><body><nav>Home | World</nav>"
            f"<article><h1>'Several Hundred' Russians Have Switched Sides</h1>{paras}</article>"
            f"<footer>Copyright</footer></body></html>").encode()
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url, ctype, status, body in [
            ("https://news.example/russians-switch-sides", "text/html; charset=utf-8", "200 OK", page),
            ("https://news.example/logo.png", "image/png", "200 OK", b"\x89PNG\r\n"),
            ("https://news.example/gone", "text/html", "404 Not Found", b"<html>gone</html>"),
            ("https://news.example/empty", "text/html", "200 OK", b"<html><body></body></html>"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def test_warc_html_responses(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(path)
    items = list(read_warc(path))
    arts = [a for a in items if isinstance(a, Article)]
    errors = [str(e) for e in items if isinstance(e, InputError)]
    assert len(arts) == 1 and len(errors) == 1
    a = arts[0]
    assert a.id == a.url == "https://news.example/russians-switch-sides"
    assert "Telegram channel Wednesday (March 30)" in a.text and "Copyright" not in a.text
    assert "https://news.example/empty" in errors[0] and "no article text" in errors[0]


def test_not_a_warc_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / "junk.warc"
    p.write_bytes(b"WARC/1.0\r\nthis is not a record\r\n\r\n")
    items = list(read_warc(p))
    assert len(items) == 1 and isinstance(items[0], InputError) and "\n" not in str(items[0])


def test_directories_mix_formats(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "feed.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "relay.jsonl").write_bytes(RELAY.read_bytes())
    (tmp_path / ".hidden.txt").write_text("not read", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not read", encoding="utf-8")
    items = list(iter_articles([str(tmp_path), str(tmp_path / "missing.jsonl")]))
    ids = [a.id for a in items if isinstance(a, Article)]
    assert ids == ["ew-1", "eastern-wire-0329", "daily-ledger-0330", "metro-courier-0331", "harbor-times-0401",
                   "seed"]
    errors = [str(e) for e in items if isinstance(e, InputError)]
    assert errors[-1] == f"{tmp_path / 'missing.jsonl'}: no such file or directory"


@pytest.fixture()
def cli() -> typer.Typer:
    from reportedly.serve.cli_ledger import register

    app = typer.Typer()
    register(app)
    return app


def test_cli_ingest_bad_rows_exit_code_and_queries(cli: typer.Typer, tmp_path: Path, nlp) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _bad_jsonl(corpus)
    db = str(tmp_path / "ledger.db")
    runner = CliRunner()
    res = runner.invoke(cli, ["ingest", str(corpus), str(RELAY), "--db", db])
    assert res.exit_code == 1
    err_lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error: ")]
    assert len(err_lines) == 5 and all(str(corpus) in ln for ln in err_lines)
    assert f"warning: {corpus}:3: unreadable publication date" in res.stderr
    assert "7 stored, 0 unchanged, 5 failed" in res.stderr
    again = runner.invoke(cli, ["ingest", str(RELAY), "--db", db])
    assert again.exit_code == 0 and "0 stored, 4 unchanged, 0 failed" in again.stderr
    res = runner.invoke(cli, ["claims", "--db", db, "--search", "Staryi Lyman", "--min-origins", "1", "--json"])
    assert res.exit_code == 0
    rows = [json.loads(ln) for ln in res.stdout.splitlines()]
    assert {r["article_id"] for r in rows} >= {"eastern-wire-0329", "daily-ledger-0330", "metro-courier-0331"}
    res = runner.invoke(cli, ["show", "metro-courier-0331", "--db", db])
    assert res.exit_code == 0 and "recycled from eastern-wire-0329" in res.stdout
    res = runner.invoke(cli, ["sources", "--db", db, "--json"])
    assert res.exit_code == 0 and any("ministry" in json.loads(ln)["source_key"] for ln in res.stdout.splitlines())
    out = tmp_path / "claims.parquet"
    res = runner.invoke(cli, ["export", "--db", db, "--format", "parquet", "--output", str(out)])
    assert res.exit_code == 0 and out.stat().st_size > 0
    res = runner.invoke(cli, ["export", "--db", db, "--format", "xml"])
    assert res.exit_code == 2 and res.stderr.startswith("error: --format")
    res = runner.invoke(cli, ["show", "nope", "--db", db])
    assert res.exit_code == 1 and "nope: no such article" in res.stderr


def test_gzipped_jsonl_is_read_as_jsonl_and_a_truncated_one_keeps_its_rows(tmp_path: Path) -> None:
    import gzip

    plain = tmp_path / "corpus.jsonl"
    _bad_jsonl(plain)
    packed = tmp_path / "corpus.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    as_plain = [a.id if isinstance(a, Article) else str(a).split(": ", 1)[1] for a in iter_articles([str(plain)])]
    as_packed = [a.id if isinstance(a, Article) else str(a).split(": ", 1)[1] for a in iter_articles([str(packed)])]
    assert as_packed == as_plain and len(as_plain) == 8
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed.read_bytes()[: len(packed.read_bytes()) * 2 // 3])
    items = list(iter_articles([str(cut)]))
    assert isinstance(items[-1], InputError) and "unreadable after row" in str(items[-1])
    assert items[0].id == as_plain[0]  # type: ignore[union-attr]


def test_spark_reader_carries_the_warnings_to_the_errors_output(tmp_path: Path) -> None:
    """Executors log where nobody reads: the Spark reader turns each warning into a record at the row's place."""
    from reportedly.analysis import Limits
    from reportedly.scale.analyze import analyze_partition
    from reportedly.scale.inputs import FILE_STRIDE, InputWarning, read_file

    path = tmp_path / "corpus.jsonl"
    _bad_jsonl(path)
    items = list(read_file(3, str(path)))
    warnings = [(pos, item) for pos, item in items if isinstance(item, InputWarning)]
    line = (f"warning: {path}:3: unreadable publication date 'the 31st of Smarch'; "
            "the article is kept with the date unknown")
    assert warnings == [(3 * FILE_STRIDE + 2, InputWarning(line))]
    after = items[items.index(warnings[0]) + 1][1]
    assert isinstance(after, Article) and after.id == "bad-date"  # the warning comes just before its record
    rows = list(analyze_partition([w for w in items if not isinstance(w[1], Article)], Limits()))
    assert [r["kind"] for r in rows].count("warning") == 1 and [r["kind"] for r in rows].count("error") == 5
    assert not logging.getLogger("reportedly").handlers or all(
        type(h).__name__ != "_Catch" for h in logging.getLogger("reportedly").handlers)  # the catcher is gone
