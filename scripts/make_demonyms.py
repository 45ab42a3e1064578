"""Write the demonym table of src/reportedly/data/link_words.json ("Ukrainian" -> "ukraine") from the country
data of the countryinfo package (MIT), so that source keys treat "the Ukrainian ministry" and "Ukraine's
ministry" as one body for every country, not for a hand-picked few. Run once after installing
``countryinfo==1.0.1`` (not a dependency of the project: the table ships as data):

    .venv/bin/pip install countryinfo==1.0.1 && .venv/bin/python scripts/make_demonyms.py

Only one-word demonyms of one-word country names are kept; a demonym several territories share goes to the
one far more populous than the others ("French": France), else it is left out ("Dominican"): a key must not
merge two bodies.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from pathlib import Path

DOMINANT = 10
OUT = Path(__file__).resolve().parents[1] / "src" / "reportedly" / "data" / "link_words.json"


def demonyms() -> dict[str, str]:
    claimants: dict[str, list[tuple[int, str]]] = defaultdict(list)  # demonym -> (population, country)
    for f in resources.files("countryinfo").joinpath("data").iterdir():
        if not f.name.endswith(".json"):
            continue
        d = json.loads(f.read_text(encoding="utf-8"))
        name = str(d.get("name") or "").lower()
        for dem in str(d.get("demonym") or "").split(","):
            dem = dem.strip().lower()
            if dem and " " not in dem and name and dem != name:
                claimants[dem].append((int(d.get("population") or 0), name))
    out = {}
    for dem, cs in sorted(claimants.items()):
        cs.sort(reverse=True)
        # shared ("French": France, Martinique, ...): the country at least DOMINANT times as populous as every
        # other claimant; none otherwise ("Dominican")
        if (len(cs) == 1 or cs[0][0] >= DOMINANT * cs[1][0]) and " " not in cs[0][1]:
            out[dem] = cs[0][1]
    return out


def main() -> None:
    data = json.loads(OUT.read_text(encoding="utf-8"))
    data["demonyms"] = demonyms()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['demonyms'])} demonyms")


if __name__ == "__main__":
    main()
