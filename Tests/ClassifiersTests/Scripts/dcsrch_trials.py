"""The trial steps of scipy's Moré–Thuente line search (MINPACK-2 dcsrch, scipy.optimize._dcsrch) on the test
functions of Moré and Thuente (1994), for MoreThuenteTests.

Prints one JSON object: {"cases": [{"function": name, "start": alpha0, "ftol": ..., "gtol": ..., "trials": [...]}]},
`trials` the steps at which the search evaluated the function, in order, the last one the step it ends at.
"""
import json
import math

from scipy.optimize._dcsrch import DCSRCH

FUNCTIONS = {
    # Table 1: φ(α) = −α / (α² + β), β = 2.
    "rational": (lambda a: -a / (a * a + 2.0), lambda a: (a * a - 2.0) / (a * a + 2.0) ** 2),
    # Table 2: φ(α) = (α + β)⁵ − 2(α + β)⁴, β = 0.004.
    "quintic": (lambda a: (a + 0.004) ** 5 - 2.0 * (a + 0.004) ** 4,
                lambda a: 5.0 * (a + 0.004) ** 4 - 8.0 * (a + 0.004) ** 3),
    # Table 3: φ(α) = −α + 2(1 − β)/(lπ)·sin(lπα/2) ... as φ₀ with l = 39, β = 0.01.
    "wiggly": (lambda a: (1.0 - a if a <= 0.99 else (a - 1.0) if a >= 1.01 else (a - 1.0) ** 2 / 0.02 + 0.005)
               + 2.0 * 0.99 / (39 * math.pi) * math.sin(39 * math.pi * a / 2.0),
               lambda a: (-1.0 if a <= 0.99 else 1.0 if a >= 1.01 else (a - 1.0) / 0.01)
               + 0.99 * math.cos(39 * math.pi * a / 2.0)),
}
TOLERANCES = {"rational": (1e-3, 0.1), "quintic": (0.1, 0.1), "wiggly": (0.1, 0.1)}


def trials(name, start):
    phi, derphi = FUNCTIONS[name]
    ftol, gtol = TOLERANCES[name]
    steps = []

    def logged_phi(a):
        steps.append(a)
        return phi(a)

    search = DCSRCH(logged_phi, derphi, ftol, gtol, 0.1, 0.0, 1e10)
    search(start, phi0=phi(0.0), derphi0=derphi(0.0), maxiter=50)
    return {"function": name, "start": start, "ftol": ftol, "gtol": gtol, "trials": steps}


print(json.dumps({"cases": [trials(name, start) for name in FUNCTIONS for start in (1e-3, 1e-1, 1e1, 1e3)]}))
