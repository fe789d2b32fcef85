"""How many of our L-BFGS iterations reach the objective scikit-learn reaches in its 100 (issue 16; Benchmarks/README,
"Seventh pass"). A one-off measurement, not part of the benchmark run.

    python3 Benchmarks/experiments/equal_objective.py --C 16384 --iterations 40,50,60,70,80,90,100

It fits scikit-learn's LogisticRegression(solver="lbfgs", max_iter=100) on the 100k training split (the features
of the benchmark: TfidfVectorizer, sublinear tf, min_df=2), evaluates the objective both minimise,

    f(W, b) = (1/n) Σ_i [logsumexp(z_i) − z_i,y_i] + ‖W‖² / (2·C·n),   z = X·Wᵀ + b,

then runs the benchmark's child (`arxiv-digest-bench --fit-only`) with each iteration limit and prints the
objective it reports, so the first limit at or below scikit-learn's value can be read off. Run it alone on the
machine: it prints fit times too, and they are only comparable on an idle machine.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import warnings

import numpy as np
from scipy.special import logsumexp
from sklearn.exceptions import ConvergenceWarning

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHMARKS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(BENCHMARKS, "anchors"))
import bench_common as common  # noqa: E402
import sklearn_bench  # noqa: E402  (the benchmark's own vectoriser and model, so the same features and fit)


def objective(model, x, labels):
    """scikit-learn's multinomial objective at the fitted coefficients (the loss `LinearModelLoss` minimises)."""
    scores = x @ model.coef_.T + model.intercept_
    rows = np.arange(x.shape[0])
    index = {label: i for i, label in enumerate(model.classes_)}
    y = np.array([index[label] for label in labels])
    data = np.mean(logsumexp(scores, axis=1) - scores[rows, y])
    return data + np.sum(model.coef_ ** 2) / (2 * model.C * x.shape[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", default=os.path.join(BENCHMARKS, "work/arxiv/train.jsonl"))
    parser.add_argument("--C", type=float, default=16384.0)
    parser.add_argument("--iterations", default="50,60,70,80,90,100")
    parser.add_argument("--bench", default=os.path.join(BENCHMARKS, ".build/release/arxiv-digest-bench"))
    args = parser.parse_args()
    limits = [int(v) for v in args.iterations.split(",")]
    if not limits or min(limits) < 1:
        parser.error("--iterations takes iteration limits of at least 1, comma-separated")

    texts, labels = common.load_split(args.train)
    x = sklearn_bench.make_vectorizer(1).fit_transform(texts)
    model = sklearn_bench.make_model("logreg", args.C, 100)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, labels)
    seconds = time.perf_counter() - start
    target = float(objective(model, x, labels))
    print(json.dumps({"system": "sklearn", "C": args.C, "iterations": int(model.n_iter_[0]),
                      "seconds": round(seconds, 2), "objective": target}), flush=True)

    for limit in limits:
        command = [args.bench, "--train", args.train, "--model", "logreg", "--grid", repr(args.C),
                   "--max-iter", str(limit), "--fit-only"]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        fit = next(row for row in map(json.loads, output.splitlines()) if row.get("stage") == "model_fit")
        print(json.dumps({"system": "ArxivDigest", "C": args.C, "iterations": fit["iterations"],
                          "evaluations": fit["evaluations"], "seconds": round(fit["seconds"], 2),
                          "objective": fit["loss"], "at_or_below_sklearn": fit["loss"] <= target}), flush=True)


if __name__ == "__main__":
    main()
