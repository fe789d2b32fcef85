"""Prepares every split once, as JSON Lines files under Benchmarks/work/ (git-ignored).

The original lines are copied unchanged, so every system reads the same bytes.
"""
import gzip
import json
import os
import random

ARXIV_TRAIN_ROWS = 100_000
QUICK_TRAIN_ROWS = 16_000
QUICK_TEST_ROWS = 4_000
TOPIC_FOLDS = 5


def in_child(function, *args):
    """`function(*args)` run in a fresh interpreter, its (small) result returned.

    Linux copies a process's peak resident memory into each child's `ru_maxrss` when the child execs (the
    high-water mark of the address space it leaves), so every child the driver starts reports at least the
    driver's own peak. The driver must therefore never hold a data set: reading the 100k training lines for
    the scaling samples in the driver (2026-12-06) put 187 MB under every later child's whole-process peak.
    """
    import multiprocessing
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def _write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line if line.endswith("\n") else line + "\n")
    os.replace(temporary, path)


def _read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [line for line in handle if line.strip()]


def prepare_arxiv(source, work, quick):
    """{'train': path, 'test': path} of arxiv-categories (rows 1–100,000 / the rest), or the quick
    slice: the first 16,000 training rows and the first 4,000 test rows."""
    name = "arxiv-quick" if quick else "arxiv"
    paths = {"train": os.path.join(work, name, "train.jsonl"), "test": os.path.join(work, name, "test.jsonl")}
    if all(os.path.exists(p) for p in paths.values()):
        return paths
    lines = _read_lines(source)
    train, test = lines[:ARXIV_TRAIN_ROWS], lines[ARXIV_TRAIN_ROWS:]
    if quick:
        train, test = train[:QUICK_TRAIN_ROWS], test[:QUICK_TEST_ROWS]
    _write(paths["train"], train)
    _write(paths["test"], test)
    return paths


def stratified_folds(labels, k, seed=0):
    """Fold of each row: rows are shuffled with a fixed seed, then dealt round-robin within each label."""
    order = list(range(len(labels)))
    random.Random(seed).shuffle(order)
    seen = {}
    folds = [0] * len(labels)
    for index in order:
        n = seen.get(labels[index], 0)
        folds[index] = n % k
        seen[labels[index]] = n + 1
    return folds


def prepare_topics(source, work):
    """[{'train': path, 'test': path}] for 5-fold stratified cross-validation of topics/train.jsonl."""
    lines = _read_lines(source)
    labels = [json.loads(line)["label"] for line in lines]
    folds = stratified_folds(labels, TOPIC_FOLDS)
    splits = []
    for fold in range(TOPIC_FOLDS):
        paths = {"train": os.path.join(work, "topics", f"fold{fold}", "train.jsonl"),
                 "test": os.path.join(work, "topics", f"fold{fold}", "test.jsonl")}
        _write(paths["train"], [line for line, f in zip(lines, folds) if f != fold])
        _write(paths["test"], [line for line, f in zip(lines, folds) if f == fold])
        splits.append(paths)
    return splits


def prepare_scaling(train_path, work, sizes, seed=0):
    """{size: path}: the first `size` training rows, or, past the split's size, `size` rows sampled
    with replacement (fixed seed)."""
    lines = None
    paths = {}
    for size in sizes:
        path = os.path.join(work, "scaling", f"{os.path.basename(os.path.dirname(train_path))}-{size}.jsonl")
        paths[size] = path
        if os.path.exists(path):
            continue
        if lines is None:
            lines = _read_lines(train_path)
        if size <= len(lines):
            _write(path, lines[:size])
        else:
            rng = random.Random(seed)
            _write(path, (lines[rng.randrange(len(lines))] for _ in range(size)))
    return paths


def read_labels(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line)["label"] for line in handle if line.strip()]
