"""What the run measures: one job per system × dataset × features × model, and how its child
records become result rows."""
import os

from bench_common import accuracy, macro_f1

# Candidates for each model's main setting; the child picks one by stratified 3-fold CV on (the
# first --cv-max-docs documents of) its own training split, never looking at the test split.
GRIDS = {
    "logreg": "1,4,16,64,256,1024,4096,16384,65536",  # C (inverse L2 strength)
    "mnb": "0.001,0.003,0.01,0.03,0.1,0.3,1",  # alpha (additive smoothing)
    "cnb": "0.001,0.003,0.01,0.03,0.1,0.3,1",
    "linearsvc": "0.1,0.3,1,3,10,30",  # C
    "fasttext": "0.1,0.3,1",     # learning rate (25 epochs, dim 100)
}
# What --quick changes besides the 20,000-document arxiv-categories slice, to fit a few minutes on 2 cores
# (README "Order and time budget" has the measured times):
# - topics (the whole 1,571-paper set either way): unigrams only, the first BLAS only, and every other
#   logistic-regression C in the inner CV (×16 steps; the full run's choices, C=16384–65536, stay reachable);
# - arxiv-categories 1–2-grams: no logistic regressions (ArxivDigest's took 145 s, scikit-learn's over 80 s);
# - latency over 200 test documents instead of 1,000 (scikit-learn's naive Bayes on 1–2-grams needs ~40 ms
#   per document, 40 s per job).
QUICK_TOPICS_NGRAMS = (1,)
QUICK_TOPICS_GRIDS = {"logreg": "1,16,256,4096,65536"}
QUICK_BIGRAM_SKIPPED_MODELS = ("logreg",)
QUICK_LATENCY_DOCS = 200
LATENCY_DOCS = 1000
QUICK_SUMMARY = ("--quick: arxiv-categories is the first 16,000 training and 4,000 test rows; its 1–2-gram tier "
                 "leaves out the logistic regressions; the scaling curve uses 1k, 3k, 10k and 100k documents; "
                 "topics runs unigrams only, on the first BLAS only, with logistic-regression C in "
                 f"{{{QUICK_TOPICS_GRIDS['logreg'].replace(',', ', ')}}} in the inner CV; latency is measured "
                 f"over {QUICK_LATENCY_DOCS} test documents instead of {LATENCY_DOCS:,}")
MODEL_NAMES = {"logreg": "LogisticRegression", "mnb": "MultinomialNB", "cnb": "ComplementNB",
               "linearsvc": "LinearSVC", "fasttext": "supervised"}
SYSTEM_MODELS = {"arxivdigest": ["logreg", "mnb", "cnb"],
                 "sklearn": ["logreg", "mnb", "cnb", "linearsvc"],
                 "fasttext": ["fasttext"]}
SYSTEM_NAMES = {"arxivdigest": "ArxivDigest", "sklearn": "sklearn", "fasttext": "fastText"}
NGRAM_NAMES = {1: "1gram", 2: "1-2gram"}
STAGE_ORDER = ["model_selection", "pretokenize", "vectorizer_fit_transform", "model_fit",
               "vectorizer_transform", "predict_end_to_end"]


class Job:
    def __init__(self, context, impl, model, ngram, dataset, splits, blas_name=None, fit_only=False,
                 grid=None, cv_max_docs=10_000, max_iter=100, timeout_seconds=1800):
        self.context, self.impl, self.model, self.ngram = context, impl, model, ngram
        self.dataset, self.splits, self.blas_name, self.fit_only = dataset, splits, blas_name, fit_only
        self.grid = GRIDS[model] if grid is None else grid
        self.cv_max_docs, self.max_iter, self.timeout_seconds = cv_max_docs, max_iter, timeout_seconds
        self.select_only = False
        # ArxivDigest on arxiv-categories unigrams also times the vectoriser's one-pass limit (plan_jobs).
        self.scan_limit = False
        # Timings of transform and end-to-end prediction per child, median reported (plan_jobs: the goals tier).
        self.repeats = 1
        # Timings of the final model fit, median reported (plan_jobs: the goal tier's logistic regressions).
        self.fit_repeats = 1
        self.latency_docs = QUICK_LATENCY_DOCS if context.get("quick") else LATENCY_DOCS
        self.setting_source = "CV in the child" if len(self.grid.split(",")) > 1 else "fixed"
        parts = [SYSTEM_NAMES[impl], MODEL_NAMES[model], NGRAM_NAMES[ngram]]
        if blas_name:
            parts.append(blas_name)
        self.system = "/".join(parts)
        self.slug = (self.system + "-" + dataset).replace("/", "_")

    def command(self, split, predictions):
        here = self.context["here"]
        if self.impl == "arxivdigest":
            program = [self.context["binary"]]
        else:
            script = {"sklearn": "sklearn_bench.py", "fasttext": "fasttext_bench.py"}[self.impl]
            program = [self.context["python"], os.path.join(here, "anchors", script)]
        args = ["--train", split["train"], "--model", self.model, "--ngram-max", str(self.ngram),
                "--grid", self.grid, "--cv-folds", "3", "--cv-max-docs", str(self.cv_max_docs),
                "--max-iter", str(self.max_iter)]
        if self.scan_limit:
            args.append("--scan-limit")
        if self.fit_repeats > 1:
            args += ["--fit-repeats", str(self.fit_repeats)]
        if self.select_only:
            args.append("--select-only")
        elif self.fit_only:
            args.append("--fit-only")
        else:
            args += ["--test", split["test"], "--predictions", predictions, "--latency-docs", str(self.latency_docs)]
            if self.repeats > 1:
                args += ["--repeats", str(self.repeats)]
        return program + args


class ClassifyProcessJob(Job):
    """The whole `arxiv-digest classify` process on the test split (anchors/classify_process_bench.py):
    JSON Lines in, JSON Lines out, with the tuned logistic regression; `top_k` None = classify's default
    (5 of 70 classes), "all" = every class's probability."""

    def __init__(self, context, dataset, split, blas_name, grid, top_k):
        super().__init__(context, "arxivdigest", "logreg", 1, dataset, [split], blas_name=blas_name, grid=grid,
                         timeout_seconds=1800)
        self.impl = "classify-process"
        self.top_k = top_k
        self.system = f"ArxivDigest/classify-process/LogisticRegression/1gram/top-{top_k or 'default'}/{blas_name}"
        self.slug = (self.system + "-" + dataset).replace("/", "_")

    def command(self, split, predictions):
        here = self.context["here"]
        args = [self.context["python"], os.path.join(here, "anchors", "classify_process_bench.py"),
                "--binary", self.context["cli_binary"], "--train", split["train"], "--test", split["test"],
                "--grid", self.grid, "--max-iter", str(self.max_iter), "--predictions", predictions,
                "--work", os.path.join(here, "work", "models")]
        if self.top_k:
            args += ["--top-k", str(self.top_k)]
        if self.repeats > 1:
            args += ["--repeats", str(self.repeats)]
        return args


# How many times every child of the arxiv-categories unigram tier (the goals) times transform, end-to-end
# prediction and the classify process, and its logistic regressions their fit; the median is reported.
# One timing of a second or less moved by ±30% from run to run on this shared machine, more than the
# margins of the goals it decides.
GOAL_TIER_REPEATS = 3


def _arxiv_grid(tuning, system_key):
    """(grid, where the setting comes from) on arxiv-categories: the tuned setting from tuning.json;
    for 1–2-grams not tuned yet, the same system's unigram choice; else the whole grid (CV in the child)."""
    chosen = (tuning or {}).get("chosen", {})
    if system_key in chosen:
        return repr(float(chosen[system_key])), "tuning.json"
    unigram_key = system_key.replace("/1-2gram", "/1gram")
    if unigram_key in chosen:
        return repr(float(chosen[unigram_key])), "tuning.json, unigram choice (1–2-grams not tuned)"
    return None, "CV in the child"


def plan_jobs(context, arxiv, topics, blas_runs, systems, tuning):
    """Every measurement, most important first, so a time budget drops the least important:
    1. arxiv-categories unigrams (the goals), 2. topics (both feature sets), 3. arxiv-categories 1–2-grams
    (logistic regressions last).
    Each tier runs ArxivDigest on the first BLAS, then the anchors, then ArxivDigest on the other BLAS.
    (run.py puts the scaling curve between tiers 1 and 2.)"""
    quick = context["quick"]
    arxiv_name = "arxiv-categories-quick" if quick else "arxiv-categories"

    def tier(make, blas_names=blas_runs):
        jobs = []
        order = [("arxivdigest", blas_names[:1]), ("sklearn", [None]), ("fasttext", [None]),
                 ("arxivdigest", blas_names[1:])]
        for impl, blas_names in order:
            if impl not in systems:
                continue
            for blas_name in blas_names:
                for model in SYSTEM_MODELS[impl]:
                    jobs.extend(make(impl, model, blas_name))
        return jobs

    def arxiv_job(ngram):
        def make(impl, model, blas_name):
            key = "/".join([SYSTEM_NAMES[impl], MODEL_NAMES[model], NGRAM_NAMES[ngram]])
            grid, source = _arxiv_grid(tuning, key)
            job = Job(context, impl, model, ngram, arxiv_name, [arxiv], blas_name=blas_name, grid=grid,
                      cv_max_docs=4_000 if quick else 10_000, timeout_seconds=900 if quick else 2400)
            job.setting_source = source
            job.scan_limit = impl == "arxivdigest" and ngram == 1
            # The goals are read from the unigram tier, whose stages take about a second: time them thrice.
            job.repeats = GOAL_TIER_REPEATS if ngram == 1 else 1
            # The logistic-regression fit is a goal too: both systems fit it thrice (a first fit of the run
            # took 47 s where the same fit took 39 s later in that run).
            job.fit_repeats = GOAL_TIER_REPEATS if ngram == 1 and model == "logreg" else 1
            return [job]
        return make

    def topics_job(impl, model, blas_name):
        grid = QUICK_TOPICS_GRIDS.get(model) if quick else None
        return [Job(context, impl, model, ngram, "topics", topics, blas_name=blas_name, grid=grid,
                    cv_max_docs=100_000, timeout_seconds=600)
                for ngram in (QUICK_TOPICS_NGRAMS if quick else (1, 2))]

    # 1–2-grams: the one-pass models first, the iterative logistic regressions last.
    bigrams = sorted(tier(arxiv_job(2)), key=lambda job: job.model == "logreg")
    if quick:
        bigrams = [job for job in bigrams if job.model not in QUICK_BIGRAM_SKIPPED_MODELS]
    topics_blas = blas_runs[:1] if quick else blas_runs
    unigrams = tier(arxiv_job(1))
    if "arxivdigest" in systems:
        # The whole classify process, beside the in-memory rows of the same tier (its first BLAS).
        # (Without tuning.json: C = 4096, the published choice; classify has no CV of its own.)
        grid, source = _arxiv_grid(tuning, "ArxivDigest/LogisticRegression/1gram")
        for top_k in (None, "all"):
            job = ClassifyProcessJob(context, arxiv_name, arxiv, blas_runs[0], grid or "4096.0", top_k)
            job.setting_source = source if grid else "fixed (C=4096, no tuning.json)"
            job.repeats = GOAL_TIER_REPEATS
            unigrams.append(job)
    return {"arxiv-1gram": unigrams, "topics": tier(topics_job, topics_blas), "arxiv-1-2gram": bigrams}


def tuning_jobs(context, train_path, systems):
    """Model selection only, on the first 10,000 arxiv-categories training rows (`run.py --tune`)."""
    jobs = []
    for ngram in (1, 2):
        for impl in systems:
            for model in SYSTEM_MODELS[impl]:
                job = Job(context, impl, model, ngram, "arxiv-categories", [{"train": train_path}],
                          cv_max_docs=10_000, timeout_seconds=3600)
                job.select_only = True
                jobs.append(job)
    return jobs


def select_jobs(jobs, wanted):
    """The jobs whose "system/dataset/" contains one of the `wanted` substrings (`--jobs`); all without any.
    The trailing "/" lets a pattern end exactly ("…-scaling-10000/" is not 100000)."""
    if not wanted:
        return list(jobs)
    return [job for job in jobs if any(w in f"{job.system}/{job.dataset}/" for w in wanted)]


# The logistic-regression scaling row: 70 classes, unigrams, the tuned C, 100 L-BFGS iterations, from this
# many documents up (issue 16: 10k, 100k, 1M in the full run).
SCALING_LOGREG_MIN_DOCS = 10_000
SCALING_LOGREG_SIZES = (10_000, 100_000, 1_000_000)


def scaling_jobs(context, files, blas_name, systems, tuning=None):
    """Unigram vectoriser + MultinomialNB fit (alpha fixed at 0.03) at each size: ArxivDigest at every
    size, scikit-learn up to 100,000 documents as a reference. Then ArxivDigest's logistic regression
    (the tuned C, max_iter 100) at the sizes of SCALING_LOGREG_SIZES that the run prepared."""
    jobs = []
    for impl in ("arxivdigest", "sklearn"):
        if impl not in systems:
            continue
        for size, path in sorted(files.items()):
            if impl == "sklearn" and size > 100_000:
                continue
            jobs.append(Job(context, impl, "mnb", 1, f"arxiv-categories-scaling-{size}",
                            [{"train": path}], blas_name=blas_name if impl == "arxivdigest" else None,
                            fit_only=True, grid="0.03", timeout_seconds=3600))
    if "arxivdigest" in systems:
        grid, _ = _arxiv_grid(tuning, "ArxivDigest/LogisticRegression/1gram")
        for size, path in sorted(files.items()):
            if size in SCALING_LOGREG_SIZES:
                jobs.append(Job(context, "arxivdigest", "logreg", 1, f"arxiv-categories-scaling-{size}",
                                [{"train": path}], blas_name=blas_name, fit_only=True, grid=grid or "4096.0",
                                max_iter=100, timeout_seconds=3600))
    return jobs


def job_rows(job, split_results):
    """Result rows of a job (over all its splits) and a details record for the report.

    Several splits (the topics CV folds): seconds and documents add up over folds, so docs/s is total
    documents over total seconds; peak memory is the largest fold's; accuracy and macro-F1 are
    computed on the pooled out-of-fold predictions; latency percentiles are the mean over folds.
    """
    def row(stage, seconds, docs, peak, acc=None, f1=None):
        return {"system": job.system, "dataset": job.dataset, "stage": stage,
                "seconds": seconds, "docs_per_second": (docs / seconds) if (docs and seconds) else None,
                "peak_rss_mb": peak, "accuracy": acc, "macro_f1": f1}

    truth, predicted = [], []
    for _, _, _, t, p in split_results:
        if t is not None:
            truth += t
            predicted += p
    acc = accuracy(truth, predicted) if truth else None
    f1 = macro_f1(truth, predicted) if truth else None
    if truth and len(truth) != len(predicted):
        raise ValueError(f"{job.system}: {len(predicted)} predictions for {len(truth)} documents")

    rows = []
    by_stage = {}
    latency = []
    details = {"system": job.system, "dataset": job.dataset, "impl": job.impl, "model": job.model,
               "ngram": job.ngram, "blas": job.blas_name, "splits": len(split_results),
               "setting_source": job.setting_source}
    for records, _, _, _, _ in split_results:
        for record in records:
            if record["stage"] == "latency":
                latency.append(record)
                continue
            by_stage.setdefault(record["stage"], []).append(record)
            for key in ("chosen", "setting", "features", "iterations", "converged", "cv_macro_f1",
                        "threads", "epochs", "blas_threads", "output_bytes"):
                if key in record:
                    details.setdefault(key, []).append(record[key])
            if "repeat_seconds" in record:  # every timing of a stage timed several times (its median is the row)
                details.setdefault("repeat_seconds", {}).setdefault(record["stage"], []).append(record["repeat_seconds"])
    # Rates whose final fit diverged before the recorded one (fastText), per split, aligned with "setting".
    diverged = [record.get("diverged", []) for record in by_stage.get("model_fit", [])]
    if any(diverged):
        details["diverged"] = diverged
    for stage in STAGE_ORDER + sorted(set(by_stage) - set(STAGE_ORDER)):
        if stage not in by_stage:
            continue
        records = by_stage[stage]
        seconds = sum(r["seconds"] or 0.0 for r in records)
        docs = sum(r["docs"] or 0 for r in records)
        peak = max((r["peak_rss_mb"] or 0.0) for r in records) or None
        is_prediction = stage == "predict_end_to_end"
        rows.append(row(stage, seconds, docs, peak, acc if is_prediction else None, f1 if is_prediction else None))
    if latency:
        p50 = sum(r["p50_ms"] for r in latency) / len(latency) / 1000.0
        p99 = sum(r["p99_ms"] for r in latency) / len(latency) / 1000.0
        peak = max((r["peak_rss_mb"] or 0.0) for r in latency) or None
        rows.append(row("latency_p50", p50, None, peak))
        rows.append(row("latency_p99", p99, None, peak))
        details["latency_docs"] = sum(r["docs"] for r in latency)
    total_wall = sum(wall for _, _, wall, _, _ in split_results)
    process_peak = max(peak for _, peak, _, _, _ in split_results)
    rows.append(row("process", total_wall, None, process_peak, acc, f1))
    details["process_peak_rss_mb"] = process_peak
    details["accuracy"], details["macro_f1"] = acc, f1
    return rows, details
