#!/usr/bin/env python3
"""Reads WARC files with warcio, the standard Python WARC library, and prints one JSON
line per record: [file, type, target URI, truncated, content length]. Exits 1 when
warcio cannot read a file to its end. Used by tests/crawl.rs to check that the archive
takedowns writes is valid for the standard tools.

    python3 scale/warcio_check.py KB/archive/*.warc.gz
"""
import json
import sys

from warcio.archiveiterator import ArchiveIterator


def main(paths):
    bad = 0
    for path in paths:
        try:
            with open(path, "rb") as f:
                for rec in ArchiveIterator(f, check_digests=False):
                    h = rec.rec_headers
                    length = int(h.get_header("Content-Length") or 0)
                    print(json.dumps([
                        path,
                        rec.rec_type,
                        h.get_header("WARC-Target-URI") or "",
                        h.get_header("WARC-Truncated") is not None,
                        length,
                    ]))
                    # Read the block through, as a consumer would.
                    rec.content_stream().read()
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            print(f"{path}: {e}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
