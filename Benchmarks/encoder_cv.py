"""Repeated stratified CV of TF-IDF-only vs TF-IDF + MiniLM (issue 14's selection, Models/README.md).

    python3 Benchmarks/encoder_cv.py [--seeds 0,1,2] [--folds 5]

For each data set (topics/train.jsonl, and train.jsonl + train-extra.jsonl) and each seed, one
`arxiv-digest train --grid` per feature set (the C grid shares one process, so the embeddings are
computed once and reused by every fold and C; they are also cached on disk), all other options the
shipped model's. Prints each run's table and the mean ± sd over seeds; writes
Benchmarks/results/encoder-cv.json.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "datasets", "topics")
DATASETS = {
    "train": [os.path.join(SHARED, "train.jsonl")],
    "train+extra": [os.path.join(SHARED, "train.jsonl"), os.path.join(SHARED, "train-extra.jsonl")],
}
FEATURES = {
    "tfidf": [],
    "tfidf+minilm0.5": ["--embedding", "minilm", "--embedding-weight", "0.5"],
    "tfidf+minilm1.0": ["--embedding", "minilm", "--embedding-weight", "1.0"],
}
ROW = re.compile(r"^\| (\d+),(\d+) \| ([\d.e+]+) \| ([\d.]+) \| ([\d.]+) \|")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--C", default="30,100")
    parser.add_argument("--datasets", default="train,train+extra")
    parser.add_argument("--features", default=",".join(FEATURES))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "arxiv-digest"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in args.datasets.split(","):
            for features in args.features.split(","):
                for seed in args.seeds.split(","):
                    command = [args.binary, "train", "--grid", "--grid-values", args.C, "--grid-ngrams", "1,1",
                               "--cv", str(args.folds), "--seed", seed, "--output", os.path.join(tmp, "m.model")]
                    for path in DATASETS[dataset]:
                        command += ["--data", path]
                    command += FEATURES[features]
                    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
                    if run.returncode != 0:
                        sys.exit(f"{' '.join(command)}: {run.stderr[-2000:]}")
                    for line in run.stdout.splitlines():
                        m = ROW.match(line)
                        if m:
                            results.append({"dataset": dataset, "features": features, "seed": int(seed),
                                            "C": float(m.group(3)), "accuracy": float(m.group(4)), "macro_f1": float(m.group(5))})
                    print(dataset, features, "seed", seed, [(r["C"], r["accuracy"], r["macro_f1"]) for r in results[-len(args.C.split(",")):]], flush=True)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "encoder-cv.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("\n| data | features | C | accuracy (mean ± sd) | macro-F1 (mean ± sd) | seeds |\n|---|---|---|---|---|---|")
    keys = sorted({(r["dataset"], r["features"], r["C"]) for r in results}, key=lambda k: (k[0], list(FEATURES).index(k[1]), k[2]))
    for key in keys:
        rows = [r for r in results if (r["dataset"], r["features"], r["C"]) == key]
        acc = [r["accuracy"] for r in rows]
        f1 = [r["macro_f1"] for r in rows]
        sd = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0
        print(f"| {key[0]} | {key[1]} | {key[2]:g} | {statistics.mean(acc):.4f} ± {sd(acc):.4f} | "
              f"{statistics.mean(f1):.4f} ± {sd(f1):.4f} | {len(rows)} |")


if __name__ == "__main__":
    main()
