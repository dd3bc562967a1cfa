#!/usr/bin/env bash
# Side by side, in one run, on the same 181 benchmark pages and one core:
# Python trafilatura (in a venv under target/, created on first use; outside CI)
# and takedowns' extractor, with the bare scraper parse as the floor.
#   bash benches/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/trafvenv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q trafilatura==2.3.1 lxml_html_clean
fi
# taskset keeps each measurement on one core where it is available.
pin() { if command -v taskset >/dev/null; then taskset -c 0 "$@"; else "$@"; fi; }
traf=$(pin "$venv/bin/python" benches/trafilatura_speed.py --no-comments --repeat 3 | tail -n 1)
cargo bench --bench extract --quiet >/dev/null 2>&1 || true
ours=$(pin cargo bench --bench extract --quiet 2>/dev/null | tail -n 1)
python3 - "$traf" "$ours" <<'PY'
import json, sys
t, o = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"trafilatura {t['extractor'].split()[-1]} (no comments): {t['pages_per_sec']:.1f} pages/s, F1 {t['f1']:.4f}")
print(f"scraper parse alone (floor):        {o['parse_pages_per_sec']:.1f} pages/s")
print(f"takedowns extract:                  {o['extract_pages_per_sec']:.1f} pages/s")
print(f"takedowns / trafilatura: {o['extract_pages_per_sec'] / t['pages_per_sec']:.1f}x   "
      f"takedowns time / parse time: {o['extract_over_parse']:.2f}x")
PY
