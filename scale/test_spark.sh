#!/usr/bin/env bash
# Runs scale/spark_extract.py in Spark local mode over several WARC shards and checks that
# its output equals single-process `takedowns extract --json` on the same shards, line for
# line (as sets: Spark does not keep order across parts). Not part of `cargo test`: it
# installs pyspark (about 320 MB) into target/sparkvenv. Needs Java 17 and python3.
#
#   bash scale/test_spark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=target/release/takedowns
VENV=target/sparkvenv
if ! "$VENV/bin/python" -c 'import pyspark' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q pyspark
fi
WORK=target/spark-test
rm -rf "$WORK"
mkdir -p "$WORK/shards"
# Three shards of WARC written by takedowns itself, from three slices of the fixtures.
i=0
for slice in "2018" "2019" "202"; do
    "$BIN" ingest --json --kb "$WORK/kb$i" fixtures/pages/${slice}*/page.html > /dev/null
    cp "$WORK/kb$i"/archive/*.warc.gz "$WORK/shards/shard-$i.warc.gz"
    i=$((i + 1))
done
SHARDS=("$WORK"/shards/*.warc.gz)
MASTER="local[2]" "$VENV/bin/python" scale/spark_extract.py --bin "$BIN" --out "$WORK/out" "${SHARDS[@]}"
ls "$WORK"/out/part-*.jsonl > /dev/null
# The same shards through one process, normalised as the job writes them.
"$BIN" extract --json "${SHARDS[@]}" \
    | "$VENV/bin/python" -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l)
    if "body" in r:
        print(json.dumps(r, ensure_ascii=False, sort_keys=True))' | sort > "$WORK/single.jsonl"
cat "$WORK"/out/part-*.jsonl | sort > "$WORK/spark.jsonl"
n=$(wc -l < "$WORK/single.jsonl")
# The merge step: the results into one knowledge base, against ingesting the shards.
"$BIN" ingest --json --kb "$WORK/merged" "$WORK/out" > /dev/null
"$BIN" ingest --json --kb "$WORK/direct" "${SHARDS[@]}" > /dev/null
claims_of() { "$BIN" search --json --kb "$1" --limit 10000 | "$VENV/bin/python" -c 'import json,sys
for h in json.load(sys.stdin)["hits"]:
    print(h["id"])' | sort; }
if ! cmp -s <(claims_of "$WORK/merged") <(claims_of "$WORK/direct"); then
    echo "spark: the merged knowledge base differs from ingesting the shards" >&2
    exit 1
fi
if cmp -s "$WORK/single.jsonl" "$WORK/spark.jsonl" && [ "$n" -gt 0 ]; then
    claims=$("$VENV/bin/python" -c 'import json,sys; print(sum(len(json.loads(l)["claims"]) for l in open(sys.argv[1])))' "$WORK/spark.jsonl")
    echo "spark: OK: ${#SHARDS[@]} shards, $n articles, $claims claims, the same as single-process extract; merged KB = ingested shards"
else
    echo "spark: DIFFERENT from single-process extract:" >&2
    diff <(cut -c1-200 "$WORK/single.jsonl") <(cut -c1-200 "$WORK/spark.jsonl") | head -20 >&2
    exit 1
fi
