"""scikit-learn anchor: TfidfVectorizer + one classifier, one split, one process.

Same features as ArxivDigest: sklearn's default tokenizer, lower-cased, n-grams 1..--ngram-max,
sublinear tf, min_df=2, smoothed idf, l2 rows. Prints one JSON line per stage (see bench_common).
"""
import warnings

import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC

import bench_common as common

MODELS = ["logreg", "mnb", "cnb", "linearsvc"]


def make_vectorizer(ngram_max):
    return TfidfVectorizer(ngram_range=(1, ngram_max), sublinear_tf=True, min_df=2)


def make_model(name, setting, max_iter):
    if name == "logreg":
        return LogisticRegression(C=setting, solver="lbfgs", max_iter=max_iter)
    if name == "mnb":
        return MultinomialNB(alpha=setting)
    if name == "cnb":
        return ComplementNB(alpha=setting)
    return LinearSVC(C=setting)


def main():
    args = common.parse_args(MODELS, __doc__)
    train_texts, train_labels = common.load_split(args.train)
    grid = common.grid_values(args.grid) or [1.0]
    converged = True

    def prepare(texts, test_texts):
        vectorizer = make_vectorizer(args.ngram_max)
        return vectorizer.fit_transform(texts), vectorizer.transform(test_texts)

    def fit_and_predict(setting, x, labels, x_test):
        return list(make_model(args.model, setting, args.max_iter).fit(x, labels).predict(x_test))

    setting = grid[0]
    if len(grid) > 1 or args.select_only:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            with common.Stopwatch() as watch:
                setting, scores = common.choose_by_cv(grid, train_texts, train_labels, args.cv_folds,
                                                      args.cv_max_docs, prepare, fit_and_predict)
        common.emit("model_selection", watch.seconds, min(len(train_texts), args.cv_max_docs),
                    chosen=setting, cv_macro_f1={str(k): v for k, v in scores.items()})
    if args.select_only:
        return

    vectorizer = make_vectorizer(args.ngram_max)
    with common.Stopwatch() as watch:
        x_train = vectorizer.fit_transform(train_texts)
    common.emit("vectorizer_fit_transform", watch.seconds, len(train_texts),
                features=len(vectorizer.vocabulary_))

    model = make_model(args.model, setting, args.max_iter)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        with common.Stopwatch() as watch:
            model.fit(x_train, train_labels)
        converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    extra = {"setting": setting, "converged": converged}
    if hasattr(model, "n_iter_"):
        extra["iterations"] = int(max(model.n_iter_)) if hasattr(model.n_iter_, "__len__") else int(model.n_iter_)
    common.emit("model_fit", watch.seconds, len(train_texts), **extra)
    if args.fit_only:
        return

    test_texts, _ = common.load_split(args.test)
    seconds, timings, _ = common.timed_median(lambda: vectorizer.transform(test_texts), args.repeats)
    common.emit("vectorizer_transform", seconds, len(test_texts), repeat_seconds=timings)

    seconds, timings, predicted = common.timed_median(lambda: model.predict(vectorizer.transform(test_texts)),
                                                      args.repeats)
    common.emit("predict_end_to_end", seconds, len(test_texts), repeat_seconds=timings)
    common.write_predictions(args.predictions, list(predicted))

    def predict_one(text):
        return model.predict(vectorizer.transform([text]))[0]

    latency_texts = test_texts[:args.latency_docs]
    p50, p99 = common.latency_percentiles(predict_one, latency_texts)
    common.emit("latency", None, len(latency_texts), p50_ms=p50, p99_ms=p99,
                version=sklearn.__version__)


if __name__ == "__main__":
    main()
