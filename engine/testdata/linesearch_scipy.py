"""SciPy's iteration counts that bound the line-search methods' tests.

TestLineSearchReachesMinimum (engine/linesearch_test.go) allows each
gonum-driven method at most 1.5 times the iterations that
scipy.optimize.minimize takes for the same method, function, start and exact
gradient, with gtol = 1e-8 (the engine stops at ||grad f|| < 1e-8). SciPy's
CG is Polak-Ribiere; its L-BFGS-B keeps 10 pairs where the catalogue's lbfgs
keeps 5, and needs ftol lowered so that gtol decides.

Run with Debian's python3-scipy (SciPy 1.10.1):

    python3 engine/testdata/linesearch_scipy.py

which printed:

    rosenbrock  BFGS      nit= 34
    rosenbrock  CG        nit= 37
    rosenbrock  L-BFGS-B  nit= 38
    beale       BFGS      nit= 19
    beale       CG        nit= 15
    beale       L-BFGS-B  nit= 18
    himmelblau  BFGS      nit= 12
    himmelblau  CG        nit= 11
    himmelblau  L-BFGS-B  nit= 11

Every run succeeded and ended at the minimiser (1, 1), (3, 0.5) or (3, 2).
"""

import numpy as np
from scipy.optimize import minimize


def rosenbrock(p):
    x, y = p
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def beale(p):
    x, y = p
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def beale_grad(p):
    x, y = p
    t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    return np.array([
        2 * t1 * (y - 1) + 2 * t2 * (y**2 - 1) + 2 * t3 * (y**3 - 1),
        2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y**2,
    ])


def himmelblau(p):
    x, y = p
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmelblau_grad(p):
    x, y = p
    a, b = x * x + y - 11, x + y * y - 7
    return np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])


CASES = [
    ("rosenbrock", rosenbrock, rosenbrock_grad, [-1.2, 1]),
    ("beale", beale, beale_grad, [1, 1.5]),
    ("himmelblau", himmelblau, himmelblau_grad, [0, 0]),
]

for name, f, grad, start in CASES:
    for method in ["BFGS", "CG", "L-BFGS-B"]:
        options = {"gtol": 1e-8}
        if method == "L-BFGS-B":
            options["ftol"] = 1e-20
        r = minimize(f, start, jac=grad, method=method, options=options)
        assert r.success, (name, method, r.message)
        print(f"{name:11s} {method:9s} nit={r.nit:3d}")
