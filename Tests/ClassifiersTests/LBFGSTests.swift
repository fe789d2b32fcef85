import Foundation
import Classifiers
import Testing

@Suite("L-BFGS")
struct LBFGSTests {
    @Test("minimises an ill-conditioned quadratic to its exact minimiser, with Double or Float history pairs",
          arguments: LBFGS.HistoryPrecision.allCases)
    func quadratic(precision: LBFGS.HistoryPrecision) {
        // f(x) = ½ Σ a_i (x_i − c_i)², condition number 1e4.
        let n = 50
        let a = (0..<n).map { pow(10.0, 4.0 * Double($0) / Double(n - 1)) }
        let c = (0..<n).map { Double($0) / 10 - 2 }
        var solver = LBFGS(gradientTolerance: 1e-8, maxIterations: 2000)
        solver.functionTolerance = 0  // stop on the gradient only, so each x_i is within 1e-8 / a_i ≤ 1e-8
        solver.historyPrecision = precision
        let result = solver.minimize(from: [Double](repeating: 0, count: n)) { x, gradient in
            var f = 0.0
            for i in 0..<n {
                f += 0.5 * a[i] * (x[i] - c[i]) * (x[i] - c[i])
                gradient[i] = a[i] * (x[i] - c[i])
            }
            return f
        }
        #expect(result.stop == .gradientTolerance)
        let error = zip(result.x, c).map { abs($0 - $1) }.max()!
        #expect(error < 1e-8)
        if precision == .double {
            // scipy 1.17's L-BFGS-B takes 1,013 iterations here (`minimize(..., method="L-BFGS-B", jac=True,
            // options=dict(gtol=1e-8, ftol=0, maxls=50))`), this 1,012: the same path but for rounding over a
            // thousand steps. The Nocedal–Wright line search used before took 974 (Float pairs now take 1,028).
            #expect(abs(result.iterations - 1013) <= 10, "\(result.iterations) iterations")
        }
    }

    @Test("a diagonal initial inverse Hessian that matches the curvature takes the badly scaled quadratic in a step or two")
    func diagonalScaling() {
        // The quadratic above (condition number 1e4): the identity start takes 974 iterations to 1e-8,
        // D = 1/a makes the rescaled problem perfectly conditioned.
        let n = 50
        let a = (0..<n).map { pow(10.0, 4.0 * Double($0) / Double(n - 1)) }
        let c = (0..<n).map { Double($0) / 10 - 2 }
        func run(_ diagonal: [Double]?) -> LBFGS.Result {
            var solver = LBFGS(gradientTolerance: 1e-8, maxIterations: 2000)
            solver.functionTolerance = 0
            solver.inverseHessianDiagonal = diagonal
            return solver.minimize(from: [Double](repeating: 0, count: n)) { x, gradient in
                var f = 0.0
                for i in 0..<n {
                    f += 0.5 * a[i] * (x[i] - c[i]) * (x[i] - c[i])
                    gradient[i] = a[i] * (x[i] - c[i])
                }
                return f
            }
        }
        let plain = run(nil), scaled = run(a.map { 1 / $0 })
        #expect(plain.stop == .gradientTolerance, "\(plain.stop)")
        #expect(scaled.stop == .gradientTolerance, "\(scaled.stop)")
        #expect(scaled.iterations <= 2)
        #expect(plain.iterations > 50 * scaled.iterations, "\(plain.iterations) against \(scaled.iterations)")
        // The tolerance is on f's own gradient, not the rescaled one: every |a_i (x_i − c_i)| ≤ 1e-8.
        for i in 0..<n { #expect(abs(a[i] * (scaled.x[i] - c[i])) <= 1e-8) }
    }

    @Test("minimises the Rosenbrock function from the classic start")
    func rosenbrock() {
        let solver = LBFGS(gradientTolerance: 1e-9, maxIterations: 500)
        let result = solver.minimize(from: [-1.2, 1]) { x, gradient in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            gradient[0] = -2 * a - 400 * x[0] * b
            gradient[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(result.converged)
        #expect(abs(result.x[0] - 1) < 1e-6 && abs(result.x[1] - 1) < 1e-6)
        #expect(result.iterations < 100)
    }

    @Test("stops at the iteration limit and says so")
    func iterationLimit() {
        let solver = LBFGS(gradientTolerance: 1e-12, maxIterations: 3)
        let result = solver.minimize(from: [-1.2, 1]) { x, gradient in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            gradient[0] = -2 * a - 400 * x[0] * b
            gradient[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(result.stop == .maxIterations)
        #expect(result.iterations == 3)
        #expect(!result.converged)
        #expect(result.value < 24.2)  // f(−1.2, 1) = 24.2: every accepted step decreased f.
    }

    @Test("an objective that is infinite past a wall never moves the point there")
    func wall() {
        // f(x) = x²/2 − 3x falls towards its minimum at 3, but is infinite from 2 on: the first trial (a unit
        // step from 0) is fine, and later full steps overflow. Each such trial restarts its search from a
        // shorter step, so every point taken is finite and below the wall.
        let solver = LBFGS(gradientTolerance: 1e-10, maxIterations: 200)
        let result = solver.minimize(from: [0]) { x, gradient in
            gradient[0] = x[0] < 2 ? x[0] - 3 : .infinity
            return x[0] < 2 ? 0.5 * x[0] * x[0] - 3 * x[0] : .infinity
        }
        #expect(result.value.isFinite && result.x[0] < 2, "\(result.x) \(result.value) \(result.stop)")
        #expect(result.x[0] > 1.9, "\(result.x): it should get close to the wall")
    }

    @Test("a start at the minimum takes no iteration")
    func alreadyOptimal() {
        let result = LBFGS().minimize(from: [0, 0]) { x, gradient in
            gradient[0] = 2 * x[0]
            gradient[1] = 2 * x[1]
            return x[0] * x[0] + x[1] * x[1]
        }
        #expect(result.iterations == 0 && result.stop == .gradientTolerance)
    }
}
