"""What every benchmark child shares: its command line, data loading, timing, memory and output.

A child runs one system on one train/test split in its own process and prints one JSON object per
measured stage on stdout. The Swift bench (`arxiv-digest-bench`) implements the same interface, so
the driver (`Benchmarks/run.py`) treats every system alike. Accuracy and macro-F1 are not computed
here: the child writes its test predictions to `--predictions` and the driver scores every system
with the same code.
"""
import argparse
import json
import statistics
import sys
import time


def parse_args(models, description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--train", required=True, help="JSON Lines training split")
    parser.add_argument("--test", help="JSON Lines test split (omit with --fit-only)")
    parser.add_argument("--model", required=True, choices=models)
    parser.add_argument("--ngram-max", type=int, default=1, choices=[1, 2])
    parser.add_argument("--grid", default="",
                        help="comma-separated candidates for the model's main setting; "
                             "more than one: chosen by stratified CV on the training split")
    parser.add_argument("--cv-folds", type=int, default=3)
    parser.add_argument("--cv-max-docs", type=int, default=10_000,
                        help="CV runs on the first N training documents")
    parser.add_argument("--predictions", help="write one predicted label per test document here")
    parser.add_argument("--latency-docs", type=int, default=1000)
    parser.add_argument("--fit-only", action="store_true",
                        help="only vectoriser fit + model fit (the scaling curve)")
    parser.add_argument("--select-only", action="store_true",
                        help="only the cross-validated choice of the setting (run.py --tune)")
    parser.add_argument("--max-iter", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1,
                        help="time transform and end-to-end prediction this many times; report the median")
    parser.add_argument("--fit-repeats", type=int, default=1,
                        help="fit the final model this many times, each from scratch; report the median")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.fit_repeats < 1:
        parser.error("--fit-repeats must be at least 1")
    return args


def load_split(path):
    """(texts, labels) of a JSON Lines file; text = title + " " + abstract."""
    texts, labels = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            texts.append(record["title"] + " " + record["abstract"])
            labels.append(record["label"])
    return texts, labels


def peak_rss_mb():
    """This process's resident high-water mark so far (VmHWM), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return None


def emit(stage, seconds=None, docs=None, **extra):
    """Print one measurement as a JSON line, with the memory high-water mark at this point."""
    row = {"stage": stage, "seconds": seconds, "docs": docs, "peak_rss_mb": peak_rss_mb()}
    row.update(extra)
    print(json.dumps(row), flush=True)


class Stopwatch:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def timed_median(body, repeats):
    """(median seconds, every timing in order, the last result) of `body()` run `repeats` times; the
    previous result is dropped before the next run, so memory is as for one run."""
    timings, result = [], None
    for _ in range(repeats):
        result = None
        with Stopwatch() as watch:
            result = body()
        timings.append(watch.seconds)
    return statistics.median(timings), timings, result


def grid_values(text, cast=float):
    return [cast(v) for v in text.split(",") if v.strip()]


def stratified_folds(labels, k):
    """Fold of each document: within each label, documents in file order go round-robin to folds.

    Deterministic and trivial to reproduce in another language (the Swift bench does the same).
    """
    seen = {}
    folds = []
    for label in labels:
        n = seen.get(label, 0)
        folds.append(n % k)
        seen[label] = n + 1
    return folds


def macro_f1(truth, predicted):
    """Unweighted mean F1 over the labels that occur in truth or predictions (sklearn's default)."""
    labels = sorted(set(truth) | set(predicted))
    tp = dict.fromkeys(labels, 0)
    fp = dict.fromkeys(labels, 0)
    fn = dict.fromkeys(labels, 0)
    for t, p in zip(truth, predicted):
        if t == p:
            tp[t] += 1
        else:
            fp[p] += 1
            fn[t] += 1
    total = 0.0
    for label in labels:
        denominator = 2 * tp[label] + fp[label] + fn[label]
        total += (2 * tp[label] / denominator) if denominator else 0.0
    return total / len(labels) if labels else 0.0


def accuracy(truth, predicted):
    return sum(t == p for t, p in zip(truth, predicted)) / len(truth) if truth else 0.0


def choose_by_cv(candidates, texts, labels, k, max_docs, prepare, fit_and_predict):
    """The candidate with the best mean macro-F1 over k stratified folds of the first max_docs
    training documents (ties: the earlier candidate). Returns (best, {candidate: score}).

    prepare(train_texts, test_texts) -> (train_features, test_features) runs once per fold (the
    vectoriser does not depend on the candidate); fit_and_predict(candidate, train_features,
    train_labels, test_features) -> predicted labels.
    """
    texts, labels = texts[:max_docs], labels[:max_docs]
    folds = stratified_folds(labels, k)
    totals = [0.0] * len(candidates)
    for fold in range(k):
        train_idx = [i for i, f in enumerate(folds) if f != fold]
        test_idx = [i for i, f in enumerate(folds) if f == fold]
        train_features, test_features = prepare([texts[i] for i in train_idx], [texts[i] for i in test_idx])
        truth = [labels[i] for i in test_idx]
        for c, candidate in enumerate(candidates):
            predicted = fit_and_predict(candidate, train_features, [labels[i] for i in train_idx], test_features)
            totals[c] += macro_f1(truth, predicted)
    scores = {candidate: totals[c] / k for c, candidate in enumerate(candidates)}
    best = max(candidates, key=lambda c: (scores[c], -candidates.index(c)))
    return best, scores


def ranked_by_score(candidates, scores):
    """The candidates best first by CV score (ties: the earlier candidate), so a final fit that fails
    on the chosen one can fall back to the next best."""
    return sorted(candidates, key=lambda c: (-scores.get(c, float("-inf")), candidates.index(c)))


def latency_percentiles(predict_one, texts, warmup=50):
    """p50 and p99 in milliseconds of classifying each text alone, after a warm-up."""
    for text in texts[:warmup]:
        predict_one(text)
    samples = []
    for text in texts:
        start = time.perf_counter()
        predict_one(text)
        samples.append((time.perf_counter() - start) * 1000.0)
    samples.sort()
    return percentile(samples, 50), percentile(samples, 99)


def percentile(sorted_samples, q):
    """Nearest-rank percentile."""
    if not sorted_samples:
        return None
    rank = max(1, int(-(-q * len(sorted_samples) // 100)))
    return sorted_samples[min(rank, len(sorted_samples)) - 1]


def write_predictions(path, predicted):
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            for label in predicted:
                handle.write(label + "\n")


def log(message):
    print(message, file=sys.stderr, flush=True)
