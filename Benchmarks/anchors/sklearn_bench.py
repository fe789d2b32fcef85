"""scikit-learn anchor: TfidfVectorizer + one classifier, one split, one process.

Same features as ArxivDigest: sklearn's default tokenizer, lower-cased, n-grams 1..--ngram-max,
sublinear tf, min_df=2, smoothed idf, l2 rows. Prints one JSON line per stage (see bench_common).
"""
import sys
import warnings

import scipy
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


# scipy's L-BFGS-B keeps its history and scratch vectors in one workspace of 2mn + 5n + 11m² + 8m doubles
# (n parameters, m = 10 pairs, as scikit-learn calls it) and indexes it with 32-bit integers: once the last
# block's offset, 2mn + 5n + 11m², passes 2³¹ − 1, the fit dies with SIGSEGV (scipy issue #5102). Measured
# on scipy 1.17.1 to the parameter by Benchmarks/experiments/lbfgsb_workspace_limit.py: at m = 10,
# 85,899,301 parameters fit and 85,899,302 crash.
LBFGSB_HISTORY = 10
LBFGSB_LAST_KNOWN_LIMITED = (1, 17)


def lbfgsb_last_block_offset(parameters, history=LBFGSB_HISTORY):
    """Where the last block of scipy's L-BFGS-B workspace starts, in doubles: it must stay below 2³¹."""
    return 2 * history * parameters + 5 * parameters + 11 * history * history


def lbfgsb_parameter_limit(history=LBFGSB_HISTORY):
    """The most parameters scipy's L-BFGS-B can index its workspace for."""
    return (2**31 - 1 - 11 * history * history) // (2 * history + 5)


def scipy_has_measured_limit():
    """Whether the installed scipy is one whose limit was measured (no newer one is presumed to crash)."""
    return tuple(int(part) for part in scipy.__version__.split(".")[:2]) <= LBFGSB_LAST_KNOWN_LIMITED


def logreg_parameters(features, classes):
    """The parameters scikit-learn's lbfgs fit optimises: one weight per feature and class plus the
    intercepts, for one score column when there are two classes."""
    columns = 1 if classes == 2 else classes
    return (features + 1) * columns


def refuse_what_lbfgsb_cannot_fit(model_name, x, labels):
    """Stops the child with the reason, where a logistic-regression fit would otherwise crash."""
    if model_name != "logreg" or not scipy_has_measured_limit():
        return
    parameters = logreg_parameters(x.shape[1], len(set(labels)))
    if parameters > lbfgsb_parameter_limit():
        # The harness records this line as the job's failure.
        sys.exit(f"scikit-learn's lbfgs cannot fit {parameters:,} parameters: scipy {scipy.__version__}'s "
                 f"L-BFGS-B indexes its workspace with 32-bit integers and crashes (SIGSEGV) beyond "
                 f"{lbfgsb_parameter_limit():,} parameters at m = {LBFGSB_HISTORY} (scipy issue #5102; "
                 f"Benchmarks/experiments/lbfgsb_workspace_limit.py)")


def main():
    args = common.parse_args(MODELS, __doc__)
    train_texts, train_labels = common.load_split(args.train)
    grid = common.grid_values(args.grid) or [1.0]

    def prepare(texts, test_texts):
        vectorizer = make_vectorizer(args.ngram_max)
        return vectorizer.fit_transform(texts), vectorizer.transform(test_texts)

    def fit_and_predict(setting, x, labels, x_test):
        refuse_what_lbfgsb_cannot_fit(args.model, x, labels)
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

    refuse_what_lbfgsb_cannot_fit(args.model, x_train, train_labels)

    def fit():
        # A fresh model each time; every fit is deterministic, so the last one stands for all.
        return make_model(args.model, setting, args.max_iter).fit(x_train, train_labels)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        seconds, timings, model = common.timed_median(fit, args.fit_repeats)
        converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    extra = {"setting": setting, "converged": converged}
    if args.fit_repeats > 1:
        extra["repeat_seconds"] = timings
    if hasattr(model, "n_iter_"):
        extra["iterations"] = int(max(model.n_iter_)) if hasattr(model.n_iter_, "__len__") else int(model.n_iter_)
    common.emit("model_fit", seconds, len(train_texts), **extra)
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
