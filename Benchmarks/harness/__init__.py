"""The benchmark driver's parts: data splits, BLAS switching, child processes, scoring, reports."""
