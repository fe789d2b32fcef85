"""Builds a TF-IDF matrix with scikit-learn and records its classifiers' outputs for the Swift parity tests.

Usage: sklearn_parity.py DATASET VARIANT OUTDIR
       sklearn_parity.py --cache-key DATASET VARIANT
  DATASET  topics (shared/datasets/topics/train.jsonl) or arxivN (the first N rows of
           shared/datasets/arxiv-categories.jsonl.gz: arxiv5000 for naive Bayes, arxiv1000 for logistic
           regression, whose 70-class fit on 5,000 rows took minutes in the debug-built Swift test)
  VARIANT  default (TfidfVectorizer()) or bigrams (ngram_range=(1, 2), sublinear_tf=True, min_df=2)

--cache-key prints a SHA-256 of what the output depends on (this script, the input records, the variant and
the versions of scikit-learn, numpy and scipy) without importing them, so a caller can keep outputs across runs.

Everything is evaluated on the training matrix itself. Files written to OUTDIR, all little-endian:
  meta.json                rows, columns, class names, and the list of models with their options
  indptr.i64 indices.i32 data.f64 labels.i64   the CSR matrix and label indices into the class names
  <model>.f64              row-major n x k: predict_log_proba (naive Bayes) or predict_proba (logistic)
  <model>.pred.i64         predicted class indices
"""
import gzip
import hashlib
import json
import os
import sys
import time
from importlib import metadata

# One thread: OpenMP oversubscription on a shared 2-core machine makes lbfgs ten times slower.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def read_lines(dataset, shared):
    """The raw JSON lines the dataset is made of."""
    if dataset == "topics":
        with open(os.path.join(shared, "datasets/topics/train.jsonl"), encoding="utf-8") as f:
            return [line for line in f if line.strip()]
    if dataset.startswith("arxiv") and dataset[5:].isdigit():
        wanted = int(dataset[5:])
        lines = []
        with gzip.open(os.path.join(shared, "datasets/arxiv-categories.jsonl.gz"), "rt", encoding="utf-8") as f:
            for line in f:
                lines.append(line)
                if len(lines) == wanted:
                    break
        return lines
    raise SystemExit(f"unknown dataset {dataset}")


def read_records(dataset, shared):
    return [json.loads(line) for line in read_lines(dataset, shared)]


def cache_key(dataset, variant, shared):
    digest = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        digest.update(f.read())
    for line in read_lines(dataset, shared):
        digest.update(line.encode("utf-8"))
    digest.update(variant.encode("utf-8"))
    for package in ("scikit-learn", "numpy", "scipy"):
        digest.update(f"{package}={metadata.version(package)}".encode("utf-8"))
    return digest.hexdigest()


def models_for(dataset, variant):
    """(name, kind, options, estimator) for each model the Swift test compares."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB, MultinomialNB
    models = [
        ("mnb-alpha1", "multinomialNB", {"alpha": 1.0}, MultinomialNB(alpha=1.0)),
        ("cnb-alpha1", "complementNB", {"alpha": 1.0}, ComplementNB(alpha=1.0)),
    ]
    lr = lambda C, cw: LogisticRegression(C=C, tol=1e-10, max_iter=10000, class_weight=cw)
    if dataset == "topics" and variant == "default":
        models += [
            ("mnb-alpha0.1", "multinomialNB", {"alpha": 0.1}, MultinomialNB(alpha=0.1)),
            ("cnb-alpha0.3-norm", "complementNB", {"alpha": 0.3, "norm": True}, ComplementNB(alpha=0.3, norm=True)),
            ("lr-C10", "logisticRegression", {"C": 10.0, "balanced": False}, lr(10.0, None)),
            ("lr-C10-balanced", "logisticRegression", {"C": 10.0, "balanced": True}, lr(10.0, "balanced")),
            ("lr-C1", "logisticRegression", {"C": 1.0, "balanced": False}, lr(1.0, None)),
        ]
    elif dataset == "topics" or dataset == "arxiv1000":
        models += [("lr-C10", "logisticRegression", {"C": 10.0, "balanced": False}, lr(10.0, None))]
    # scikit-learn's own tol and max_iter, which stop the fit before the optimum: the Swift test checks that the
    # optimiser takes scikit-learn's path there, not only that it reaches the same optimum.
    path = lambda C, tol, max_iter: LogisticRegression(C=C, tol=tol, max_iter=max_iter)
    if dataset == "topics" and variant == "default":
        models += [
            ("lr-path-C1000", "logisticRegression", {"C": 1000.0, "balanced": False, "tol": 1e-4, "max_iter": 100},
             path(1000.0, 1e-4, 100)),
            ("lr-path-C10-iter15", "logisticRegression", {"C": 10.0, "balanced": False, "tol": 1e-4, "max_iter": 15},
             path(10.0, 1e-4, 15)),
        ]
    elif dataset == "arxiv1000":
        models += [("lr-path-C4096", "logisticRegression", {"C": 4096.0, "balanced": False, "tol": 1e-4, "max_iter": 100},
                    path(4096.0, 1e-4, 100))]
    return models


def main():
    shared = os.environ.get("ARXIVDIGEST_SHARED") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "../../../../shared")
    if sys.argv[1] == "--cache-key":
        print(cache_key(sys.argv[2], sys.argv[3], shared))
        return
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    dataset, variant, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
    records = read_records(dataset, shared)
    texts = [r["title"] + " " + r["abstract"] for r in records]
    names = sorted({r["label"] for r in records})
    labels = np.array([names.index(r["label"]) for r in records], dtype="<i8")
    if variant == "default":
        vectorizer = TfidfVectorizer()
    elif variant == "bigrams":
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    else:
        raise SystemExit(f"unknown variant {variant}")
    X = vectorizer.fit_transform(texts).tocsr()
    X.sort_indices()
    os.makedirs(outdir, exist_ok=True)
    X.indptr.astype("<i8").tofile(os.path.join(outdir, "indptr.i64"))
    X.indices.astype("<i4").tofile(os.path.join(outdir, "indices.i32"))
    X.data.astype("<f8").tofile(os.path.join(outdir, "data.f64"))
    labels.tofile(os.path.join(outdir, "labels.i64"))
    meta = {"rows": X.shape[0], "columns": X.shape[1], "classes": names, "models": []}
    for name, kind, options, estimator in models_for(dataset, variant):
        start = time.perf_counter()
        estimator.fit(X, labels)
        seconds = time.perf_counter() - start
        if kind == "logisticRegression":
            out = estimator.predict_proba(X)
            extra = {"iterations": int(estimator.n_iter_[0])}
        else:
            out = estimator.predict_log_proba(X)
            extra = {}
        np.ascontiguousarray(out, dtype="<f8").tofile(os.path.join(outdir, name + ".f64"))
        estimator.predict(X).astype("<i8").tofile(os.path.join(outdir, name + ".pred.i64"))
        meta["models"].append({"name": name, "kind": kind, "options": options, "seconds": seconds, **extra})
    with open(os.path.join(outdir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)


if __name__ == "__main__":
    main()
