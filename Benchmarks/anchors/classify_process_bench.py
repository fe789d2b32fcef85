#!/usr/bin/env python3
"""The whole `arxiv-digest classify` process as a benchmark child: JSON Lines in, JSON Lines out.

It trains a model with `arxiv-digest train` on the training split (the benchmark's setting: logistic
regression, unigrams, sublinear tf, min_df 2, text = title + " " + abstract, tol 1e-4, max_iter 100;
not timed), then times `arxiv-digest classify --papers TEST` processes whose standard output goes to
a file, each from start to exit (`wait4`: wall time and the process's own peak RSS). The labels it wrote are
the predictions the driver scores. Same command line as the other children, plus `--binary` (the
release `arxiv-digest`), `--work` (a folder for the model and the output), `--top-k` (probabilities per
line: a number or `all`; default: classify's own, 5 of 70 classes) and `--repeats` (how many processes
are timed; the median is reported, and every run must write the same bytes).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import emit  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True, help="the release arxiv-digest")
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--model", default="logreg", choices=["logreg"])
    parser.add_argument("--ngram-max", type=int, default=1, choices=[1, 2])
    parser.add_argument("--grid", required=True, help="one C value")
    parser.add_argument("--max-iter", type=int, default=100)
    parser.add_argument("--predictions", required=True)
    parser.add_argument("--work", required=True, help="folder for the model and classify's output")
    parser.add_argument("--top-k", default=None, help="probabilities per line: a number, or all (default: classify's)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="run the classify process this many times; report the median wall time")
    # Accepted for the common interface, unused here.
    parser.add_argument("--cv-folds", type=int)
    parser.add_argument("--cv-max-docs", type=int)
    parser.add_argument("--latency-docs", type=int)
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def timed(command, stdout):
    """(wall seconds, peak RSS MiB, CPU seconds) of one child process; raises on a non-zero exit."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"exit {code}: {' '.join(command)}\n{process.stderr.read().decode()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


def main():
    args = parse_args()
    os.makedirs(args.work, exist_ok=True)
    c = float(args.grid.split(",")[0])
    # The model depends on the data, the setting and the binary: reuse it only when all three match.
    stamp = f"{os.path.getmtime(args.binary):.0f}-{os.path.getsize(args.train)}-{c:g}-{args.ngram_max}-{args.max_iter}"
    model = os.path.join(args.work, f"classify-process-{stamp}.model")
    if not os.path.exists(model):
        train = [args.binary, "train", "--data", args.train, "--labels", "auto", "--classifier", "logreg",
                 "--C", repr(c), "--ngram-range", f"1,{args.ngram_max}", "--min-df", "2", "--sublinear-tf", "true",
                 "--max-iter", str(args.max_iter), "--tol", "1e-4", "--title-repeat", "1", "--keyword-votes", "0",
                 "--output", model]
        seconds, peak, _ = timed(train, subprocess.DEVNULL)
        emit("train_command", seconds, None, peak_rss_mb=peak)
    docs = sum(1 for line in open(args.test, encoding="utf-8") if line.strip())
    output = os.path.join(args.work, "classify-process-output.jsonl")
    command = [args.binary, "classify", "--papers", args.test, "--model", model]
    if args.top_k == "all":
        classes = {json.loads(line)["label"] for line in open(args.train, encoding="utf-8") if line.strip()}
        command += ["--top-k", str(len(classes))]
    elif args.top_k:
        command += ["--top-k", args.top_k]
    runs, digests = [], set()
    for _ in range(args.repeats):
        with open(output, "wb") as handle:
            runs.append(timed(command, handle))
        with open(output, "rb") as handle:
            digests.add(hashlib.file_digest(handle, "sha256").hexdigest())
    if len(digests) != 1:
        raise SystemExit(f"the {len(runs)} classify runs wrote {len(digests)} different outputs: {' '.join(command)}")
    # The median run by wall time (for an even count the upper of the two middle ones, so that the CPU time
    # beside it is one run's own); the highest peak RSS of all runs.
    seconds, _, cpu = sorted(runs)[len(runs) // 2]
    emit("classify_process", seconds, docs, peak_rss_mb=max(run[1] for run in runs), cpu_seconds=cpu,
         output_bytes=os.path.getsize(output), repeat_seconds=[run[0] for run in runs],
         setting=f"C={c:g}, top-k {args.top_k or 'default'}")
    with open(output, encoding="utf-8") as lines, open(args.predictions, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.loads(line)["label"] + "\n")


if __name__ == "__main__":
    main()
