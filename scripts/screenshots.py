"""Screenshots of every page for the README (docs/screenshots/*.png), taken in headless Debian chromium.

Builds a throw-away ledger from the demo articles (plus ../shared/examples/seed-article.txt when present),
serves it on a free loopback port and photographs each page. Run: .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DEMO = ROOT / "src" / "reportedly" / "data" / "demo"
SEED = ROOT.parent / "shared" / "examples" / "seed-article.txt"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> int:
    import httpx
    import uvicorn
    from playwright.sync_api import sync_playwright

    from reportedly.ingest.batch import ingest, iter_articles
    from reportedly.serve.api import create_app
    from reportedly.serve.web.state import Settings
    from reportedly.store import open_store

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "ledger.db")
        with open_store(db) as store:
            ingest(store, iter_articles([str(DEMO), *([str(SEED)] if SEED.exists() else [])]))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(Settings(db)), host="127.0.0.1", port=port,
                                               log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        api = httpx.Client(base_url=base)
        source = api.get("/api/v1/sources", params={"limit": 1}).json()["items"][0]["source_key"]
        clusters = api.get("/api/v1/clusters", params={"min_articles": 2, "limit": 200}).json()["items"]
        cluster = max(clusters, key=lambda c: (c["n_origins"], c["n_articles"]))["cluster_id"]
        article = "seed-article" if SEED.exists() else "brenna-dam-wire"
        pages = {"search": "/?q=dam&sort=origins", "article": f"/article/{article}",
                 "source": f"/source/{source}", "cluster": f"/cluster/{cluster}", "outlets": "/outlets",
                 "sources": "/sources"}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            for name, path in pages.items():
                page.goto(base + path)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=name in ("cluster", "outlets", "source"))
                print(f"{name}: {path}")
            page.goto(base + "/analyze")
            page.get_by_label("Article text (first line is the title)").fill((DEMO / "harbour-contract.txt")
                                                                            .read_text(encoding="utf-8"))
            page.get_by_role("button", name="Analyze").click()
            page.wait_for_load_state("load")
            page.screenshot(path=str(OUT / "analyze.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": 1280, "height": 1400})
            print("analyze: /analyze (POST)")
            browser.close()
        server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
