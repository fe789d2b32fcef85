import LinearAlgebra

/// Limited-memory BFGS for smooth unconstrained minimisation, blind to the function it minimises.
///
/// The search direction comes from the two-loop recursion over the last `historySize` steps
/// (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 7.4), with the initial inverse Hessian
/// `γ·I`, `γ = sᵀy / yᵀy`, or `γ·D` for a given positive diagonal `D` (`γ = sᵀy / yᵀDy`): L-BFGS on the
/// rescaled variables `v = D^(−1/2)·x`, which a caller that knows its problem's curvature per coordinate uses
/// to take far fewer iterations.
///
/// Everything else follows scipy's L-BFGS-B (version 3.0, without bounds) as scikit-learn calls it, so that a fit
/// stopped by a tolerance or an iteration limit lands where scikit-learn's does, not only the optimum:
/// - the line search is Moré–Thuente's (`MoreThuente`, MINPACK-2's `dcsrch` with L-BFGS-B's `ftol` 1e-3,
///   `gtol` 0.9, `xtol` 0.1), from a first step of unit length (`1/‖d‖`) and then the full step 1, taking the
///   last step it evaluated;
/// - a pair's `sᵀy` is `α·(∇f(x+αd)·d − ∇f(x)·d)` from the search's slopes (no pass over the vectors), and a
///   pair with `sᵀy ≤ ε·(−α·∇f(x)·d)` is skipped;
/// - a search that fails (`maxLineSearchSteps` evaluations) restarts from steepest descent with the history
///   cleared, and stops the run when the history was already empty;
/// - stopping: `max|∇f| ≤ gradientTolerance`, then a relative decrease
///   `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ functionTolerance`, or `maxIterations`.
/// The direction is the two-loop recursion's, which L-BFGS-B computes from the compact form of the same matrix:
/// the same in exact arithmetic, so the two paths differ by rounding. All vector arithmetic is BLAS on whole
/// vectors, so it is fast even in debug builds, and deterministic.
public struct LBFGS: Sendable {
    /// The objective: writes `∇f(x)` into `gradient` (already sized like `x`) and returns `f(x)`.
    public typealias Objective = (_ x: [Double], _ gradient: inout [Double]) -> Double

    public var historySize = 10
    /// How the history's pairs are stored: `Double` (scipy's choice, the default) or `Float`, which halves the
    /// history's memory (the most of a large fit's) at the price of a slightly different path.
    public var historyPrecision = HistoryPrecision.double
    /// Stop when the largest gradient component is at most this (scipy's `gtol` / `pgtol`).
    public var gradientTolerance = 1e-5
    /// Stop when the relative function decrease of an iteration is at most this (scipy's `ftol`).
    public var functionTolerance = 64 * Double.ulpOfOne
    public var maxIterations = 15_000
    public var maxEvaluations = 15_000
    /// Function evaluations allowed in one line search (scipy's `maxls`, which scikit-learn sets to 50).
    public var maxLineSearchSteps = 50
    /// The line search's sufficient-decrease, curvature and interval tolerances (L-BFGS-B's).
    var lineSearchTolerances = MoreThuente.Tolerances()
    /// The largest step a line search tries (L-BFGS-B's, for a problem without bounds).
    static let maximumStep = 1e10
    /// A positive diagonal `D` (one entry per coordinate) for the initial inverse Hessian `γ·D`, or nil for
    /// `γ·I`. The steps are those of L-BFGS on `v = D^(−1/2)·x`, but the tolerances still apply to `f`'s own
    /// gradient.
    public var inverseHessianDiagonal: [Double]?

    public init(gradientTolerance: Double = 1e-5, maxIterations: Int = 15_000, historySize: Int = 10) {
        self.gradientTolerance = gradientTolerance
        self.maxIterations = maxIterations
        self.historySize = historySize
    }

    /// The storage of the history's `(s, y)` pairs.
    public enum HistoryPrecision: String, Sendable, CaseIterable {
        case double, float
    }

    /// Why the minimisation stopped.
    public enum Stop: String, Sendable, Equatable {
        case gradientTolerance, functionTolerance, maxIterations, maxEvaluations
        /// No step along the direction met the Wolfe conditions (usually: converged to rounding noise).
        case lineSearchFailed
    }

    /// The minimiser found, its value, and how the run went.
    public struct Result: Sendable {
        public var x: [Double]
        public var value: Double
        public var gradient: [Double]
        public var iterations: Int
        public var evaluations: Int
        public var stop: Stop
        /// Whether a tolerance was met (not a limit or a failed line search).
        public var converged: Bool { stop == .gradientTolerance || stop == .functionTolerance }
    }

    /// Minimises `objective` starting from `start`.
    ///
    /// Vectors are allocated once and reused: the trial point, the direction and the history's pairs, so a
    /// model with tens of millions of parameters costs 5 vectors (x, ∇f, trial x and ∇f, direction) and the
    /// history's 2·historySize, not a fresh set per evaluation. With `Double` pairs an evicted pair becomes
    /// the next step's storage (2m + 5 vectors in all); `Float` pairs take half a vector each (m + 5).
    public func minimize(from start: [Double], _ objective: @escaping Objective) -> Result {
        switch historyPrecision {
        case .double: minimize(from: start, history: History<Double>(capacity: historySize), objective)
        case .float: minimize(from: start, history: History<Float>(capacity: historySize), objective)
        }
    }

    func minimize<Element: HistoryElement>(
        from start: [Double], history: History<Element>, _ objective: @escaping Objective
    ) -> Result {
        var state = State(x: start, objective: objective)
        var history = history
        if let diagonal = inverseHessianDiagonal {
            precondition(diagonal.count == start.count, "inverseHessianDiagonal needs one entry per coordinate")
            history.diagonal = diagonal
        }
        var direction = [Double]()
        var iterations = 0
        if BLAS.maxMagnitude(state.gradient) <= gradientTolerance {
            return state.result(iterations: 0, stop: .gradientTolerance)
        }
        while true {
            if iterations >= maxIterations { return state.result(iterations: iterations, stop: .maxIterations) }
            if state.evaluations >= maxEvaluations { return state.result(iterations: iterations, stop: .maxEvaluations) }
            history.direction(for: state.gradient, into: &direction)
            var slope = BLAS.dot(direction, state.gradient)
            if !(slope < 0) {
                // Not a descent direction (rounding in the history): restart from steepest descent.
                history.clear()
                history.direction(for: state.gradient, into: &direction)
                slope = BLAS.dot(direction, state.gradient)
                guard slope < 0 else { return state.result(iterations: iterations, stop: .lineSearchFailed) }
            }
            // Like L-BFGS-B: the first iteration's first step has unit length, every later one tries the full
            // quasi-Newton step (a restart too). With a diagonal the length is that of the rescaled step,
            // `‖D^(1/2)·g‖ = √(gᵀDg) = √(−slope)`.
            let initialStep = iterations > 0 ? 1.0
                : min(Self.maximumStep, history.diagonal == nil ? 1.0 / BLAS.nrm2(direction) : 1.0 / (-slope).squareRoot())
            let previousValue = state.value
            guard let (alpha, endSlope) = lineSearch(&state, direction: direction, slope: slope, initialStep: initialStep) else {
                // L-BFGS-B's answer to a failed search: forget the history and search again along −∇f.
                if history.isEmpty { return state.result(iterations: iterations, stop: .lineSearchFailed) }
                history.clear()
                continue
            }
            iterations += 1
            state.acceptTrial()
            // scipy stops at the limit before its tests and the update: the same point, reported as the limit.
            if iterations >= maxIterations { return state.result(iterations: iterations, stop: .maxIterations) }
            if BLAS.maxMagnitude(state.gradient) <= gradientTolerance {
                return state.result(iterations: iterations, stop: .gradientTolerance)
            }
            let scale = max(abs(previousValue), abs(state.value), 1)
            if (previousValue - state.value) / scale <= functionTolerance {
                return state.result(iterations: iterations, stop: .functionTolerance)
            }
            // s = α·d, scaled in the direction's own buffer, and y = ∇f(x+αd) − ∇f(x), written over the old
            // gradient (`aᵢ − gᵢ`, the correctly rounded difference). `Double` pairs take the two buffers and hand
            // back the storage of the pair they evict (1.4 GB fewer for the 87M-parameter 1–2-gram model than
            // fresh ones); `Float` pairs are rounded copies and leave the buffers here.
            BLAS.scal(alpha, &direction)
            Self.subtract(state.gradient, from: &state.trialGradient)
            // sᵀy and −sᵀ∇f from the search's slopes, as L-BFGS-B takes them; the pair is skipped, as there,
            // unless its curvature is positive beyond rounding.
            let curvature = (endSlope - slope) * alpha
            if curvature > Double.ulpOfOne * (-slope * alpha) {
                history.append(step: &direction, gradientChange: &state.trialGradient, curvature: curvature)
            }
            if state.trialGradient.count != state.x.count {
                state.trialGradient = [Double](repeating: 0, count: state.x.count)
            }
        }
    }

    /// `y ← a − y` in place (`a` the new gradient, `y` holding the old one): the bits of `y ← a; y ← y − old`.
    static func subtract(_ a: [Double], from y: inout [Double]) {
        y.withUnsafeMutableBufferPointer { yBuffer in
            a.withUnsafeBufferPointer { aBuffer in
                let yBase = yBuffer.baseAddress!, aBase = aBuffer.baseAddress!
                forEachChunk(count: yBuffer.count) { j in yBase[j] = aBase[j] - yBase[j] }
            }
        }
    }

    /// Runs `body(j)` for every `j < n`, over `BLAS.chunkLength` chunks on all cores: for elementwise
    /// loops, whose results do not depend on the partition.
    @inline(__always)
    static func forEachChunk(count n: Int, _ body: (Int) -> Void) {
        BLAS.forEachChunk(count: n) { chunk in
            var j = chunk.lowerBound
            while j < chunk.upperBound {
                body(j)
                j += 1
            }
        }
    }

    /// The sum of `part(start, end)` over the `BLAS.chunkLength` chunks of `0..<n`, on all cores, the parts
    /// added in chunk order: the partition is fixed, so the bits never depend on the thread count.
    @inline(__always)
    static func sumOverChunks(count n: Int, _ part: (_ start: Int, _ end: Int) -> Double) -> Double {
        BLAS.chunkResults(count: n) { chunk in part(chunk.lowerBound, chunk.upperBound) }.reduce(0, +)
    }

    /// `target ← source`, reusing `target`'s storage when it already has the size.
    static func copy(_ source: [Double], into target: inout [Double]) {
        guard target.count == source.count else {
            target = source
            return
        }
        target.withUnsafeMutableBufferPointer { t in
            source.withUnsafeBufferPointer { BLAS.copy($0, t) }
        }
    }

    // MARK: - Line search

    /// Searches along `direction` from `state`'s point by `MoreThuente`, as L-BFGS-B does, and returns the step
    /// taken and the slope `∇f·d` there, leaving that point in `state`'s trial (`acceptTrial()` moves there); nil
    /// when `maxLineSearchSteps` evaluations did not end the search.
    ///
    /// The step taken is always the last one evaluated, so one trial buffer is enough. A trial whose value or
    /// slope is not finite (an overflow far along the ray, which L-BFGS-B has no answer to) starts the search
    /// again from a step a quarter as long.
    func lineSearch(_ state: inout State, direction: [Double], slope: Double, initialStep: Double) -> (step: Double, slope: Double)? {
        func start(_ step: Double) -> MoreThuente {
            MoreThuente(value: state.value, slope: slope, step: step, tolerances: lineSearchTolerances, maximumStep: Self.maximumStep)
        }
        var search = start(initialStep)
        var step = initialStep
        for _ in 0..<maxLineSearchSteps {
            let value = state.evaluateTrial(at: step, along: direction)
            let trialSlope = BLAS.dot(state.trialGradient, direction)
            guard value.isFinite, trialSlope.isFinite else {
                step /= 4
                search = start(step)
                continue
            }
            switch search.next(step: step, value: value, slope: trialSlope) {
            case .evaluate(let next): step = next
            case .done: return (step, trialSlope)
            }
        }
        return nil
    }
}

extension LBFGS {
    /// The current point with its value and gradient, the line search's trial point, and the count of
    /// objective evaluations.
    struct State {
        var x: [Double]
        var value: Double
        var gradient: [Double]
        var trialX: [Double]
        var trialValue = Double.nan
        var trialGradient: [Double]
        var evaluations = 1
        let objective: Objective

        init(x: [Double], objective: @escaping Objective) {
            self.x = x
            self.objective = objective
            gradient = [Double](repeating: 0, count: x.count)
            value = objective(x, &gradient)
            trialX = [Double](repeating: 0, count: x.count)
            trialGradient = [Double](repeating: 0, count: x.count)
        }

        /// Evaluates `x + α·direction` into the trial buffers and returns its value.
        mutating func evaluateTrial(at alpha: Double, along direction: [Double]) -> Double {
            LBFGS.copy(x, into: &trialX)
            BLAS.axpy(alpha, direction, &trialX)
            trialValue = objective(trialX, &trialGradient)
            evaluations += 1
            return trialValue
        }

        /// Moves to the trial point; the old point's buffers become the next trial's.
        mutating func acceptTrial() {
            swap(&x, &trialX)
            swap(&gradient, &trialGradient)
            value = trialValue
        }

        func result(iterations: Int, stop: Stop) -> Result {
            Result(x: x, value: value, gradient: gradient, iterations: iterations, evaluations: evaluations, stop: stop)
        }
    }

    /// The last m pairs `(s, y)` and the two-loop recursion that applies the inverse-Hessian estimate.
    ///
    /// `Element` is the pairs' storage. The point, the gradient, `q` and every sum stay in `Double`, so the
    /// tolerances mean the same; `sᵀy` and `yᵀy` are taken from the `Double` vectors before any rounding.
    struct History<Element: HistoryElement> {
        let capacity: Int
        var steps: [[Element]] = []
        var changes: [[Element]] = []
        var rho: [Double] = []
        /// `sᵀy / yᵀy` (or `sᵀy / yᵀDy`) of the newest pair: the scale of the initial inverse Hessian.
        var gamma = 1.0
        /// The initial inverse Hessian's diagonal `D`, or nil for the identity.
        var diagonal: [Double]?
        /// Storage for the next pair: the last evicted one.
        var spare: (step: [Element], change: [Element]) = ([], [])

        init(capacity: Int) { self.capacity = max(1, capacity) }

        var isEmpty: Bool { steps.isEmpty }

        mutating func clear() { steps = []; changes = []; rho = [] }

        /// Keeps the pair `(s, y)` with `curvature` = `sᵀy` (positive). The vectors may come back holding other
        /// storage of any size (`Double` pairs swap them with the evicted pair's); callers re-size them.
        mutating func append(step s: inout [Double], gradientChange y: inout [Double], curvature sy: Double) {
            let yy = BLAS.dot(y, y)
            let yDy = diagonal.map { Self.weightedSquares(y, $0) } ?? yy
            if steps.count == capacity {
                spare = (steps.removeFirst(), changes.removeFirst())
                rho.removeFirst()
            }
            var (step, change) = spare
            spare = ([], [])
            Element.store(&s, into: &step)
            Element.store(&y, into: &change)
            steps.append(step); changes.append(change); rho.append(1 / sy)
            gamma = sy / yDy
        }

        /// `Σ yᵢ²·dᵢ`, each chunk summed in index order (``LBFGS/sumOverChunks(count:_:)``).
        static func weightedSquares(_ y: [Double], _ d: [Double]) -> Double {
            y.withUnsafeBufferPointer { yBuffer in
                d.withUnsafeBufferPointer { dBuffer in
                    let yBase = yBuffer.baseAddress!, dBase = dBuffer.baseAddress!
                    return LBFGS.sumOverChunks(count: yBuffer.count) { start, end in
                        var sum = 0.0
                        for j in start..<end { sum += yBase[j] * yBase[j] * dBase[j] }
                        return sum
                    }
                }
            }
        }

        /// `−H·g` by the two-loop recursion (`−D·g`, or `−g`, while the history is empty).
        ///
        /// Each axpy (and scaling) is fused with the dot product that follows it into one pass over `q`, which
        /// halves the memory traffic. Elementwise operations and the summation order (chunks as `BLAS.dot`
        /// makes them, each summed in index order) are those of the separate BLAS calls, so with `Double`
        /// pairs the bits are too, and they never depend on the thread count.
        func direction(for gradient: [Double], into q: inout [Double]) {
            LBFGS.copy(gradient, into: &q)
            let count = steps.count
            guard count > 0, !q.isEmpty else {
                if let diagonal {
                    q.withUnsafeMutableBufferPointer { qBuffer in
                        let qBase = qBuffer.baseAddress!
                        diagonal.withUnsafeBufferPointer { d in
                            let dBase = d.baseAddress!
                            LBFGS.forEachChunk(count: qBuffer.count) { j in qBase[j] = -(dBase[j] * qBase[j]) }
                        }
                    }
                } else {
                    BLAS.scal(-1, &q)
                }
                return
            }
            var alphas = [Double](repeating: 0, count: count)
            q.withUnsafeMutableBufferPointer { qBuffer in
                let qBase = qBuffer.baseAddress!, n = qBuffer.count
                func pass(axpy alpha: Double = 0, _ x: [Element]? = nil, scale: Double? = nil, dot next: [Element]? = nil) -> Double {
                    Self.fusedPass(qBase, count: n, alpha: alpha, x: x, scale: scale, next: next)
                }
                var product = pass(dot: steps[count - 1])
                for i in stride(from: count - 1, through: 0, by: -1) {
                    alphas[i] = rho[i] * product
                    product = i > 0 ? pass(axpy: -alphas[i], changes[i], dot: steps[i - 1])
                        : diagonal.map { Self.diagonalPass(qBase, count: n, alpha: -alphas[i], x: changes[0], scale: gamma, diagonal: $0) }
                        ?? pass(axpy: -alphas[i], changes[i], scale: gamma, dot: changes[0])
                }
                for i in 0..<count {
                    let beta = rho[i] * product
                    product = i + 1 < count
                        ? pass(axpy: alphas[i] - beta, steps[i], dot: changes[i + 1])
                        : pass(axpy: alphas[i] - beta, steps[i], scale: -1)
                }
            }
        }

        /// The middle of the recursion with a diagonal, in one pass over fixed chunks: `q ← q + alpha·x`, then
        /// `qⱼ ← scale·(dⱼ·qⱼ)`, and returns `x · q`. Its own loop, so `fusedPass` (every other pass, and this one
        /// without a diagonal) stays as it was.
        static func diagonalPass(
            _ q: UnsafeMutablePointer<Double>, count n: Int, alpha: Double, x: [Element], scale: Double, diagonal: [Double]
        ) -> Double {
            x.withUnsafeBufferPointer { xBuffer in
                diagonal.withUnsafeBufferPointer { dBuffer in
                    let xBase = xBuffer.baseAddress!, dBase = dBuffer.baseAddress!
                    return LBFGS.sumOverChunks(count: n) { start, end in
                        var sum = 0.0
                        for j in start..<end {
                            let v = scale * (dBase[j] * (q[j] + alpha * xBase[j].double))
                            q[j] = v
                            sum += xBase[j].double * v
                        }
                        return sum
                    }
                }
            }
        }

        /// In one pass over fixed chunks: `q ← q + alpha·x` (skipped when `x` is nil or `alpha` is 0, as
        /// `daxpy` does), then `q ← scale·q`, then returns `next · q` (0 when `next` is nil), in `Double`.
        static func fusedPass(
            _ q: UnsafeMutablePointer<Double>, count n: Int, alpha: Double, x: [Element]?, scale: Double?, next: [Element]?
        ) -> Double {
            let xs = alpha != 0 ? x : nil
            func run(_ start: Int, _ length: Int) -> Double {
                var sum = 0.0
                withOptionalPointer(xs) { xBase in
                    withOptionalPointer(next) { nextBase in
                        var j = start
                        let end = start + length
                        while j < end {
                            var v = q[j]
                            if let xBase { v = v + alpha * xBase[j].double }
                            if let scale { v = scale * v }
                            q[j] = v
                            if let nextBase { sum = sum + nextBase[j].double * v }
                            j += 1
                        }
                    }
                }
                return sum
            }
            guard n >= 2 * BLAS.chunkLength else { return run(0, n) }
            return LBFGS.sumOverChunks(count: n) { start, end in run(start, end - start) }
        }

        static func withOptionalPointer(_ array: [Element]?, _ body: (UnsafePointer<Element>?) -> Void) {
            if let array { array.withUnsafeBufferPointer { body($0.baseAddress!) } } else { body(nil) }
        }
    }
}

/// A storage type for L-BFGS history pairs.
protocol HistoryElement: Sendable {
    /// The value widened to `Double` for the two-loop recursion's arithmetic.
    var double: Double { get }
    /// Keeps `source` in `target`; `source` is left holding storage of any size (possibly empty).
    static func store(_ source: inout [Double], into target: inout [Self])
}

extension Double: HistoryElement {
    var double: Double { self }
    /// Takes `source`'s storage and hands it `target`'s old one: no copy.
    static func store(_ source: inout [Double], into target: inout [Double]) { swap(&source, &target) }
}

extension Float: HistoryElement {
    var double: Double { Double(self) }
    /// Rounds `source` into `target` (re-using its storage when it has the size), chunks on all cores.
    static func store(_ source: inout [Double], into target: inout [Float]) {
        if target.count != source.count { target = [Float](repeating: 0, count: source.count) }
        target.withUnsafeMutableBufferPointer { t in
            source.withUnsafeBufferPointer { s in
                let tBase = t.baseAddress!, sBase = s.baseAddress!
                LBFGS.forEachChunk(count: s.count) { j in tBase[j] = Float(sBase[j]) }
            }
        }
    }
}
