#!/usr/bin/env python3
# csv_round_trip.py: the token text a CSV from `logitscope sweep --format csv` holds reads
# back as the same token: each FILE is swept to CSV, the CSV's tokens and logits are written
# as a TSV (as a user would, after any CSV reader undid the quoting), and that TSV must sweep
# to the very same CSV. The one TSV rule a token can meet: a line starting with '#' is a
# comment, so such a token is written \x23.
# Usage: csv_round_trip.py LOGITSCOPE FILE...   Exit 0 = same, 1 = different.
import csv
import io
import os
import subprocess
import sys
import tempfile


def sweep_csv(exe, path):
    args = [exe, "sweep", path, "-t", "1", "-n", "0", "--format", "csv"]
    return subprocess.run(args, check=True, capture_output=True).stdout


def main():
    exe, files = sys.argv[1], sys.argv[2:]
    failed = 0
    for path in files:
        first = sweep_csv(exe, path)
        rows = list(csv.DictReader(io.StringIO(first.decode("utf-8"), newline="")))
        with tempfile.NamedTemporaryFile("wb", suffix=".tsv", delete=False) as f:
            for row in rows:
                token = row["token"]
                if token.startswith("#"):
                    token = "\\x23" + token[1:]
                f.write(("%s\t%s\n" % (token, row["logit"])).encode("utf-8"))
        try:
            second = sweep_csv(exe, f.name)
        finally:
            os.unlink(f.name)
        same = first == second
        print("%s %s: %d tokens" % ("ok" if same else "DIFFERENT", path, len(rows)))
        failed += not same
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
