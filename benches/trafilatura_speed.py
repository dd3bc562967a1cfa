"""Speed and quality of Python trafilatura on the article-extraction benchmark.

A measurement script, run by hand outside CI, to put our Rust extractor side by
side with trafilatura on the same 181 pages and the same F1 definition
(see ``README.md`` of the benchmark folder).

How to run (from the repository root; ``target/`` is ignored by git, so the
virtual environment stays out of the tracked files)::

    python3 -m venv target/trafvenv
    target/trafvenv/bin/pip install trafilatura lxml_html_clean   # or pin trafilatura==2.3.1
    target/trafvenv/bin/python benches/trafilatura_speed.py
    target/trafvenv/bin/python benches/trafilatura_speed.py --no-comments

Use whichever trafilatura version pip resolves; the project notes measured
2.3.1 (F1 0.953 with defaults, 0.960 without comments, about 43 pages/s).
``lxml_html_clean`` is listed explicitly because jusText (a trafilatura
dependency) imports ``lxml.html.clean``, which recent lxml releases (6.x) no
longer ship; without it ``import trafilatura`` fails with an ImportError.

Options:
    --bench-dir DIR   benchmark folder (default: ../shared/bench/article-extraction
                      relative to the repository root, i.e. the parent of benches/)
    --repeat N        timed passes over all pages; the fastest is reported (default 3)
    --out FILE        write predictions as JSON {id: {"articleBody": text}}
    --no-comments     call trafilatura with include_comments=False

All pages are read and decompressed before timing starts, so only extraction is
timed. Everything runs in this one process on one core (no multiprocessing).
The last line printed is one JSON object meant for scripts.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import math
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import trafilatura

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH_DIR = REPO_ROOT.parent / "shared" / "bench" / "article-extraction"

SHINGLE_SIZE = 4
TOKEN_RE = re.compile(r"\w+")  # str pattern: \w is Unicode-aware by default


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    reference: str


@dataclass(frozen=True)
class Run:
    seconds: float
    page_seconds: list[float]
    predictions: dict[str, str]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    accuracy: float


# --- data --------------------------------------------------------------------


def load_pages(bench_dir: Path) -> list[Page]:
    """Read ground truth and decompress every page into memory."""
    truth: dict[str, dict[str, str]] = json.loads(
        (bench_dir / "ground-truth.json").read_text(encoding="utf-8")
    )
    pages: list[Page] = []
    for page_id in sorted(truth):
        path = bench_dir / "html" / f"{page_id}.html.gz"
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        entry = truth[page_id]
        pages.append(Page(page_id, entry.get("url", ""), html, entry.get("articleBody", "")))
    return pages


# --- timing ------------------------------------------------------------------


def run_once(pages: list[Page], include_comments: bool) -> Run:
    """One timed pass over all pages; a failed extraction counts as empty."""
    predictions: dict[str, str] = {}
    page_seconds: list[float] = []
    gc.collect()
    start = time.perf_counter()
    for page in pages:
        t0 = time.perf_counter()
        text = trafilatura.extract(page.html, url=page.url, include_comments=include_comments)
        page_seconds.append(time.perf_counter() - t0)
        predictions[page.id] = text or ""
    return Run(time.perf_counter() - start, page_seconds, predictions)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


# --- scoring -----------------------------------------------------------------


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def shingles(tokens: list[str]) -> Counter[tuple[str, ...]]:
    """Multiset of overlapping 4-token windows.

    A text of 1-3 tokens has no full window; it is treated as one shingle made
    of its whole token list (as the upstream scorer does), so a short
    prediction or reference still counts. An empty text has no shingles.
    """
    if len(tokens) < SHINGLE_SIZE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(
        tuple(tokens[i : i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1)
    )


def score(references: dict[str, str], predictions: dict[str, str]) -> Scores:
    """Benchmark precision/recall/F1 over shingles, plus exact-token accuracy."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = 0
    for page_id, reference in references.items():
        ref_tokens = tokenize(reference)
        pred_tokens = tokenize(predictions.get(page_id, ""))
        exact += ref_tokens == pred_tokens
        ref, pred = shingles(ref_tokens), shingles(pred_tokens)
        tp = sum((ref & pred).values())
        fp = sum((pred - ref).values())
        fn = sum((ref - pred).values())
        # Rescaling tp/fp/fn to sum to one (as the README says) leaves ratios
        # unchanged, so raw counts are used.
        perfect = fp == 0 and fn == 0
        if tp + fp > 0:  # the prediction produced at least one shingle
            precisions.append(1.0 if perfect else tp / (tp + fp))
        if tp + fn > 0 or perfect:  # recall is defined
            recalls.append(1.0 if perfect else tp / (tp + fn))
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return Scores(precision, recall, f1, exact / len(references) if references else 0.0)


# --- main --------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time trafilatura on the article-extraction benchmark and score it."
    )
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; best is reported")
    parser.add_argument("--out", type=Path, help="write predictions JSON here")
    parser.add_argument(
        "--no-comments", action="store_true", help="pass include_comments=False"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    include_comments = not args.no_comments
    extractor = f"trafilatura {trafilatura.__version__}"

    pages = load_pages(args.bench_dir)
    print(f"{extractor}, include_comments={include_comments}, {len(pages)} pages "
          f"from {args.bench_dir}")

    runs: list[Run] = []
    for i in range(args.repeat):
        run = run_once(pages, include_comments)
        runs.append(run)
        print(f"  run {i + 1}/{args.repeat}: {run.seconds:.3f} s, "
              f"{len(pages) / run.seconds:.1f} pages/s")
    best = min(runs, key=lambda r: r.seconds)
    if any(r.predictions != best.predictions for r in runs):
        print("  warning: predictions differ between runs; scoring the fastest run")

    references = {p.id: p.reference for p in pages}
    scores = score(references, best.predictions)
    pages_per_sec = len(pages) / best.seconds
    median_ms = statistics.median(best.page_seconds) * 1000
    p99_ms = percentile(best.page_seconds, 99) * 1000
    empty = sum(1 for text in best.predictions.values() if not text)

    print(f"best of {args.repeat}: {len(pages)} pages in {best.seconds:.3f} s = "
          f"{pages_per_sec:.1f} pages/s; per page median {median_ms:.2f} ms, "
          f"p99 {p99_ms:.2f} ms, max {max(best.page_seconds) * 1000:.2f} ms")
    print(f"F1 {scores.f1:.4f}  precision {scores.precision:.4f}  "
          f"recall {scores.recall:.4f}  accuracy {scores.accuracy:.4f}  "
          f"(empty predictions: {empty})")

    if args.out:
        args.out.write_text(
            json.dumps({k: {"articleBody": v} for k, v in best.predictions.items()},
                       ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        print(f"predictions written to {args.out}")

    print(json.dumps({
        "extractor": extractor,
        "pages": len(pages),
        "pages_per_sec": round(pages_per_sec, 2),
        "f1": round(scores.f1, 4),
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "accuracy": round(scores.accuracy, 4),
        "include_comments": include_comments,
        "seconds": round(best.seconds, 4),
        "median_ms": round(median_ms, 3),
        "p99_ms": round(p99_ms, 3),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
