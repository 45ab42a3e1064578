"""The resolver refactor's guard: every report on PolNeAR dev (all articles) and the first 300 train articles
(file-name order), written as JSON with sorted keys, so two runs (before and after a change) can be compared
byte for byte. Nothing is scored here and docs/benchmarks.md is not written: the diff is the result.

    python bench/bench_resolver_identity.py write /tmp/resolver_before       # on the starting commit
    python bench/bench_resolver_identity.py write /tmp/resolver_after        # after the change
    python bench/bench_resolver_identity.py diff /tmp/resolver_before /tmp/resolver_after

``diff`` lists every article whose report differs and, inside it, every attribution (by id) whose source,
resolved entity, kind, cue, content, channel, date or hedges differ, plus entity-list changes; it exits 1
when anything differs. Reports go through ``reportedly.analyze_article`` (the CLI's path) with the outlet and
publication date of ``metadata.tsv`` and the default extractor.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``bench._report`` importable
    sys.path.insert(0, str(ROOT))

from bench._report import SHARED  # noqa: E402

POLNEAR = SHARED / "data" / "polnear"
TRAIN_ARTICLES = 300


def _metadata() -> dict[str, tuple[str, str]]:
    """filename stem -> (publisher, publication date) from metadata.tsv."""
    path = POLNEAR / "metadata.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        return {r["filename"]: (r["publisher"], r["publication_date"]) for r in csv.DictReader(f, delimiter="\t")}


def articles() -> Iterator[tuple[str, Path]]:
    """(split, text file) for dev (all) and the first TRAIN_ARTICLES of train, in file-name order."""
    for split, limit in (("dev", None), ("train", TRAIN_ARTICLES)):
        files = sorted((POLNEAR / split / "text").glob("*.txt"))
        for path in files[:limit]:
            yield split, path


def write(out: Path) -> int:
    """Write one ``SPLIT__STEM.json`` per article into ``out``; an article that fails is named and skipped."""
    from reportedly import analyze_article
    from reportedly.ingest.text import article_from_text

    out.mkdir(parents=True, exist_ok=True)
    meta = _metadata()
    n = 0
    for split, path in articles():
        outlet, published = meta.get(path.stem, ("", ""))
        try:
            article = article_from_text(path.read_text(encoding="utf-8"), id=path.stem,
                                        published=published or None, outlet=outlet or None)
            report = analyze_article(article).to_dict()
        except Exception as exc:  # one bad article must not stop the run; it is named
            print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        (out / f"{split}__{path.stem}.json").write_text(json.dumps(report, sort_keys=True, indent=1) + "\n",
                                                        encoding="utf-8")
        n += 1
    print(f"wrote {n} reports into {out}")
    return 0


def _entity_view(report: dict[str, Any]) -> dict[str, Any]:
    return {e["id"]: (e.get("name"), e.get("kind")) for e in report.get("entities", [])}


def _attribution_view(a: dict[str, Any], entities: dict[str, Any]) -> dict[str, Any]:
    """What a reader judges in one attribution, the source's resolved entity (name, kind) included."""
    src = a.get("source") or {}
    view = {k: v for k, v in a.items() if k != "source"}
    view["source"] = {k: v for k, v in src.items() if k != "entity"}
    view["source_entity"] = entities.get(src.get("entity"))
    return view


def _short(v: Any) -> str:
    s = json.dumps(v, sort_keys=True, ensure_ascii=False)
    return s if len(s) <= 160 else s[:157] + "..."


def diff_reports(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """One line per differing attribution field, entity and other top-level part of two reports."""
    lines: list[str] = []
    ea, eb = _entity_view(a), _entity_view(b)
    atts_a = {x["id"]: _attribution_view(x, ea) for x in a.get("attributions", [])}
    atts_b = {x["id"]: _attribution_view(x, eb) for x in b.get("attributions", [])}
    for aid in sorted(set(atts_a) | set(atts_b)):
        xa, xb = atts_a.get(aid), atts_b.get(aid)
        if xa == xb:
            continue
        if xa is None or xb is None:
            lines.append(f"  {aid}: {'added' if xa is None else 'removed'}")
            continue
        src = (xa.get("source") or {}).get("text") or "(no source)"
        for key in sorted(set(xa) | set(xb)):
            if xa.get(key) != xb.get(key):
                lines.append(f"  {aid} [{src}] {key}: {_short(xa.get(key))} -> {_short(xb.get(key))}")
    for key in sorted(set(a) | set(b)):
        if key not in ("attributions", "entities") and a.get(key) != b.get(key):
            lines.append(f"  {key}: differs")
    if not lines and a != b:
        lines.append("  entities: differ (ids or fields other than name/kind)")
    return lines


def diff(before: Path, after: Path) -> int:
    """Compare two ``write`` directories file by file; print every difference and the counts."""
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    articles_diff = lines_total = 0
    for name in names:
        pa, pb = before / name, after / name
        if not pa.exists() or not pb.exists():
            print(f"{name}: only in {'after' if not pa.exists() else 'before'}")
            articles_diff += 1
            continue
        if pa.read_bytes() == pb.read_bytes():
            continue
        lines = diff_reports(json.loads(pa.read_text(encoding="utf-8")), json.loads(pb.read_text(encoding="utf-8")))
        articles_diff += 1
        lines_total += len(lines)
        print(name)
        print("\n".join(lines))
    print(f"{len(names)} articles compared; {articles_diff} differ; {lines_total} differing fields")
    return 1 if articles_diff else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    w = sub.add_parser("write", help="write every report into a directory")
    w.add_argument("out", type=Path)
    d = sub.add_parser("diff", help="compare two directories written by 'write'")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if not POLNEAR.is_dir():
        print(f"{POLNEAR}: PolNeAR is not there (the shared folder is absent)", file=sys.stderr)
        return 2
    return write(args.out) if args.mode == "write" else diff(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
