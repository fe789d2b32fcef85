"""Does a better initial point buy the logistic-regression fit fewer iterations? (issue 16's "a better initial point
such as the NB or ridge solution"; Benchmarks/README, "Fifteenth pass"). A one-off measurement, not part of the
benchmark run.

    python3 Benchmarks/experiments/initial_point.py --C 4096 --starts zero,nb,subsample

It minimises the objective both systems minimise (scikit-learn's multinomial loss, the intercept unpenalised),

    f(W, b) = (1/n) Σ_i [logsumexp(z_i) − z_i,y_i] + ‖W‖² / (2·C·n),   z = X·Wᵀ + b,

on the benchmark's 100k training split and features, with scipy's L-BFGS-B set as scikit-learn sets it (10 pairs,
gtol = tol = 1e-4, ftol = 64·eps, 50 line-search steps, 100 iterations), from each starting point:

- `zero`: scikit-learn's start (and ours);
- `nb`: multinomial naive Bayes on the same TF-IDF rows (α = 0.003, the benchmark's tuned value): the
  class-centred log-probabilities as weights and the centred log-priors as intercepts, times the one scale that
  minimises f along that ray (a golden-section search over log-scale, ~25 objective evaluations, counted);
- `subsample`: the same fit on the first 10% of the rows (C scaled by 10 so the penalty per row is the same) for up to
  100 iterations, then continued on all rows. `setup_evaluations` counts its evaluations at a tenth of a full one;
  in ArxivDigest's own fit they cost about half, since much of an iteration's work is per parameter, not per row
  (Benchmarks/README, "Fifteenth pass").

It prints, every 10 iterations, f and the macro-F1 of the predictions on the test split, and for each start the
first iteration at which f is at or below the zero start's 100-iteration f. The objective's evaluations are
numpy's, so no wall time here is ArxivDigest's: what carries over is the iteration count.
"""
import argparse
import json
import os
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp
from sklearn.metrics import f1_score
from sklearn.naive_bayes import MultinomialNB

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHMARKS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(BENCHMARKS, "anchors"))
import bench_common as common  # noqa: E402
import sklearn_bench  # noqa: E402  (the benchmark's own vectoriser, so the same features)


class Problem:
    """f and ∇f over the flat vector [W (classes × features, row-major), b (classes)], counting evaluations."""

    def __init__(self, x, y, classes, C):
        self.x, self.y, self.k, self.C = x, y, classes, C
        self.n, self.d = x.shape
        self.evaluations = 0

    def split(self, theta):
        return theta[: self.k * self.d].reshape(self.k, self.d), theta[self.k * self.d:]

    def __call__(self, theta):
        self.evaluations += 1
        w, b = self.split(theta)
        z = np.asarray(self.x @ w.T) + b
        lse = logsumexp(z, axis=1)
        rows = np.arange(self.n)
        value = np.mean(lse - z[rows, self.y]) + np.sum(w * w) / (2 * self.C * self.n)
        g = np.exp(z - lse[:, None])
        g[rows, self.y] -= 1
        g /= self.n
        grad_w = np.asarray(self.x.T @ g).T + w / (self.C * self.n)
        return value, np.concatenate([grad_w.ravel(), g.sum(axis=0)])


def lbfgs(problem, start, iterations, checkpoints):
    """scikit-learn's L-BFGS-B call; returns {iteration: theta} at the checkpoints and the final result."""
    kept = {}
    count = [0]

    def callback(xk):
        count[0] += 1
        if count[0] in checkpoints:
            kept[count[0]] = xk.copy()

    result = minimize(problem, start, method="L-BFGS-B", jac=True, callback=callback,
                      options={"maxiter": iterations, "maxls": 50, "gtol": 1e-4,
                               "ftol": 64 * np.finfo(float).eps, "maxcor": 10})
    kept.setdefault(result.nit, result.x.copy())
    return kept, result


def naive_bayes_start(problem, x, y, alpha):
    """The NB ray's best point: s·(centred log θ, centred log prior), s by golden section on log s."""
    nb = MultinomialNB(alpha=alpha).fit(x, y)
    w = nb.feature_log_prob_ - nb.feature_log_prob_.mean(axis=0)
    b = nb.class_log_prior_ - nb.class_log_prior_.mean()
    ray = np.concatenate([w.ravel(), b])

    def f(log_scale):
        return problem(np.exp(log_scale) * ray)[0]

    low, high = np.log(1e-3), np.log(1e3)
    ratio = (np.sqrt(5) - 1) / 2
    a, c = high - ratio * (high - low), low + ratio * (high - low)
    fa, fc = f(a), f(c)
    for _ in range(22):
        if fa <= fc:
            high, c, fc = c, a, fa
            a = high - ratio * (high - low)
            fa = f(a)
        else:
            low, a, fa = a, c, fc
            c = low + ratio * (high - low)
            fc = f(c)
    best = a if fa <= fc else c
    return np.exp(best) * ray, float(np.exp(best))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", default=os.path.join(BENCHMARKS, "work/arxiv/train.jsonl"))
    parser.add_argument("--test", default=os.path.join(BENCHMARKS, "work/arxiv/test.jsonl"))
    parser.add_argument("--C", type=float, default=4096.0)
    parser.add_argument("--starts", default="zero,nb,subsample")
    parser.add_argument("--iterations", type=int, default=100)
    args = parser.parse_args()
    starts = args.starts.split(",")
    unknown = set(starts) - {"zero", "nb", "subsample"}
    if unknown:
        parser.error(f"--starts: unknown {sorted(unknown)}; choose from zero, nb, subsample")

    texts, labels = common.load_split(args.train)
    test_texts, test_labels = common.load_split(args.test)
    vectorizer = sklearn_bench.make_vectorizer(1)
    x = vectorizer.fit_transform(texts).tocsr()
    x_test = vectorizer.transform(test_texts).tocsr()
    classes = sorted(set(labels))
    index = {label: i for i, label in enumerate(classes)}
    y = np.array([index[label] for label in labels])
    problem = Problem(x, y, len(classes), args.C)
    checkpoints = set(range(10, args.iterations + 1, 10))

    def macro_f1(theta):
        w, b = problem.split(theta)
        predicted = np.asarray(np.argmax(x_test @ w.T + b, axis=1)).ravel()
        return f1_score(test_labels, [classes[i] for i in predicted], average="macro")

    reference = None
    for start_name in starts:
        extra = {}
        if start_name == "zero":
            start = np.zeros(problem.k * problem.d + problem.k)
            setup_evaluations = 0
        elif start_name == "nb":
            before = problem.evaluations
            start, scale = naive_bayes_start(problem, x, y, 0.003)
            setup_evaluations = problem.evaluations - before
            extra = {"nb_scale": scale}
        else:
            part = x.shape[0] // 10
            small = Problem(x[:part], y[:part], problem.k, args.C * 10)
            _, result = lbfgs(small, np.zeros(problem.k * problem.d + problem.k), args.iterations, set())
            start = result.x
            # Counted at a tenth of a full evaluation each: an assumption, see the docstring.
            setup_evaluations = small.evaluations / 10
            extra = {"subsample_iterations": int(result.nit), "subsample_evaluations": int(small.evaluations)}
        start_value = problem(start)[0]
        kept, result = lbfgs(problem, start, args.iterations, checkpoints)
        rows = []
        for iteration in sorted(kept):
            value = problem(kept[iteration])[0]
            rows.append({"iteration": iteration, "objective": value, "macro_f1": round(macro_f1(kept[iteration]), 4)})
        record = {"start": start_name, "C": args.C, "start_objective": start_value,
                  "setup_evaluations": setup_evaluations, "iterations": int(result.nit),
                  "evaluations_in_fit": int(result.nfev), "final_objective": float(result.fun), **extra,
                  "checkpoints": rows}
        if start_name == "zero":
            reference = float(result.fun)
        if reference is not None:
            reached = [r["iteration"] for r in rows if r["objective"] <= reference]
            record["first_checkpoint_at_or_below_zero_start_final"] = reached[0] if reached else None
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
