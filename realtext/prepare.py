#!/usr/bin/env python3
"""Turn saved search results into pages for measuring the real-text set.

Usage:
    python3 realtext/prepare.py RAW_DIR OUT_DIR

RAW_DIR holds the search tool's saved answers (`{"results": [{"url", "excerpt"}, ...]}`),
named as each annotation's `raw` field says. For every annotated passage this picks the
excerpt of its URL from its own raw file, adds the annotated page date, and hands the lot
to ../shared/tools/wrap_excerpts.py, which writes OUT_DIR/<hash>.html and OUT_DIR/index.tsv
(and skips held-out URLs). OUT_DIR must lie outside the repository: published text never
enters it. Standard library only.
"""
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def annotations():
    for path in sorted(glob.glob(os.path.join(HERE, "set-*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    yield path, n, json.loads(line)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    raw_dir, out_dir = argv[1], argv[2]
    cache, rows, missing = {}, [], []
    for path, n, a in annotations():
        name = a.get("raw") or ""
        if name not in cache:
            try:
                with open(os.path.join(raw_dir, name), encoding="utf-8") as f:
                    cache[name] = json.load(f).get("results", [])
            except (OSError, ValueError):
                cache[name] = []
        hit = next((r for r in cache[name] if r.get("url") == a["url"] and r.get("excerpt")), None)
        if hit is None:
            missing.append("%s:%d %s" % (os.path.basename(path), n, a["url"]))
            continue
        rows.append({"url": a["url"], "excerpt": hit["excerpt"], "date": a.get("date") or ""})
    os.makedirs(out_dir, exist_ok=True)
    batch = os.path.join(out_dir, "prepared.json")
    with open(batch, "w", encoding="utf-8") as f:
        json.dump({"results": rows}, f)
    wrap = os.path.join(HERE, "..", "..", "shared", "tools", "wrap_excerpts.py")
    subprocess.run([sys.executable, wrap, out_dir, batch], check=True)
    os.remove(batch)
    print("%d passages prepared in %s; %d without their text:" % (len(rows), out_dir, len(missing)))
    for m in missing:
        print("  " + m)


if __name__ == "__main__":
    main(sys.argv)
