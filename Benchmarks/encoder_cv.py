"""Repeated stratified CV of TF-IDF-only vs TF-IDF + MiniLM, beside the anchors (issue 14's selection, Models/README.md).

    python3 Benchmarks/encoder_cv.py [--seeds 0,1,2] [--folds 5] [--datasets train,train+extra]
                                     [--features a,b] [--anchors a,b] [--output FILE]

For each data set (topics/train.jsonl, and train.jsonl + train-extra.jsonl) and each seed, one
`arxiv-digest train --grid` per feature set (the C grid shares one process, so the embeddings are
computed once and reused by every fold and C; they are also cached on disk), all other options the
shipped model's. The anchors (scikit-learn's LogisticRegression, LinearSVC, ComplementNB and fastText)
run on the same folds: `project_folds` deals them exactly as `StratifiedKFold` does, after `train`'s
duplicate rule. Prints each run's scores and the mean ± sd over seeds; writes
Benchmarks/results/encoder-cv.json (or --output).
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
    "tfidf+stop": ["--stop-words", "english"],
    "tfidf+minilm0.5": ["--embedding", "minilm", "--embedding-weight", "0.5"],
    "tfidf+minilm1.0": ["--embedding", "minilm", "--embedding-weight", "1.0"],
    "tfidf+minilm0.5+stop": ["--embedding", "minilm", "--embedding-weight", "0.5", "--stop-words", "english"],
}
# The anchors, on the same folds as `train --cv` (mirrored by `project_folds`): scikit-learn's linear
# models and fastText on the shipped text (title twice, then the abstract), each at a few settings.
ANCHORS = {
    "sklearn LogisticRegression": [30, 100],
    "sklearn LinearSVC": [0.3, 1],
    "sklearn ComplementNB": [0.1, 0.3],
    "fastText": [0.3, 1],
    # Issue 14's optional soft vote: LogisticRegression's probabilities averaged with those of an
    # NB-weighted logistic regression (one-vs-rest on X scaled by each class's NB log-count ratio), C.
    "sklearn soft vote LR + NB-LR": [30],
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
    parser.add_argument("--anchors", default=",".join(ANCHORS), help="anchor systems to run ('' for none)")
    parser.add_argument("--output", default=os.path.join(HERE, "results", "encoder-cv.json"))
    args = parser.parse_args()
    results = []
    for dataset in args.datasets.split(","):
        for anchor in filter(None, args.anchors.split(",")):
            for seed in args.seeds.split(","):
                for setting in ANCHORS[anchor]:
                    accuracy, macro_f1 = anchor_cv(anchor, setting, DATASETS[dataset], args.folds, int(seed))
                    results.append({"dataset": dataset, "features": anchor, "seed": int(seed), "C": setting,
                                    "accuracy": accuracy, "macro_f1": macro_f1})
                print(dataset, anchor, "seed", seed, [(r["C"], r["accuracy"], r["macro_f1"]) for r in results[-len(ANCHORS[anchor]):]], flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in args.datasets.split(","):
            for features in filter(None, args.features.split(",")):
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
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(results, f, indent=1)
    print("\n| data | features | C | accuracy (mean ± sd) | macro-F1 (mean ± sd) | seeds |\n|---|---|---|---|---|---|")
    order = list(ANCHORS) + list(FEATURES)
    keys = sorted({(r["dataset"], r["features"], r["C"]) for r in results}, key=lambda k: (k[0], order.index(k[1]), k[2]))
    for key in keys:
        rows = [r for r in results if (r["dataset"], r["features"], r["C"]) == key]
        acc = [r["accuracy"] for r in rows]
        f1 = [r["macro_f1"] for r in rows]
        sd = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0
        print(f"| {key[0]} | {key[1]} | {key[2]:g} | {statistics.mean(acc):.4f} ± {sd(acc):.4f} | "
              f"{statistics.mean(f1):.4f} ± {sd(f1):.4f} | {len(rows)} |")


def load_records(paths):
    """The records `train` keeps: the same duplicate rule as LabelledCorpus.droppingDuplicates()."""
    records, seen_ids, seen_text = [], set(), {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                key = normalised_text(record)
                if record["id"] in seen_ids or seen_text.get(key) == record["label"]:
                    continue
                seen_ids.add(record["id"])
                seen_text.setdefault(key, record["label"])
                records.append(record)
    return records


def normalised_text(record):
    return " ".join((record["title"] + " " + record["abstract"]).lower().split())


def splitmix64(seed):
    mask = (1 << 64) - 1
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        yield z ^ (z >> 31)


def project_folds(records, folds, seed):
    """Each record's test fold exactly as `StratifiedKFold.split(labels:groups:folds:seed:)` deals them."""
    group_of, members = {}, []
    for index, record in enumerate(records):
        key = normalised_text(record)
        if key not in group_of:
            group_of[key] = len(members)
            members.append([])
        members[group_of[key]].append(index)
    labels = [records[m[0]]["label"] for m in members]
    generator = splitmix64(seed)
    fold_of_group, next_fold = {}, 0
    for label in sorted(set(labels)):
        indices = [i for i, l in enumerate(labels) if l == label]
        for i in range(len(indices) - 1, 0, -1):
            j = ((i + 1) * next(generator)) >> 64
            indices[i], indices[j] = indices[j], indices[i]
        for index in indices:
            fold_of_group[index] = next_fold
            next_fold = (next_fold + 1) % folds
    fold = [0] * len(records)
    for group, indices in enumerate(members):
        for index in indices:
            fold[index] = fold_of_group[group]
    return fold


def anchor_cv(anchor, setting, paths, folds, seed):
    """Pooled out-of-fold accuracy and macro-F1 of one anchor at one setting."""
    from sklearn.metrics import accuracy_score, f1_score
    records = load_records(paths)
    texts = [r["title"] + " " + r["title"] + " " + r["abstract"] for r in records]
    labels = [r["label"] for r in records]
    fold = project_folds(records, folds, seed)
    predicted = [None] * len(records)
    for k in range(folds):
        train = [i for i in range(len(records)) if fold[i] != k]
        test = [i for i in range(len(records)) if fold[i] == k]
        for index, label in zip(test, fit_predict(anchor, setting, [texts[i] for i in train],
                                                  [labels[i] for i in train], [texts[i] for i in test])):
            predicted[index] = label
    return accuracy_score(labels, predicted), f1_score(labels, predicted, average="macro")


def fit_predict(anchor, setting, train_texts, train_labels, test_texts):
    from sklearn.feature_extraction.text import TfidfVectorizer
    if anchor == "fastText":
        return fasttext_fit_predict(setting, train_texts, train_labels, test_texts)
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2)
    x_train = vectorizer.fit_transform(train_texts)
    if anchor == "sklearn soft vote LR + NB-LR":
        return soft_vote_fit_predict(setting, x_train, train_labels, vectorizer.transform(test_texts))
    model = {
        "sklearn LogisticRegression": lambda: LogisticRegression(C=setting, class_weight="balanced"),
        "sklearn LinearSVC": lambda: LinearSVC(C=setting, class_weight="balanced"),
        "sklearn ComplementNB": lambda: ComplementNB(alpha=setting),
    }[anchor]()
    return model.fit(x_train, train_labels).predict(vectorizer.transform(test_texts))


def soft_vote_fit_predict(c, x_train, train_labels, x_test, alpha=1.0):
    """Mean of LR's class probabilities and an NB-weighted LR's (Wang & Manning's NBSVM with a logistic
    loss, one-vs-rest: class k's features scaled by log((p_k/|p_k|) / (q_k/|q_k|)), p_k and q_k the
    alpha-smoothed feature sums in and out of class k; its scores normalised over the classes)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    labels = np.asarray(train_labels)
    lr = LogisticRegression(C=c, class_weight="balanced").fit(x_train, labels)
    classes = lr.classes_
    votes = lr.predict_proba(x_test)
    nb_scores = np.zeros_like(votes)
    for k, label in enumerate(classes):
        inside = labels == label
        p = alpha + np.asarray(x_train[inside].sum(axis=0)).ravel()
        q = alpha + np.asarray(x_train[~inside].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        binary = LogisticRegression(C=c, class_weight="balanced").fit(x_train.multiply(ratio).tocsr(), inside)
        nb_scores[:, k] = binary.predict_proba(x_test.multiply(ratio).tocsr())[:, 1]
    nb_scores /= nb_scores.sum(axis=1, keepdims=True)
    return classes[np.argmax((votes + nb_scores) / 2, axis=1)]


def fasttext_fit_predict(rate, train_texts, train_labels, test_texts):
    """The harness's fastText child (anchors/fasttext_bench.py): its tokenisation, fit and predict, unigrams, one thread."""
    sys.path.insert(0, os.path.join(HERE, "anchors"))
    import fasttext_bench
    tokenized = [fasttext_bench.pretokenize(t) for t in train_texts]
    with tempfile.TemporaryDirectory() as work_dir:
        # This fastText build stops with "Encountered NaN." now and then, not reproducibly, even on one
        # thread (Benchmarks/README.md, "Settings"); a fit is retried up to 5 times, then scored as no prediction.
        for _ in range(5):
            try:
                model = fasttext_bench.train(tokenized, train_labels, rate, 1, 1, work_dir)
                break
            except RuntimeError:
                model = None
    if model is None:
        return [""] * len(test_texts)
    return fasttext_bench.predict(model, [fasttext_bench.pretokenize(t) for t in test_texts])

if __name__ == "__main__":
    main()
