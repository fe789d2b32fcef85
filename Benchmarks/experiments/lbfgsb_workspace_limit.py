"""Why scikit-learn's 1-2-gram logistic regression dies with SIGSEGV in every benchmark run (issue 16;
Benchmarks/README, "Settings").

scipy's L-BFGS-B (which scikit-learn's lbfgs solver calls with m = 10 history pairs) keeps every vector in
one workspace of 2mn + 5n + 11m² + 8m doubles for n parameters, and indexes it with 32-bit integers (scipy
issue #5102). This program minimises 0.5·|x − 1|² over n parameters (at most 3 iterations), each n in its own
child process, and reports whether the child finished or was killed by a signal:

    python3 Benchmarks/experiments/lbfgsb_workspace_limit.py            # the predicted limit and one above
    python3 Benchmarks/experiments/lbfgsb_workspace_limit.py 85000000 87431890

Each child touches about 11 GB (the workspace is allocated zeroed, so only the blocks L-BFGS-B writes are
resident) and takes 15-30 s. On 2026-12-06, scipy 1.17.1: 85,000,000 and 85,899,301 parameters finish;
85,899,302, 85,910,000, 86,000,000, 86,600,000 and 87,431,890 (scikit-learn's 1-2-gram model on the 100k
split: (1,249,026 features + 1) × 70 classes) crash with SIGSEGV. The boundary is exactly where the offset of
the workspace's last block, 2mn + 5n + 11m², passes 2³¹ − 1. A one-off measurement, not part of the
benchmark run; `anchors/sklearn_bench.py` uses the same limit to refuse such a fit with this reason.
"""
import os
import signal
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "anchors"))

from sklearn_bench import LBFGSB_HISTORY, lbfgsb_last_block_offset, lbfgsb_parameter_limit  # noqa: E402


def minimise(n):
    from scipy.optimize import minimize

    def objective(x):
        d = x - 1.0
        return 0.5 * float(d @ d), d

    result = minimize(objective, np.zeros(n), jac=True, method="L-BFGS-B",
                      options={"maxiter": 3, "maxcor": LBFGSB_HISTORY})
    print(f"  finished: {result.nit} iterations, f = {result.fun:.3g}", flush=True)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        minimise(int(sys.argv[2]))
        return
    limit = lbfgsb_parameter_limit()
    sizes = [int(a) for a in sys.argv[1:]] or [limit, limit + 1]
    print(f"predicted limit at m = {LBFGSB_HISTORY}: {limit:,} parameters")
    for n in sizes:
        offset = lbfgsb_last_block_offset(n)
        print(f"n = {n:,}: last block at {offset:,} ({'beyond' if offset > 2**31 - 1 else 'within'} 2^31 - 1)",
              flush=True)
        child = subprocess.run([sys.executable, __file__, "--child", str(n)])
        if child.returncode < 0:
            print(f"  killed by {signal.Signals(-child.returncode).name}")
        elif child.returncode != 0:
            print(f"  exit {child.returncode}")


if __name__ == "__main__":
    main()
