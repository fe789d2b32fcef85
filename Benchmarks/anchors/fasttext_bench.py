"""fastText anchor (PyPI fasttext-numpy2-wheel): supervised, one split, one process.

fastText reads the same tokens as the TF-IDF systems: each text is cut by scikit-learn's default
tokenizer after lower-casing, and the tokens are joined by single spaces. --ngram-max 2 sets
wordNgrams=2. The --grid setting is the learning rate; epochs, dimension and the rest are fixed.
Prints one JSON line per stage (see bench_common).
"""
import os
import sys
import tempfile

import fasttext
from sklearn.feature_extraction.text import CountVectorizer

import bench_common as common

EPOCHS = 25
DIMENSION = 100
FINAL_FIT_ROUNDS = 2  # passes over the ranked rates before the final fit gives up

_tokenize = CountVectorizer().build_tokenizer()


def pretokenize(text):
    return " ".join(_tokenize(text.lower()))


def train(texts, labels, learning_rate, ngram_max, threads, work_dir):
    path = os.path.join(work_dir, "train.txt")
    with open(path, "w", encoding="utf-8") as handle:
        for text, label in zip(texts, labels):
            handle.write(f"__label__{label} {text}\n")
    model = fasttext.train_supervised(
        input=path, lr=learning_rate, epoch=EPOCHS, dim=DIMENSION, wordNgrams=ngram_max,
        minCount=1, loss="softmax", thread=threads, verbose=0, seed=0)
    os.remove(path)
    return model


def predict(model, tokenized_texts):
    labels, _ = model.predict(tokenized_texts, k=1)
    return [row[0][len("__label__"):] for row in labels]


def main():
    args = common.parse_args(["fasttext"], __doc__)
    if args.fit_repeats > 1:
        # Its fits differ from run to run (hogwild threads), so repeats would time different models.
        sys.exit("fasttext_bench: --fit-repeats is not supported (fastText's fits vary from run to run)")
    train_texts, train_labels = common.load_split(args.train)
    grid = common.grid_values(args.grid) or [0.5]
    work_dir = tempfile.mkdtemp(prefix="fasttext-bench-")

    def prepare(texts, test_texts):
        return [pretokenize(t) for t in texts], [pretokenize(t) for t in test_texts]

    def fit_and_predict(rate, tokenized, labels, tokenized_test):
        try:
            return predict(train(tokenized, labels, rate, args.ngram_max, args.threads, work_dir), tokenized_test)
        except RuntimeError as error:  # fastText stops with "Encountered NaN." when a rate diverges
            common.log(f"learning rate {rate} diverged in CV ({error}); scored as no prediction")
            return [""] * len(tokenized_test)

    rate, scores = grid[0], {}
    if len(grid) > 1 or args.select_only:
        with common.Stopwatch() as watch:
            rate, scores = common.choose_by_cv(grid, train_texts, train_labels, args.cv_folds,
                                               args.cv_max_docs, prepare, fit_and_predict)
        common.emit("model_selection", watch.seconds, min(len(train_texts), args.cv_max_docs),
                    chosen=rate, cv_macro_f1={str(k): v for k, v in scores.items()})
    if args.select_only:
        return

    with common.Stopwatch() as watch:
        tokenized = [pretokenize(t) for t in train_texts]
    common.emit("pretokenize", watch.seconds, len(train_texts))

    # Whether a fit hits NaN differs from run to run here (hogwild threads; this build even varies with
    # one thread): a final fit that diverges falls back to the next-best candidate by CV score, the whole
    # ranking at most twice, and the record lists every diverged attempt.
    diverged, diverged_seconds = [], 0.0
    for rate in common.ranked_by_score(grid, scores) * FINAL_FIT_ROUNDS:
        try:
            with common.Stopwatch() as watch:
                model = train(tokenized, train_labels, rate, args.ngram_max, args.threads, work_dir)
            break
        except RuntimeError as error:
            diverged_seconds += watch.seconds
            diverged.append(rate)
            common.log(f"learning rate {rate} diverged in the final fit ({error}); trying the next best by CV")
    else:
        raise RuntimeError(f"every learning rate diverged in the final fit: {diverged}")
    extra = {"diverged": diverged, "diverged_seconds": diverged_seconds} if diverged else {}
    common.emit("model_fit", watch.seconds, len(train_texts), setting=rate, epochs=EPOCHS,
                threads=args.threads, **extra)
    del tokenized
    if args.fit_only:
        return

    test_texts, _ = common.load_split(args.test)
    seconds, timings, predicted = common.timed_median(
        lambda: predict(model, [pretokenize(t) for t in test_texts]), args.repeats)
    common.emit("predict_end_to_end", seconds, len(test_texts), repeat_seconds=timings)
    common.write_predictions(args.predictions, predicted)

    def predict_one(text):
        return model.predict(pretokenize(text), k=1)[0][0]

    latency_texts = test_texts[:args.latency_docs]
    p50, p99 = common.latency_percentiles(predict_one, latency_texts)
    common.emit("latency", None, len(latency_texts), p50_ms=p50, p99_ms=p99)


if __name__ == "__main__":
    main()
