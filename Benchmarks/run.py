#!/usr/bin/env python3
"""ArxivDigest against scikit-learn and fastText, side by side, in one run.

    python3 Benchmarks/run.py            # the full run: both BLAS builds, scaling curve (~30 min)
    python3 Benchmarks/run.py --quick    # the same in kind in a few minutes: a 20,000-document slice
                                         # (16k train / 4k test) and fewer jobs (see --quick below)

Builds the Swift bench in release, prepares the splits once in Benchmarks/work/, runs every
system × dataset × features × model as its own child process, and writes Benchmarks/results/latest.json,
Benchmarks/RESULTS.md and Benchmarks/scaling.svg. See Benchmarks/README.md.
"""
import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "anchors"))

from harness import blas, data, report, scaling_plot  # noqa: E402
from harness.children import ChildFailed, run_child  # noqa: E402
from harness.jobs import GRIDS, QUICK_SUMMARY, job_rows, plan_jobs, scaling_jobs, select_jobs, tuning_jobs  # noqa: E402

REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "datasets")
WORK = os.path.join(HERE, "work")
BENCH_BINARY = os.path.join(HERE, ".build", "release", "arxiv-digest-bench")
# The product's own command, for the classify-process rows.
CLI_BINARY = os.path.join(REPO, ".build", "release", "arxiv-digest")
# A job started just before the budget ends may run this much longer before it is stopped.
GRACE_SECONDS = 420


def log(message):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S")
    line = f"[{stamp}] {message}"
    print(line, file=sys.stderr, flush=True)
    with open(os.path.join(WORK, "run.log"), "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a few minutes instead of an hour: " + QUICK_SUMMARY.replace("--quick: ", "").replace("%", "%%")
                             + "; everything else as in the full run (all three systems, both BLAS, tuning.json)")
    parser.add_argument("--blas", choices=["reference", "openblas", "both"], default="both",
                        help="system BLAS for the ArxivDigest runs (default: both, one after the other)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling curve")
    parser.add_argument("--budget-minutes", type=float, default=None,
                        help="start no new measurement after this many minutes, and stop one still running 7 minutes later (the least important run last; "
                             "skipped ones are listed in RESULTS.md)")
    parser.add_argument("--tune", action="store_true",
                        help="only choose each system's setting on arxiv-categories by CV and write tuning.json")
    parser.add_argument("--only", default="",
                        help="comma-separated subset of systems to run: arxivdigest, sklearn, fasttext "
                             "(for development; the published results run all)")
    parser.add_argument("--tiers", default="arxiv-1gram,scaling,topics,arxiv-1-2gram",
                        help="comma-separated subset of the tiers, for development (the published results run all)")
    parser.add_argument("--jobs", default="",
                        help="comma-separated substrings: run only the jobs whose system/dataset name contains one, e.g. "
                             "'classify-process,ArxivDigest/LogisticRegression/1gram/reference,sklearn/LogisticRegression/1gram' "
                             "(for targeted measurements; the published results run all); with --tune, the systems to tune, "
                             "e.g. '1-2gram'")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite RESULTS.md and scaling.svg from results/latest*.json (no measurement)")
    parser.add_argument("--skip-build", action="store_true", help="use the existing release build")
    return parser.parse_args()


def build_swift():
    log("building arxiv-digest-bench (release)")
    subprocess.run(["swift", "build", "-c", "release", "--package-path", HERE, "--product", "arxiv-digest-bench"],
                   check=True, stdout=sys.stderr)
    log("building arxiv-digest (release)")
    subprocess.run(["swift", "build", "-c", "release", "--package-path", REPO, "--product", "arxiv-digest"],
                   check=True, stdout=sys.stderr)


def run_job(job, results, failures):
    load_before = os.getloadavg()[0]
    log(f"{job.system} on {job.dataset} (load average {load_before:.2f})")
    split_results = []
    try:
        for index, split in enumerate(job.splits):
            predictions = os.path.join(WORK, "predictions", f"{job.slug}-{index}.txt")
            os.makedirs(os.path.dirname(predictions), exist_ok=True)
            command = job.command(split, predictions if "test" in split else None)
            records, peak, wall = run_child(command, log, job.timeout_seconds, cwd=HERE)
            truth = data.read_labels(split["test"]) if "test" in split and not job.fit_only else None
            predicted = None
            if truth is not None:
                with open(predictions, encoding="utf-8") as handle:
                    predicted = [line.rstrip("\n") for line in handle]
            split_results.append((records, peak, wall, truth, predicted))
    except (ChildFailed, OSError, ValueError) as error:
        log(f"  FAILED: {error}")
        failures.append({"system": job.system, "dataset": job.dataset, "error": str(error)[:2000]})
        return
    rows, details = job_rows(job, split_results)
    # The 1-minute load average before and after: other work on the machine would show here.
    details["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    results["rows"].extend(rows)
    results["details"].append(details)
    for row in rows:
        if row["stage"] in ("predict_end_to_end", "model_fit", "vectorizer_fit_transform"):
            log(f"  {row['stage']}: {row['seconds']:.3f} s, {row['docs_per_second'] or 0:,.0f} docs/s, "
                f"rss {row['peak_rss_mb'] or 0:.0f} MB"
                + (f", acc {row['accuracy']:.4f}, macro-F1 {row['macro_f1']:.4f}" if row["accuracy"] is not None else ""))


def tune(context, arxiv_train, systems, wanted_jobs=()):
    """Chooses each system's setting on arxiv-categories by 3-fold CV on the first 10,000 training rows
    and writes Benchmarks/tuning.json (after every job, keeping earlier entries), which later runs use."""
    # Scores do not depend on thread counts; one BLAS/OpenMP thread keeps scikit-learn from spinning
    # idle threads when the machine is busy (tuning may run beside other work; benchmarks do not).
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    scored = {}
    if os.path.exists(os.path.join(HERE, "tuning.json")):
        with open(os.path.join(HERE, "tuning.json"), encoding="utf-8") as handle:
            scored = json.load(handle).get("cv_macro_f1", {})
    for job in select_jobs(tuning_jobs(context, arxiv_train, systems), wanted_jobs):
        # Only the candidates tuning.json has no score for (a widened grid adds only its new values).
        known = {float(k) for k in scored.get(job.system, {})}
        missing = [v for v in job.grid.split(",") if float(v) not in known]
        if not missing:
            log(f"tuning {job.system}: every candidate already scored in tuning.json")
            continue
        job.grid = ",".join(missing)
        log(f"tuning {job.system}: {job.grid}")
        try:
            records, _, wall = run_child(job.command({"train": arxiv_train}, None), log, job.timeout_seconds,
                                         cwd=HERE, env=env)
        except ChildFailed as error:
            log(f"  FAILED: {error}")
            continue
        for record in records:
            if record["stage"] == "model_selection":
                log(f"  chose {record['chosen']} in {wall:.0f} s: {record['cv_macro_f1']}")
                _record_tuning(job.system, job.grid, record)


def _model_key(system):
    name = system.split("/")[1]
    return {"LogisticRegression": "logreg", "MultinomialNB": "mnb", "ComplementNB": "cnb",
            "LinearSVC": "linearsvc", "supervised": "fasttext"}[name]


def _record_tuning(system, grid, record):
    path = os.path.join(HERE, "tuning.json")
    document = {"chosen": {}, "cv_macro_f1": {}}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    document.update({
        "how": "3-fold stratified cross-validation (within each label, rows in file order go round-robin to "
               "the folds) on the first 10,000 rows of the arxiv-categories training split (the test split "
               "is never read); the vectoriser is refitted on each fold's training part; score = mean "
               "macro-F1 over the folds; ties go to the earlier candidate",
        "command": "python3 Benchmarks/run.py --tune",
        "grids": {"LogisticRegression C": GRIDS["logreg"], "MultinomialNB alpha": GRIDS["mnb"],
                  "ComplementNB alpha": GRIDS["cnb"], "LinearSVC C": GRIDS["linearsvc"],
                  "fastText learning rate": GRIDS["fasttext"]},
    })
    scores = dict(document["cv_macro_f1"].get(system, {}), **record["cv_macro_f1"])
    grid = [float(v) for v in GRIDS[_model_key(system)].split(",")]
    ranked = sorted(scores.items(), key=lambda kv: grid.index(float(kv[0])) if float(kv[0]) in grid else len(grid))
    best = max(ranked, key=lambda kv: kv[1])  # max keeps the first of equal scores: the earlier candidate
    document["chosen"][system] = float(best[0])
    document["cv_macro_f1"][system] = dict(ranked)
    document["chosen"] = dict(sorted(document["chosen"].items()))
    document["cv_macro_f1"] = dict(sorted(document["cv_macro_f1"].items()))
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1)
        handle.write("\n")


def report_only():
    with open(os.path.join(HERE, "results", "latest.json"), encoding="utf-8") as handle:
        rows = json.load(handle)
    with open(os.path.join(HERE, "results", "latest-details.json"), encoding="utf-8") as handle:
        results = json.load(handle)
    results["rows"] = rows
    if results.get("scaling"):
        results["scaling"] = scaling_plot.write(results, os.path.join(HERE, "scaling.svg"))
    report.write(results, os.path.join(HERE, "RESULTS.md"))
    log("rewrote RESULTS.md from results/latest.json and results/latest-details.json")
    return 0


def main():
    args = parse_args()
    os.makedirs(WORK, exist_ok=True)
    if args.report_only:
        return report_only()
    # A terminated run still restores the BLAS alternative: turn SIGTERM/SIGHUP into an exception.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    started = time.time()
    systems = [s for s in ("arxivdigest", "sklearn", "fasttext") if not args.only or s in args.only.split(",")]
    wanted_jobs = [w for w in args.jobs.split(",") if w]
    label = "tune" if args.tune else ("quick" if args.quick else "full")
    command = "python3 Benchmarks/run.py" + "".join(f" {a}" for a in sys.argv[1:])
    log(f"=== {label} run: {command}")

    if not args.skip_build and "arxivdigest" in systems:
        build_swift()
    arxiv = data.in_child(data.prepare_arxiv, os.path.join(SHARED, "arxiv-categories.jsonl.gz"), WORK, args.quick and not args.tune)
    context = {"quick": args.quick, "binary": BENCH_BINARY, "cli_binary": CLI_BINARY, "python": sys.executable, "here": HERE}
    if args.tune:
        tune(context, arxiv["train"], systems, wanted_jobs)
        return 0
    topics = data.in_child(data.prepare_topics, os.path.join(SHARED, "topics", "train.jsonl"), WORK)
    sizes = [1_000, 3_000, 10_000, 100_000] if args.quick else [10_000, 30_000, 100_000, 1_000_000]
    scaling_files = {} if (args.no_scaling or "scaling" not in args.tiers) else data.in_child(data.prepare_scaling, arxiv["train"], WORK, sizes)
    tuning = None
    if os.path.exists(os.path.join(HERE, "tuning.json")):
        with open(os.path.join(HERE, "tuning.json"), encoding="utf-8") as handle:
            tuning = json.load(handle)
    log("data ready")

    blas_runs = ["reference", "openblas"] if args.blas == "both" else [args.blas]
    results = {"rows": [], "details": [], "blas": {}, "failures": [], "skipped": []}
    tiers = plan_jobs(context, arxiv, topics, blas_runs, systems, tuning)
    if scaling_files:
        tiers["scaling"] = scaling_jobs(context, scaling_files, blas_runs[0], systems, tuning)
    wanted = args.tiers.split(",")
    ordered = [job for name in ("arxiv-1gram", "scaling", "topics", "arxiv-1-2gram") if name in wanted
               for job in tiers.get(name, [])]
    if wanted_jobs:
        ordered = select_jobs(ordered, wanted_jobs)
        log(f"--jobs: {len(ordered)} job(s): " + ", ".join(f"{job.system} on {job.dataset}" for job in ordered))
    budget = args.budget_minutes * 60 if args.budget_minutes else None

    with blas.BlasSwitcher(log) as switcher:
        if "arxivdigest" in systems:
            for name in blas_runs:
                blas.ensure_installed(name, log)
        for job in ordered:
            elapsed = time.time() - started
            if budget is not None and elapsed > budget:
                results["skipped"].append({"system": job.system, "dataset": job.dataset})
                continue
            if job.blas_name:
                if switcher.current != job.blas_name:
                    switcher.use(job.blas_name)
                    results["blas"].setdefault(job.blas_name, blas.describe_current())
            if budget is not None:
                job.timeout_seconds = min(job.timeout_seconds, max(120, budget - elapsed + GRACE_SECONDS))
            run_job(job, results, results["failures"])
    log("system BLAS restored")
    if results["skipped"]:
        log(f"time budget: skipped {len(results['skipped'])} job(s)")

    results["run"] = {
        "label": label, "command": command,
        "started_utc": datetime.datetime.fromtimestamp(started, datetime.timezone.utc).isoformat(timespec="seconds"),
        "minutes": round((time.time() - started) / 60, 1),
        "machine": report.machine_description(),
        "blas_runs": blas_runs,
        "tuning": tuning,
    }
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    rows = [{k: row[k] for k in report.ROW_KEYS} for row in results["rows"]]
    with open(os.path.join(HERE, "results", "latest.json"), "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=1)
        handle.write("\n")
    results["scaling"] = scaling_plot.write(results, os.path.join(HERE, "scaling.svg")) if scaling_files else None
    with open(os.path.join(HERE, "results", "latest-details.json"), "w", encoding="utf-8") as handle:
        json.dump({k: results[k] for k in ("run", "blas", "details", "failures", "skipped", "scaling")},
                  handle, indent=1)
        handle.write("\n")
    report.write(results, os.path.join(HERE, "RESULTS.md"))
    log(f"=== done in {results['run']['minutes']} min; {len(results['failures'])} failure(s); "
        f"wrote results/latest.json, results/latest-details.json, RESULTS.md"
        + (", scaling.svg" if results["scaling"] else ""))
    return 1 if results["failures"] else 0


def _interrupt(*_):
    raise KeyboardInterrupt()


if __name__ == "__main__":
    sys.exit(main())
