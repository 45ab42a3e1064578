"""Does the claim matcher still need its hand stemmer (link.claims.stem)? The same judgements under three
forms of a claim's words: the hand stemmer, spaCy's lemma (en_core_web_sm, from a parse of the claim), and
the lower-cased word alone. Measured (1) on the judged pairs of docs/claim_pairs.md (which the matcher
links, against the verdict "same"), and (2) on a linked ledger: formulaic claims and cross-article clusters
of a relink with each form (stored vectors: no embedding).

    .venv/bin/python bench/probe_term_forms.py /work/ledgers/allsides.db LEDGER_WITH_VECTORS
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench._report import table, write_section  # noqa: E402
from reportedly.link import claims  # noqa: E402
from reportedly.link.origins import link_articles  # noqa: E402
from reportedly.store import open_store  # noqa: E402

PAIRS = Path(__file__).resolve().parents[1] / "docs" / "claim_pairs.md"
ROW = re.compile(r"^\| \d+ \((\S+)/(\S+) ~ (\S+)/(\S+)\) \| [\d.]+ \| [^|]+ \| (\w+) \|")
HAND = claims.stem


def judged() -> list[tuple[tuple[str, str], tuple[str, str], str]]:
    out = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            out.append(((m[1], m[2]), (m[3], m[4]), m[5]))
    return out


def lemma_form(texts: list[str]) -> Callable[[str], str]:
    """word -> its lemma as spaCy parsed it in these texts (the first parse of a word wins)."""
    import spacy

    from reportedly.base_model import MODEL_PACKAGE

    nlp = spacy.load(MODEL_PACKAGE, disable=["ner", "parser"])
    forms: dict[str, str] = {}
    for doc in nlp.pipe(texts):
        for t in doc:
            forms.setdefault(t.text.lower().strip("'’-."), t.lemma_.lower())
    return lambda w: forms.get(w.lower().strip("'’-."), w.lower().strip("'’-."))


def use(form: Callable[[str], str]) -> None:
    claims.stem = form  # type: ignore[assignment]
    claims._features.cache_clear()


def pair_scores(db: str) -> tuple[list[list[object]], list[str]]:
    pairs = judged()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    info = {}
    for a, b, _ in pairs:
        for art, attr in (a, b):
            info[(art, attr)] = con.execute(
                "SELECT a.content, a.source_key, r.published FROM attributions a JOIN articles r"
                " ON r.id = a.article_id WHERE a.article_id = ? AND a.attr_id = ?", (art, attr)).fetchone()
    texts = sorted({r[0] for r in info.values() if r})
    forms = {"hand stemmer (link.claims.stem)": HAND, "spaCy lemma": lemma_form(texts),
             "lower-cased word": lambda w: w.lower().strip("'’-.")}
    rows = []
    for name, form in forms.items():
        use(form)
        linked = same = both = 0
        for a, b, verdict in pairs:
            if not (info.get(a) and info.get(b)):
                continue
            x, y = (claims.item(k[0], k[1], info[k][0], [info[k][1]] if info[k][1] else [], info[k][2])
                    for k in (a, b))
            hit = claims.same_claim(x, y)
            linked += hit
            same += verdict == "same"
            both += hit and verdict == "same"
        rows.append([name, len(pairs), linked, f"{both}/{linked}" if linked else "-", f"{both}/{same}"])
    return rows, list(forms)


def ledger_scores(ledger: str, names: list[str], db: str) -> list[list[object]]:
    store = open_store(ledger)
    arts = store.load_link_inputs()
    texts = sorted({str((x.get("content") or {}).get("text") or "") for a in arts
                    for x in a.report.get("attributions") or [] if isinstance(x, dict)})
    forms = {names[0]: HAND, names[1]: lemma_form(texts), names[2]: lambda w: w.lower().strip("'’-.")}
    rows = []
    for name, form in forms.items():
        use(form)
        r = link_articles(arts, store.claim_vectors)
        rows.append([name, len(arts), r.formulaic, sum(1 for c in r.clusters if c[3] > 1), len(r.new_vectors)])
    return rows


def main(db: str, ledger: str) -> None:
    pairs, names = pair_scores(db)
    body = table(["word form", "judged pairs", "linked", "linked judged same", "judged same linked"], pairs)
    body += "\n\n" + table(["word form", "articles", "formulaic claims", "cross-article clusters",
                            "texts embedded (new)"], ledger_scores(ledger, names, db))
    body += ("\n\nLEDGER: a linked ledger with stored claim vectors (here the 1,000-article one bench_linking.py"
             " builds). Judged pairs: docs/claim_pairs.md; 'linked judged same' is precision, 'judged same linked'"
             " recall on them.")
    print(body)
    write_section("term_forms", "Claim words: hand stemmer vs spaCy lemma vs the word (issue 12)",
                  f"python bench/probe_term_forms.py {db} LEDGER", body)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
