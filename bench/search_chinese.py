"""Chinese full-text search: three ways to index unspaced Chinese, measured on real text.

    .venv/bin/python bench/search_chinese.py

Methods, each an FTS5 table over the same rows:
- bigram:  the project's index (pipeline/store/search/text.py): each Han run as its
           bigrams then its characters, unicode61; a query is the phrase of its bigrams
           (a single character: itself).
- trigram: FTS5's built-in `trigram` tokenizer on the raw text; MATCH needs three
           characters, so a shorter query falls back to LIKE '%q%' over a plain copy of
           the text (a full scan: its time grows with the table; the copy is not counted
           in the index size).
- jieba:   jieba's `cut_for_search` segmentation at indexing time, unicode61; a query
           is segmented the same way and its words AND-ed.

Rows: OpenSanctions' compilation of China's sanctions and countermeasure lists
(../shared/corpus/mofcom/opensanctions_cn_sanctions.csv: each party's Chinese name
and Chinese summary), MOFCOM's three announcements in pipeline/demo_data/mofcom/,
and 1,000 English Federal Register documents (fr_api_documents_2024_page1_per_page1000.json)
so the index has realistic bulk. Queries, with the truth taken as "the row's text
contains the query": every Chinese party name, the first two characters of each
name (how people type a partial name), and the Chinese terms of the search glossary
(1 to 7 characters: 镓, 锗, 出口管制, 不可靠实体清单...). Needs `pip install jieba`.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.store.search import glossary  # noqa: E402
from pipeline.store.search.text import CJK_RUN, index_text, match_expression  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
CN_SANCTIONS = CORPUS / "mofcom" / "opensanctions_cn_sanctions.csv"
FR_DOCUMENTS = CORPUS / "federal_register" / "fr_api_documents_2024_page1_per_page1000.json"
MOFCOM_PAGES = ROOT / "pipeline" / "demo_data" / "mofcom" / "zwgk"


def rows() -> list[str]:
    texts = []
    with CN_SANCTIONS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append(" ".join(filter(None, (row["Name"], row["Chinese name"], row["Chinese summary"]))))
    for page in sorted(MOFCOM_PAGES.rglob("*.html")):
        texts.append(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    for document in json.loads(FR_DOCUMENTS.read_text())["results"]:
        texts.append(" ".join(filter(None, (document["title"], document.get("abstract")))))
    return texts


def queries() -> dict[str, list[str]]:
    with CN_SANCTIONS.open(encoding="utf-8", newline="") as handle:
        names = sorted({row["Chinese name"].strip() for row in csv.DictReader(handle) if row["Chinese name"].strip()})
    names = [name for name in names if CJK_RUN.fullmatch(name.replace("·", ""))]
    return {
        "whole names": names,
        "first 2 characters": sorted({name[:2] for name in names if len(name) >= 2}),
        "glossary terms": [entry[0] for entry in glossary.entries()],
    }


class Method:
    name = ""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)

    def build(self, texts: list[str]) -> None:
        self.db.execute(f"CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='{self.tokenizer}')")
        self.db.executemany("INSERT INTO fts (rowid, body) VALUES (?, ?)", enumerate(map(self.prepare, texts)))
        self.db.commit()

    def search(self, query: str) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [self.expression(query)])}


class Bigram(Method):
    name, tokenizer = "bigram", "unicode61 remove_diacritics 2"

    def prepare(self, text):
        return index_text(text)

    def expression(self, query):
        return match_expression(query)


class Trigram(Method):
    name, tokenizer = "trigram", "trigram"

    def prepare(self, text):
        return text

    def build(self, texts):
        super().build(texts)
        # FTS5's trigram index answers nothing shorter than three characters (SQLite 3.40 returns no
        # rows even for LIKE on it): shorter queries scan a plain copy of the text instead.
        self.db.execute("CREATE TABLE plain (body TEXT)")
        self.db.executemany("INSERT INTO plain (rowid, body) VALUES (?, ?)", enumerate(texts))
        self.db.commit()

    def search(self, query):
        if len(query) >= 3:
            return super().search(query)
        return {r[0] for r in self.db.execute("SELECT rowid FROM plain WHERE body LIKE ?", [f"%{query}%"])}

    def expression(self, query):
        return '"' + query.replace('"', "") + '"'


class Jieba(Method):
    name, tokenizer = "jieba", "unicode61 remove_diacritics 2"

    def __init__(self, path):
        super().__init__(path)
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        self.jieba = jieba

    def prepare(self, text):
        return " ".join(self.jieba.cut_for_search(text))

    def expression(self, query):
        words = [w for w in self.jieba.cut_for_search(query) if re.search(r"\w", w)]
        return " ".join(f'"{w}"' for w in dict.fromkeys(words))


def _has_dbstat(db) -> bool:
    try:
        db.execute("SELECT 1 FROM dbstat LIMIT 1")
        return True
    except sqlite3.OperationalError:
        return False


def measure(method_class, texts, query_sets, folder: Path) -> dict:
    path = folder / f"{method_class.name}.db"
    start = time.monotonic()
    method = method_class(path)
    set_up = time.monotonic() - start
    start = time.monotonic()
    method.build(texts)
    build = time.monotonic() - start
    size = (
        method.db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fts%'").fetchone()[0]
        if _has_dbstat(method.db)
        else path.stat().st_size
    )
    result = {"method": method_class.name, "build_s": build, "set_up_s": set_up, "size_kb": size / 1024}
    for label, items in query_sets.items():
        found_total = truth_total = hit_total = 0
        missed_queries = []
        timings = []
        for query in items:
            truth = {i for i, text in enumerate(texts) if query in text}
            start = time.monotonic()
            found = method.search(query)
            timings.append(time.monotonic() - start)
            hits = len(found & truth)
            found_total += len(found)
            truth_total += len(truth)
            hit_total += hits
            if hits < len(truth):
                missed_queries.append(query)
        result[label] = {
            "recall": hit_total / truth_total if truth_total else 1.0,
            "precision": hit_total / found_total if found_total else 1.0,
            "queries_missing_rows": len(missed_queries),
            "examples_missed": missed_queries[:4],
            "p50_ms": statistics.median(timings) * 1000,
            "max_ms": max(timings) * 1000,
            "n": len(items),
        }
    return result


def main() -> None:
    texts = rows()
    query_sets = queries()
    print(f"{len(texts)} rows; queries: " + ", ".join(f"{k} {len(v)}" for k, v in query_sets.items()))
    with tempfile.TemporaryDirectory() as folder:
        results = [measure(m, texts, query_sets, Path(folder)) for m in (Bigram, Trigram, Jieba)]
    print("\n| method | index KB | build s | set-up s | " + " | ".join(query_sets) + " |")
    print("|---|---|---|---|" + "---|" * len(query_sets))
    for r in results:
        cells = [
            f"recall {r[k]['recall']:.3f}, precision {r[k]['precision']:.3f}, "
            f"{r[k]['queries_missing_rows']} of {r[k]['n']} queries miss rows, p50 {r[k]['p50_ms']:.2f} ms"
            for k in query_sets
        ]
        print(
            f"| {r['method']} | {r['size_kb']:.0f} | {r['build_s']:.2f} | {r['set_up_s']:.2f} | "
            + " | ".join(cells)
            + " |"
        )
    for r in results:
        for k in query_sets:
            if r[k]["examples_missed"]:
                print(f"{r['method']} / {k}: misses rows for e.g. {', '.join(r[k]['examples_missed'])}")


if __name__ == "__main__":
    main()
