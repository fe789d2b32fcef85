"""Checks of the driver's own arithmetic: python3 -m unittest discover -s Benchmarks/tests"""
import os
import random
import sys
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "anchors"))

import bench_common  # noqa: E402
from harness import data, jobs, report, scaling_plot  # noqa: E402


class ScoringTests(unittest.TestCase):
    def test_macro_f1_and_accuracy_match_scikit_learn(self):
        from sklearn.metrics import accuracy_score, f1_score
        rng = random.Random(3)
        labels = ["a", "b", "c", "d"]
        truth = [rng.choice(labels) for _ in range(500)]
        # "e" is predicted but never true: it counts as a class with F1 0, as in sklearn.
        predicted = [t if rng.random() < 0.6 else rng.choice(labels + ["e"]) for t in truth]
        self.assertAlmostEqual(bench_common.macro_f1(truth, predicted), f1_score(truth, predicted, average="macro"))
        self.assertAlmostEqual(bench_common.accuracy(truth, predicted), accuracy_score(truth, predicted))

    def test_nearest_rank_percentile(self):
        samples = sorted(float(i) for i in range(1, 101))
        self.assertEqual(bench_common.percentile(samples, 50), 50.0)
        self.assertEqual(bench_common.percentile(samples, 99), 99.0)
        self.assertEqual(bench_common.percentile([7.0], 99), 7.0)

    def test_cv_folds_are_stratified_and_cover_every_row(self):
        labels = ["x"] * 9 + ["y"] * 6
        folds = bench_common.stratified_folds(labels, 3)
        for fold in range(3):
            members = [l for l, f in zip(labels, folds) if f == fold]
            self.assertEqual((members.count("x"), members.count("y")), (3, 2))

    def test_topic_folds_are_seeded_and_balanced(self):
        labels = ["a"] * 50 + ["b"] * 23
        folds = data.stratified_folds(labels, 5)
        self.assertEqual(folds, data.stratified_folds(labels, 5))
        counts = [sum(1 for l, f in zip(labels, folds) if f == k and l == "b") for k in range(5)]
        self.assertLessEqual(max(counts) - min(counts), 1)


class DivergenceFallbackTests(unittest.TestCase):
    def test_fallback_order_is_best_cv_score_first_ties_to_the_earlier(self):
        # A diverged candidate scored 0 in CV, so it comes last.
        scores = {0.1: 0.71, 0.3: 0.74, 1.0: 0.0}
        self.assertEqual(bench_common.ranked_by_score([0.1, 0.3, 1.0], scores), [0.3, 0.1, 1.0])
        self.assertEqual(bench_common.ranked_by_score([0.1, 0.3, 1.0], {0.1: 0.5, 0.3: 0.5, 1.0: 0.6}),
                         [1.0, 0.1, 0.3])
        # A fixed setting (no CV scores) keeps the grid order.
        self.assertEqual(bench_common.ranked_by_score([0.5], {}), [0.5])

    def test_diverged_final_fit_reaches_details_and_setting_column(self):
        job = jobs.Job({"quick": True, "binary": "b", "python": "p", "here": "."}, "fasttext", "fasttext", 1,
                       "topics", [{}, {}, {}])
        def fold(setting, diverged):
            record = {"stage": "model_fit", "seconds": 1.0, "docs": 10, "peak_rss_mb": 50.0, "setting": setting}
            if diverged:
                record["diverged"] = diverged
            return ([record], 60.0, 2.0, None, None)
        _, details = jobs.job_rows(job, [fold(1.0, []), fold(0.3, [1.0]), fold(1.0, [])])
        self.assertEqual(details["diverged"], [[], [1.0], []])
        self.assertEqual(report._setting_text(details), "lr=1, 0.3 (lr=1 diverged on 1 of 3 folds)")
        one_split = dict(details, splits=1, setting=[0.3], diverged=[[1.0]])
        self.assertEqual(report._setting_text(one_split), "lr=0.3 (lr=1 diverged)")
        retried = dict(details, setting=[1.0, 1.0], diverged=[[1.0, 0.3, 0.1], []])
        self.assertEqual(report._setting_text(retried), "lr=1 (lr=1, 0.3, 0.1 diverged on 1 of 2 folds)")
        twice = dict(details, splits=1, setting=[0.3], diverged=[[1.0, 0.3, 0.1, 1.0]])
        self.assertEqual(report._setting_text(twice), "lr=0.3 (4 fits diverged: lr=1, 0.3, 0.1)")
        _, clean = jobs.job_rows(job, [fold(1.0, []), fold(1.0, [])])
        self.assertNotIn("diverged", clean)
        self.assertEqual(report._setting_text(clean), "lr=1")


class PlanTests(unittest.TestCase):
    def plan(self, quick):
        context = {"quick": quick, "binary": "b", "cli_binary": "c", "python": "p", "here": "."}
        return jobs.plan_jobs(context, {"train": "t", "test": "e"}, [{"train": "t", "test": "e"}] * 5,
                              ["reference", "openblas"], ["arxivdigest", "sklearn", "fasttext"], None)

    def test_quick_keeps_every_system_and_both_blas_and_cuts_only_what_is_documented(self):
        full, quick = self.plan(False), self.plan(True)
        self.assertEqual([j.system for j in quick["arxiv-1gram"]], [j.system for j in full["arxiv-1gram"]])
        self.assertEqual([j.system for j in quick["arxiv-1-2gram"]],
                         [j.system for j in full["arxiv-1-2gram"] if j.model != "logreg"])
        for name in ("arxiv-1gram", "arxiv-1-2gram"):
            self.assertEqual({j.impl for j in quick[name]} - {"classify-process"}, {"arxivdigest", "sklearn", "fasttext"})
            self.assertEqual({j.blas_name for j in quick[name] if j.impl == "arxivdigest"}, {"reference", "openblas"})
        self.assertEqual({(j.ngram, j.blas_name) for j in quick["topics"] if j.impl == "arxivdigest"},
                         {(1, "reference")})
        self.assertEqual({j.impl for j in quick["topics"]}, {"arxivdigest", "sklearn", "fasttext"})
        logreg = [j for j in quick["topics"] if j.model == "logreg"]
        self.assertTrue(logreg and all(j.grid == "1,16,256,4096,65536" for j in logreg))
        command = quick["arxiv-1gram"][0].command({"train": "t", "test": "e"}, "p")
        self.assertEqual(command[command.index("--latency-docs") + 1], "200")

    def test_classify_process_rows_follow_the_in_memory_ones_on_the_first_blas(self):
        full = self.plan(False)["arxiv-1gram"]
        process = [j for j in full if j.impl == "classify-process"]
        self.assertEqual([j.top_k for j in process], [None, "all"])
        self.assertEqual(full[-2:], process)
        self.assertTrue(all(j.blas_name == "reference" and j.grid == "4096.0" for j in process))
        command = process[1].command({"train": "t", "test": "e"}, "p")
        self.assertEqual(command[command.index("--top-k") + 1], "all")
        self.assertEqual(command[command.index("--binary") + 1], "c")
        self.assertNotIn("--top-k", process[0].command({"train": "t", "test": "e"}, "p"))

    def test_tuning_covers_every_system_and_both_feature_sets_and_jobs_narrows_it(self):
        context = {"quick": False, "binary": "b", "cli_binary": "c", "python": "p", "here": "."}
        every = jobs.tuning_jobs(context, "t", ["arxivdigest", "sklearn", "fasttext"])
        self.assertEqual(len(every), 2 * 8)
        self.assertTrue(all(j.select_only and j.cv_max_docs == 10_000 for j in every))
        self.assertEqual(jobs.select_jobs(every, []), every)
        bigrams = jobs.select_jobs(every, ["1-2gram"])
        self.assertEqual([j.system for j in bigrams], [j.system for j in every if j.ngram == 2])
        # The trailing "/" lets a pattern end exactly: LogisticRegression/1gram/ is not LogisticRegression/1-2gram.
        one = jobs.select_jobs(every, ["sklearn/LinearSVC/1-2gram/"])
        self.assertEqual([j.system for j in one], ["sklearn/LinearSVC/1-2gram"])
        unigram = jobs.select_jobs(every, ["ArxivDigest/LogisticRegression/1gram/"])
        self.assertEqual([j.system for j in unigram], ["ArxivDigest/LogisticRegression/1gram"])

    def test_scaling_adds_logistic_regression_at_10k_100k_1m(self):
        context = {"quick": False, "binary": "b", "cli_binary": "c", "python": "p", "here": "."}
        files = {n: f"s{n}" for n in (10_000, 30_000, 100_000, 1_000_000)}
        planned = jobs.scaling_jobs(context, files, "reference", ["arxivdigest", "sklearn"],
                                    {"chosen": {"ArxivDigest/LogisticRegression/1gram": 4096.0}})
        logreg = [j for j in planned if j.model == "logreg"]
        self.assertEqual([j.dataset for j in logreg], [f"arxiv-categories-scaling-{n}" for n in (10_000, 100_000, 1_000_000)])
        self.assertTrue(all(j.fit_only and j.grid == "4096.0" and j.max_iter == 100 and j.impl == "arxivdigest" for j in logreg))
        self.assertEqual(len([j for j in planned if j.model == "mnb"]), 4 + 3)

    def test_scan_limit_only_for_arxivdigest_on_arxiv_unigrams(self):
        plan = self.plan(False)
        flagged = [j for tier in plan.values() for j in tier if j.scan_limit]
        self.assertEqual({(j.impl, j.ngram, j.dataset) for j in flagged}, {("arxivdigest", 1, "arxiv-categories")})
        self.assertEqual(len(flagged), 6)  # 3 models × 2 BLAS
        self.assertIn("--scan-limit", flagged[0].command({"train": "t", "test": "e"}, "p"))

    def test_goal_tier_children_time_their_short_stages_three_times_and_no_other_tier_does(self):
        plan = self.plan(False)
        split = {"train": "t", "test": "e"}
        for job in plan["arxiv-1gram"]:
            command = job.command(split, "p")
            self.assertEqual(command[command.index("--repeats") + 1], "3", job.system)
        for job in plan["topics"] + plan["arxiv-1-2gram"]:
            self.assertNotIn("--repeats", job.command(split, "p"), job.system)

    def test_only_the_goal_tiers_logistic_regressions_fit_three_times(self):
        plan = self.plan(False)
        split = {"train": "t", "test": "e"}
        repeated = []
        for job in [j for tier in plan.values() for j in tier]:
            command = job.command(split, "p")
            if "--fit-repeats" in command:
                self.assertEqual(command[command.index("--fit-repeats") + 1], "3", job.system)
                repeated.append(job.system)
        self.assertEqual(sorted(repeated), ["ArxivDigest/LogisticRegression/1gram/openblas",
                                            "ArxivDigest/LogisticRegression/1gram/reference",
                                            "sklearn/LogisticRegression/1gram"])

    def test_full_run_is_unchanged(self):
        full = self.plan(False)
        # arxiv-1gram: 11 in-memory jobs + the two classify-process rows (default top-k and every class).
        self.assertEqual({k: len(v) for k, v in full.items()}, {"arxiv-1gram": 13, "topics": 22, "arxiv-1-2gram": 11})
        self.assertTrue(all(j.grid == jobs.GRIDS[j.model] for j in full["topics"]))
        command = full["topics"][0].command({"train": "t", "test": "e"}, "p")
        self.assertEqual(command[command.index("--latency-docs") + 1], "1000")


class RepeatTests(unittest.TestCase):
    def test_timed_median_reports_the_middle_timing_and_the_last_result(self):
        calls = []

        def body():
            calls.append(len(calls))
            return len(calls)

        seconds, timings, result = bench_common.timed_median(body, 3)
        self.assertEqual((len(calls), len(timings), result), (3, 3, 3))
        self.assertEqual(seconds, sorted(timings)[1])
        seconds, timings, result = bench_common.timed_median(body, 1)
        self.assertEqual((seconds, result), (timings[0], 4))


    def test_the_anchor_fits_afresh_each_repeat_and_reports_the_median(self):
        import json
        import subprocess
        import tempfile
        rng = random.Random(7)
        words = {"a": "spike neuron synapse", "b": "memristor crossbar device", "c": "camera event tracking"}
        with tempfile.TemporaryDirectory() as work:
            train = os.path.join(work, "train.jsonl")
            with open(train, "w", encoding="utf-8") as handle:
                for i in range(90):
                    label = "abc"[i % 3]
                    text = " ".join(rng.choice(words[label].split() + ["model", "data"]) for _ in range(12))
                    handle.write(json.dumps({"title": f"paper {i}", "abstract": text, "label": label}) + "\n")
            output = subprocess.run(
                [sys.executable, os.path.join(HERE, "anchors", "sklearn_bench.py"), "--train", train,
                 "--model", "logreg", "--grid", "1", "--fit-only", "--fit-repeats", "3"],
                capture_output=True, text=True, check=True).stdout
        fit = [json.loads(line) for line in output.splitlines() if '"model_fit"' in line][0]
        self.assertEqual(len(fit["repeat_seconds"]), 3)
        self.assertEqual(fit["seconds"], sorted(fit["repeat_seconds"])[1])
        self.assertTrue(fit["converged"])


class RowTests(unittest.TestCase):
    def test_rows_pool_folds_and_carry_the_required_keys(self):
        job = jobs.Job({"quick": True, "binary": "b", "python": "p", "here": "."}, "sklearn", "mnb", 1,
                       "topics", [{}, {}])
        fold = [{"stage": "vectorizer_fit_transform", "seconds": 1.0, "docs": 100, "peak_rss_mb": 50.0},
                {"stage": "predict_end_to_end", "seconds": 0.5, "docs": 10, "peak_rss_mb": 60.0},
                {"stage": "latency", "seconds": None, "docs": 10, "peak_rss_mb": 60.0, "p50_ms": 0.2, "p99_ms": 0.4}]
        rows, details = jobs.job_rows(job, [(fold, 70.0, 3.0, ["a", "b"], ["a", "a"]),
                                            (fold, 80.0, 3.0, ["b", "b"], ["b", "b"])])
        by_stage = {r["stage"]: r for r in rows}
        self.assertEqual(by_stage["vectorizer_fit_transform"]["docs_per_second"], 100.0)
        self.assertEqual(by_stage["predict_end_to_end"]["accuracy"], 0.75)
        self.assertEqual(by_stage["process"]["peak_rss_mb"], 80.0)
        self.assertAlmostEqual(by_stage["latency_p99"]["seconds"], 0.0004)
        for row in rows:
            self.assertEqual(set(row), set(["system", "dataset", "stage", "seconds", "docs_per_second",
                                            "peak_rss_mb", "accuracy", "macro_f1"]))


class ScalingTests(unittest.TestCase):
    def test_slope_of_a_power_law(self):
        points = [(n, 3e-5 * n ** 1.2) for n in (1e4, 3e4, 1e5, 1e6)]
        self.assertAlmostEqual(scaling_plot.slope(points), 1.2)


def _touch_megabytes(count):
    """Allocates and touches `count` MiB and returns their sum of one byte per page (a child's work)."""
    block = bytearray(count * 1024 * 1024)
    for offset in range(0, len(block), 4096):
        block[offset] = 1
    return sum(block[::4096])


class DataInChildTests(unittest.TestCase):
    def test_data_preparation_in_a_child_leaves_the_driver_small(self):
        # The driver's peak resident memory is inherited by every child's ru_maxrss at exec, so the data sets
        # are prepared in a fresh interpreter: 300 MiB touched there must not raise the driver's own peak.
        import resource
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.assertEqual(data.in_child(_touch_megabytes, 300), 300 * 256)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.assertLess(after - before, 100 * 1024, "the driver's peak grew by the child's allocation")

    def test_a_childs_peak_includes_its_parents_peak_on_linux(self):
        # Why the driver must stay small: a child that does almost nothing reports the parent's peak.
        import resource
        import subprocess
        parent_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        process = subprocess.Popen([sys.executable, "-c", "pass"])
        _, _, usage = os.wait4(process.pid, 0)
        self.assertGreaterEqual(usage.ru_maxrss, parent_peak)


if __name__ == "__main__":
    unittest.main()


class ClassifyProcessReportTests(unittest.TestCase):
    def test_section_and_goal_compare_the_process_with_the_in_memory_rate_of_the_same_run(self):
        dataset = "arxiv-categories"
        memory = "ArxivDigest/LogisticRegression/1gram/reference"
        process = "ArxivDigest/classify-process/LogisticRegression/1gram/top-all/reference"

        def row(system, stage, seconds, docs):
            return {"system": system, "dataset": dataset, "stage": stage, "seconds": seconds,
                    "docs_per_second": docs / seconds, "peak_rss_mb": 100.0, "accuracy": None, "macro_f1": None}
        rows = [row(memory, "predict_end_to_end", 0.5, 50_000), row(process, "classify_process", 0.8, 50_000),
                row("sklearn/LogisticRegression/1gram", "predict_end_to_end", 5.0, 50_000),
                row(memory, "one_pass_scan", 1.0, 100_000), row(memory, "vectorizer_fit_transform", 1.25, 100_000)]
        details = [{"system": process, "dataset": dataset, "impl": "classify-process", "blas": "reference",
                    "accuracy": 0.72, "macro_f1": 0.53, "output_bytes": [126_000_000]},
                   {"system": memory, "dataset": dataset, "impl": "arxivdigest", "blas": "reference",
                    "accuracy": 0.72, "macro_f1": 0.53}]
        index = report._index(rows)
        section = report._classify_process_section(index, details, dataset)
        self.assertIn(f"| {process} | 0.80 | 62,500 | 62% | 6.2× | 126.0 |", section)
        goals = report._goals(index, details, dataset, "reference", [dataset])
        self.assertIn("`classify` process ≥ 50% of the in-memory end-to-end rate (all probabilities per line) | "
                      "62,500 vs 100,000 docs/s = 62% | **yes** |", goals)
        self.assertIn("one-pass limit", goals)
        self.assertIn("fit_transform at 80% of it", goals)


class FitGoalReportTests(unittest.TestCase):
    def test_the_fit_goal_is_the_ratio_of_medians_and_lists_every_fit(self):
        dataset = "arxiv-categories"
        ours, theirs = "ArxivDigest/LogisticRegression/1gram/reference", "sklearn/LogisticRegression/1gram"

        def row(system, stage, seconds, f1=None):
            return {"system": system, "dataset": dataset, "stage": stage, "seconds": seconds,
                    "docs_per_second": 100_000 / seconds, "peak_rss_mb": 100.0, "accuracy": None, "macro_f1": f1}
        rows = [row(ours, "model_fit", 40.0), row(theirs, "model_fit", 180.0),
                row(ours, "process", 60.0, 0.5114), row(theirs, "process", 200.0, 0.5113)]
        details = [{"system": ours, "dataset": dataset, "impl": "arxivdigest", "macro_f1": 0.5114,
                    "repeat_seconds": {"model_fit": [[47.4, 40.0, 39.0]]}},
                   {"system": theirs, "dataset": dataset, "impl": "sklearn", "macro_f1": 0.5113,
                    "repeat_seconds": {"model_fit": [[182.0, 175.0, 180.0]]}}]
        goals = report._goals(report._index(rows), details, dataset, "reference", [dataset])
        self.assertIn("| 40.00 s vs 180.00 s = 4.50× (medians of 3 fits: 47.4 / 40.0 / 39.0 s vs "
                      "182.0 / 175.0 / 180.0 s, in order); macro-F1 0.5114 vs 0.5113 | **no** |", goals)
        # One fit each (an older run, or --fit-repeats 1): the ratio alone.
        goals = report._goals(report._index(rows), [], dataset, "reference", [dataset])
        self.assertIn("| 40.00 s vs 180.00 s = 4.50×; macro-F1", goals)


class ScipyWorkspaceLimitTests(unittest.TestCase):
    """scipy's L-BFGS-B crashes past 85,899,301 parameters at m = 10 (experiments/lbfgsb_workspace_limit.py)."""

    class Shape:
        def __init__(self, features):
            self.shape = (3, features)

    def test_the_limit_is_where_the_last_workspace_block_passes_two_to_the_31(self):
        import sklearn_bench
        limit = sklearn_bench.lbfgsb_parameter_limit()
        self.assertEqual(limit, 85_899_301)
        self.assertLessEqual(sklearn_bench.lbfgsb_last_block_offset(limit), 2**31 - 1)
        self.assertGreater(sklearn_bench.lbfgsb_last_block_offset(limit + 1), 2**31 - 1)
        self.assertEqual(sklearn_bench.lbfgsb_last_block_offset(limit + 1), 2_147_483_650)  # measured: crashes

    def test_the_1_2_gram_model_is_refused_on_the_measured_scipy_and_the_unigram_one_never(self):
        import sklearn_bench
        labels = [f"class{i}" for i in range(70)]
        self.assertEqual(sklearn_bench.logreg_parameters(1_249_026, 70), 87_431_890)
        if sklearn_bench.scipy_has_measured_limit():
            with self.assertRaises(SystemExit) as refused:
                sklearn_bench.refuse_what_lbfgsb_cannot_fit("logreg", self.Shape(1_249_026), labels)
            self.assertIn("cannot fit 87,431,890 parameters", str(refused.exception))
            self.assertIn("85,899,301", str(refused.exception))
        else:
            # A scipy newer than the one measured gets to try (and the run records what happens).
            sklearn_bench.refuse_what_lbfgsb_cannot_fit("logreg", self.Shape(1_249_026), labels)
        sklearn_bench.refuse_what_lbfgsb_cannot_fit("logreg", self.Shape(64_010), labels)  # returns
        sklearn_bench.refuse_what_lbfgsb_cannot_fit("linearsvc", self.Shape(1_249_026), labels)  # not L-BFGS-B
        self.assertEqual(sklearn_bench.logreg_parameters(5, 2), 6)  # two classes: one score column

    def test_a_failure_shows_the_childs_own_last_line(self):
        self.assertEqual(report.failure_text("exit -11: python3 x.py\n"), "`exit -11: python3 x.py`")
        self.assertEqual(report.failure_text("exit 1: python3 x.py\nwarning\nscikit-learn's lbfgs cannot fit 9\n"),
                         "`exit 1: python3 x.py`; the child said: scikit-learn's lbfgs cannot fit 9")
