#!/usr/bin/env python3
"""Runs `takedowns extract --json` over WARC files with Apache Spark, one task per WARC
shard, as cc-pyspark jobs do over Common Crawl: the map step is the takedowns binary,
Spark only distributes the shards and collects the lines.

    python3 scale/spark_extract.py --bin target/release/takedowns --out OUT shard-*.warc.gz
    spark-submit scale/spark_extract.py --bin /opt/takedowns --out s3a://bucket/out s3://…/CC-NEWS-….warc.gz

Writes OUT/part-*.jsonl (part-* on a non-local OUT): one Article line per HTML response,
exactly what `takedowns extract --json SHARD` prints for it, with `file` set to the shard's
path as given. Error lines are logged to the executor's stderr, not written. The master
comes from Spark's usual settings (`--master`, `spark.master`); local mode when none. The
binary is shipped to the executors with the job (SparkContext.addFile), so it only has to
exist where the job is submitted. S3 paths are fetched with boto3 when it is installed.
"""
import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile


def fetch(path):
    """A local copy of a remote shard (s3:// or s3a://), or the path itself."""
    if not path.startswith(("s3://", "s3a://")):
        return path, None
    import boto3  # noqa: PLC0415 - only needed for S3 shards

    bucket, _, key = path.split("://", 1)[1].partition("/")
    fd, tmp = tempfile.mkstemp(suffix=".warc.gz")
    os.close(fd)
    boto3.client("s3").download_file(bucket, key, tmp)
    return tmp, tmp


def extract_partition(paths, binary_name):
    from pyspark import SparkFiles  # noqa: PLC0415 - on the executor

    binary = SparkFiles.get(binary_name)
    mode = os.stat(binary).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    for path in paths:
        local, tmp = fetch(path)
        try:
            proc = subprocess.run(
                [binary, "extract", "--json", local],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                check=False,
            )
            if proc.returncode not in (0, 1):
                raise RuntimeError(
                    f"takedowns extract failed on {path}: {proc.stderr.decode(errors='replace')}"
                )
            for line in proc.stdout.decode("utf-8").splitlines():
                rec = json.loads(line)
                if "error" in rec and "body" not in rec:
                    print(f"takedowns: {path}: {rec['error']}", file=sys.stderr)
                    continue
                rec["file"] = path
                yield json.dumps(rec, ensure_ascii=False, sort_keys=True)
        finally:
            if tmp:
                os.unlink(tmp)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="the takedowns binary")
    ap.add_argument("--out", required=True, help="output folder (local, HDFS or S3)")
    ap.add_argument("warcs", nargs="+", help="WARC files (.warc, .warc.gz; local or s3://)")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession  # noqa: PLC0415 - after argument errors

    builder = SparkSession.builder.appName("takedowns-extract")
    if "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", "") and not os.environ.get(
        "SPARK_MASTER"
    ):
        builder = builder.config("spark.master", os.environ.get("MASTER", "local[*]"))
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.addFile(os.path.abspath(args.bin))
    name = os.path.basename(args.bin)
    rdd = sc.parallelize(args.warcs, numSlices=len(args.warcs))
    rdd.mapPartitions(lambda it: extract_partition(it, name)).saveAsTextFile(args.out)
    spark.stop()
    # On a local folder, name the parts as the contract says.
    if os.path.isdir(args.out):
        for f in sorted(os.listdir(args.out)):
            if f.startswith("part-") and not f.endswith(".jsonl"):
                os.rename(os.path.join(args.out, f), os.path.join(args.out, f + ".jsonl"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
