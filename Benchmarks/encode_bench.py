"""The `encode` rows: sentence-encoder throughput (docs/s) of ArxivDigest beside the numpy reference.

    python3 Benchmarks/encode_bench.py [--sizes 30,1571] [--reference-blas-sizes 30] [--numpy-sizes 30]

Each measurement is its own process: `arxiv-digest encoder embed` (release build, weights from
`bash .ci/setup`) on the first N papers of topics/train.jsonl (title + abstract, 256 tokens at most),
with its float32 matrix products on OpenBLAS (the default when installed) or on the system's reference
BLAS (`ARXIVDIGEST_SGEMM=system`); and Tests/SentenceEncoderTests/minilm_reference.py in float32 (numpy's
own OpenBLAS, all cores). Seconds are wall time of the whole process, weight loading included; the
child's CPU seconds and the load average are recorded too, because on a shared machine the wall time
says more about the neighbours than about the encoder (on 2 idle cores, wall ≈ CPU / 2).
Writes Benchmarks/results/encode.json (rows in the harness's format) and prints a Markdown table.
The reference BLAS is run on the small size only: at ~2.5 s per paper per core, 1,571 papers take half an hour.
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "..", "shared", "datasets", "topics", "train.jsonl")


def run_timed(args, env=None, stdin=None):
    """(wall seconds, CPU seconds of the child, user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, env=dict(os.environ, **(env or {})), stdin=stdin,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {result.stderr[-2000:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="30,1571")
    parser.add_argument("--reference-blas-sizes", default="30")
    parser.add_argument("--numpy-sizes", default="30")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "arxiv-digest"))
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "arxiv-digest"], cwd=ROOT, check=True)
    rows_in = [json.loads(line) for line in open(DATA)]
    rows = []

    def record(system, n, timing):
        seconds, cpu = timing
        load = os.getloadavg()[0]
        rows.append({"system": system, "dataset": f"topics-first-{n}", "stage": "encode", "seconds": round(seconds, 2),
                     "docs_per_second": round(n / seconds, 2), "cpu_seconds": round(cpu, 2), "load_average_1min": round(load, 1),
                     "peak_rss_mb": None, "accuracy": None, "macro_f1": None})
        print(f"| {system} | {n} | {seconds:.1f} | {n / seconds:.1f} | {cpu:.1f} | {load:.1f} |", flush=True)

    print("| system | papers | wall s | docs/s | CPU s | load (1 min) |\n|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        def subset(n):
            path = os.path.join(tmp, f"first-{n}.jsonl")
            with open(path, "w") as f:
                for row in rows_in[:n]:
                    f.write(json.dumps(row) + "\n")
            return path
        for n in [int(s) for s in args.sizes.split(",")]:
            record("ArxivDigest encoder, OpenBLAS sgemm (2 threads)", n,
                   run_timed([args.binary, "encoder", "embed", "--papers", subset(n), "-o", "-"]))
        for n in [int(s) for s in args.reference_blas_sizes.split(",") if s]:
            record("ArxivDigest encoder, reference BLAS sgemm (2 threads)", n,
                   run_timed([args.binary, "encoder", "embed", "--papers", subset(n), "-o", "-"],
                             env={"ARXIVDIGEST_SGEMM": "system"}))
        for n in [int(s) for s in args.numpy_sizes.split(",") if s]:
            texts = os.path.join(tmp, f"texts-{n}.json")
            with open(texts, "w") as f:
                json.dump([r["title"] + " " + r["abstract"] for r in rows_in[:n]], f)
            with open(texts) as stdin:
                record("numpy reference, float32 (numpy's OpenBLAS)", n,
                       run_timed([sys.executable, os.path.join(ROOT, "Tests", "SentenceEncoderTests", "minilm_reference.py"),
                                  "embed", "--dtype", "float32", "--no-cache"], stdin=stdin))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    details = {"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
               "load_average_at_end": os.getloadavg(), "rows": rows}
    with open(os.path.join(HERE, "results", "encode.json"), "w") as f:
        json.dump(details, f, indent=1)


if __name__ == "__main__":
    main()
