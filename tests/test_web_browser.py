"""The pages in real headless Chromium (Debian's, driven by Playwright) over a real uvicorn server and the
fixture ledger: navigation search → article → cluster → source, the seed article's highlights at exactly
the report's offsets, the XSS corpus viewed with no script running, and accessibility basics."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests._web import CHROMIUM_ARGS, XSS, chromium_path, running_server, shared_ledger
from tests.conftest import SEED
from tests.test_seed_attributions import EXPECTED as SEED_READING

pytestmark = pytest.mark.skipif(chromium_path() is None,
                                reason="Debian chromium is not installed (bash .ci/chromium.sh installs it)")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    url = shared_ledger("sqlite", tmp_path_factory.getbasetemp())
    with running_server(url) as b:
        yield b


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page with listeners for everything a running script would leave behind."""

    def __init__(self, page) -> None:
        self.page, self.dialogs, self.console, self.errors = page, [], [], []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def watched(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Watched(ctx.new_page())
    ctx.close()


def test_navigation_search_article_cluster_source(base, watched) -> None:
    page = watched.page
    page.goto(base + "/")
    page.get_by_label("Full text").fill("dam")
    page.get_by_label("Sort").select_option("origins")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?*q=dam*")
    rows = page.locator("table.claims tbody tr").filter(has=page.locator("a[href^='/source/']")).filter(
        has=page.locator("a[href^='/cluster/']"))
    assert rows.count() > 0
    claim = rows.first.locator("a.claim")
    claim_text = claim.inner_text()
    claim.click()
    page.wait_for_url("**/article/**")
    target = page.url.split("#", 1)[1]
    assert page.locator(f"section#{target}").is_visible()  # the claim's attribution is shown
    assert claim_text.rstrip("…").strip()[:30] in page.locator(f"section#{target}").inner_text()
    page.locator(f"section#{target} a[href^='/cluster/']").click()
    page.wait_for_url("**/cluster/*")
    assert page.locator("svg.chart").count() == 2  # timeline and origins graph
    assert page.locator("table.claims tbody tr").count() >= 1
    page.locator("table.claims a[href^='/source/']").first.click()
    page.wait_for_url("**/source/**")
    assert page.locator("h1").inner_text().strip()
    assert page.locator("svg.chart").count() == 2  # by outlet, over time
    assert not watched.errors and not watched.dialogs


@pytest.mark.skipif(not SEED.exists(), reason="../shared/examples/seed-article.txt is not present")
def test_seed_article_highlights_at_the_report_offsets(base, watched) -> None:
    page = watched.page
    stored = httpx.get(base + "/api/v1/articles/seed-article").json()
    text, report = stored["text"], stored["report"]
    reading = {(a["source"]["text"], a["cue"]["text"]): a["id"] for a in report["attributions"] if a["source"]}
    nine = [reading[(source, cue)] for source, cue, *_ in SEED_READING]  # the reading's 9 are all there
    page.goto(base + "/article/seed-article")
    body = page.locator("#article-text")
    assert body.text_content() == text  # the page shows the text exactly as read: offsets stay true
    pieces = body.locator("a.hl").evaluate_all(
        "els => els.map(e => [+e.dataset.start, +e.dataset.end, e.dataset.marks, e.textContent])")
    shown: dict[tuple[str, str], set[int]] = {}
    for start, end, marks, piece in pieces:
        assert piece == text[start:end]
        for mark in marks.split():
            attr, role = mark.split(":")
            shown.setdefault((attr, role), set()).update(range(start, end))
    for a in report["attributions"]:
        for role in ("source", "cue", "content"):
            spans = (a.get(role) or {}).get("spans") or []
            want = {i for s, e in spans for i in range(s, e)}
            assert shown.get((a["id"], role), set()) == want, (a["id"], role)
    for attr in nine:  # ... and each of the 9 has its source and cue highlighted as its own
        assert shown[(attr, "source")] and shown[(attr, "cue")]
    assert page.locator("section.attr").count() == len(report["attributions"])
    # every source and cue is its own visible, coloured highlight
    assert page.locator("a.hl-source").count() >= sum(1 for a in report["attributions"] if a.get("source"))
    # keyboard: a highlight is a link that moves focus to its attribution's details
    first = page.locator("a.hl-cue").first
    first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == first.get_attribute("href")


XSS_IDS = [p.stem for p in sorted(XSS.glob("*.txt"))] + ["<img src=x onerror=alert(20)>", "quote\"break'id"]


@pytest.mark.parametrize("article_id", XSS_IDS)
def test_hostile_articles_show_as_text_and_run_nothing(base, browser, article_id: str) -> None:
    # CSP bypassed on purpose: escaping alone must keep every payload inert
    ctx = browser.new_context(bypass_csp=True)
    w = Watched(ctx.new_page())
    try:
        stored = httpx.get(base + "/api/v1/articles/" + quote(article_id, safe="")).json()
        for path in ("/article/" + quote(article_id, safe=""), "/", "/outlets", "/sources",
                     "/?q=" + quote("said"), "/?outlet=" + quote(stored["outlet"] or "")):
            w.page.goto(base + path)
            w.page.wait_for_load_state("load")
            injected = w.page.evaluate(
                "document.querySelectorAll('main script, main iframe, main img, main form:not(.filters):not(.analyze),"
                " main [onerror], main [onload], main [onclick], main [onmouseover], main [onfocus],"
                " main a[href^=\"javascript:\"]').length")
            assert injected == 0, path
            if path.startswith("/article/"):
                assert w.page.locator("#article-text").text_content() == stored["text"]
                assert w.page.locator("h1").inner_text().strip() == (stored["title"] or stored["id"]).strip()
        assert w.dialogs == [] and w.errors == []
        assert not [m for m in w.console if "xss" in m or m.startswith("error")], w.console
    finally:
        ctx.close()


PAGES = ["/", "/?q=said&hedged=yes", "/sources", "/outlets", "/analyze", "/article/brenna-dam-wire"]


def test_accessibility_basics(base, watched) -> None:
    page = watched.page
    src = httpx.get(base + "/api/v1/sources", params={"limit": 1}).json()["items"][0]["source_key"]
    cluster = httpx.get(base + "/api/v1/clusters", params={"limit": 1}).json()["items"][0]["cluster_id"]
    for path in [*PAGES, "/source/" + quote(src), f"/cluster/{cluster}"]:
        page.goto(base + path)
        assert page.title().strip() and page.title() != "reportedly", path
        assert page.locator("h1").count() == 1, path
        unlabeled = page.evaluate(
            "[...document.querySelectorAll('input, select, textarea')]"
            ".filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))"
            ".map(e => e.name)")
        assert unlabeled == [], (path, unlabeled)
        assert page.evaluate("[...document.querySelectorAll('svg.chart')].every(s => s.getAttribute('role') === 'img'"
                             " && s.getAttribute('aria-label'))"), path
    page.goto(base + "/article/brenna-dam-wire")
    for cls in ("hl-source", "hl-cue", "hl-content"):
        fg, bg = page.locator(f"a.{cls}").first.evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert contrast(fg, bg) >= 4.5, (cls, fg, bg)
    assert not watched.errors


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""
    def lum(css: str) -> float:
        r, g, b = (int(float(v)) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])

        def ch(c: int) -> float:
            x = c / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_analyze_page_shows_the_report(base, watched) -> None:
    page = watched.page
    page.goto(base + "/analyze")
    page.get_by_label("Article text (first line is the title)").fill(
        "Clinic hours cut\n\nThe health board said on Tuesday that clinic hours would probably be cut.")
    page.get_by_role("button", name="Analyze").click()
    page.wait_for_load_state("load")
    assert page.locator("a.hl-source").first.inner_text() == "The health board"
    assert page.locator("section.attr").count() >= 1
    assert "read-only" in page.locator("form.analyze").inner_text()
