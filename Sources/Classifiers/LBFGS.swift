import Dispatch
import LinearAlgebra

/// Limited-memory BFGS for smooth unconstrained minimisation, blind to the function it minimises.
///
/// The search direction comes from the two-loop recursion over the last `historySize` steps
/// (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 7.4), with the initial inverse Hessian
/// `γ·I`, `γ = sᵀy / yᵀy`, or `γ·D` for a given positive diagonal `D` (`γ = sᵀy / yᵀDy`): L-BFGS on the
/// rescaled variables `v = D^(−1/2)·x`, which a caller that knows its problem's curvature per coordinate uses
/// to take far fewer iterations. Steps satisfy the strong Wolfe conditions (Algorithms 3.5–3.6, cubic
/// interpolation in the zoom). Stopping mirrors scipy's L-BFGS-B as scikit-learn calls it:
/// `max|∇f| ≤ gradientTolerance`, or a relative decrease `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ functionTolerance`, or `maxIterations`.
/// All vector arithmetic is BLAS on whole vectors, so it is fast even in debug builds, and deterministic.
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
    /// Function evaluations allowed in one line search.
    public var maxLineSearchSteps = 50
    /// Sufficient-decrease (Armijo) constant of the Wolfe conditions.
    public var sufficientDecrease = 1e-4
    /// Curvature constant of the strong Wolfe conditions.
    public var curvature = 0.9
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
            }
            // Like L-BFGS-B: the first step has unit length, later ones try the full quasi-Newton step. With a
            // diagonal the length is that of the rescaled step, `‖D^(1/2)·g‖ = √(gᵀDg) = √(−slope)`.
            let initialStep = !history.isEmpty ? 1.0
                : history.diagonal == nil ? min(1.0, 1.0 / BLAS.nrm2(direction)) : min(1.0, 1.0 / (-slope).squareRoot())
            let previousValue = state.value
            guard let alpha = lineSearch(&state, direction: direction, slope: slope, initialStep: initialStep) else {
                return state.result(iterations: iterations, stop: .lineSearchFailed)
            }
            // s = α·d, scaled in the direction's own buffer, and y = ∇f(x+αd) − ∇f(x), written over the old
            // gradient once the state has moved (`tᵢ + (−1)·gᵢ` as `axpy` computes it is the correctly
            // rounded `tᵢ − gᵢ`, so these are the bits of a separate copy). `Double` pairs take the two
            // buffers and hand back the storage of the pair they evict (1.4 GB fewer for the 87M-parameter
            // 1–2-gram model than fresh ones); `Float` pairs are rounded copies and leave the buffers here.
            BLAS.scal(alpha, &direction)
            state.acceptTrial()
            Self.subtract(state.gradient, from: &state.trialGradient)
            iterations += 1
            history.append(step: &direction, gradientChange: &state.trialGradient)
            if state.trialGradient.count != state.x.count {
                state.trialGradient = [Double](repeating: 0, count: state.x.count)
            }
            let scale = max(abs(previousValue), abs(state.value), 1)
            if (previousValue - state.value) / scale <= functionTolerance {
                return state.result(iterations: iterations, stop: .functionTolerance)
            }
            if BLAS.maxMagnitude(state.gradient) <= gradientTolerance {
                return state.result(iterations: iterations, stop: .gradientTolerance)
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
        let chunk = BLAS.chunkLength
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: (n + chunk - 1) / chunk) { c in
                var j = c * chunk
                let end = min(n, j + chunk)
                while j < end {
                    body(j)
                    j += 1
                }
            }
        }
    }

    /// The sum of `part(start, end)` over the `BLAS.chunkLength` chunks of `0..<n`, on all cores, the parts
    /// added in chunk order: the partition is fixed, so the bits never depend on the thread count.
    @inline(__always)
    static func sumOverChunks(count n: Int, _ part: (_ start: Int, _ end: Int) -> Double) -> Double {
        let chunk = BLAS.chunkLength, chunks = (n + chunk - 1) / chunk
        var partial = [Double](repeating: 0, count: chunks)
        withoutActuallyEscaping(part) { part in
            partial.withUnsafeMutableBufferPointer { sums in
                let sumBase = sums.baseAddress!
                DispatchQueue.concurrentPerform(iterations: chunks) { c in sumBase[c] = part(c * chunk, min(n, (c + 1) * chunk)) }
            }
        }
        return partial.reduce(0, +)
    }

    /// `target ← source`, reusing `target`'s storage when it already has the size.
    static func copy(_ source: [Double], into target: inout [Double]) {
        guard target.count == source.count else {
            target = source
            return
        }
        target.withUnsafeMutableBufferPointer { t in
            source.withUnsafeBufferPointer { t.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    // MARK: - Line search (strong Wolfe)

    /// Finds `α` with `f(x+αd) ≤ f(x) + c₁α∇f·d` and `|∇f(x+αd)·d| ≤ c₂|∇f·d|` and returns it, leaving that
    /// point in `state`'s trial (`acceptTrial()` moves there); nil when none is found.
    ///
    /// Both loops stop at the first point that meets the conditions, so the point chosen is always the last
    /// one evaluated, and one trial buffer is enough.
    func lineSearch(_ state: inout State, direction: [Double], slope: Double, initialStep: Double) -> Double? {
        let f0 = state.value
        var trial = Trial(alpha: 0, value: f0, slope: slope)
        var previous = trial
        var alpha = initialStep
        var found = false
        var steps = 0
        func evaluate(_ a: Double) -> Trial {
            let value = state.evaluateTrial(at: a, along: direction)
            steps += 1
            let t = Trial(alpha: a, value: value, slope: BLAS.dot(state.trialGradient, direction))
            found = t.value.isFinite && t.value <= f0 + sufficientDecrease * a * slope && abs(t.slope) <= -curvature * slope
            return t
        }
        var low = trial, high = trial
        var bracketed = false
        while steps < maxLineSearchSteps {
            trial = evaluate(alpha)
            if found { break }
            if !trial.value.isFinite || trial.value > f0 + sufficientDecrease * alpha * slope
                || (steps > 1 && trial.value >= previous.value) {
                low = previous; high = trial; bracketed = true
                break
            }
            if trial.slope >= 0 {
                low = trial; high = previous; bracketed = true
                break
            }
            previous = trial
            alpha *= 4
        }
        if !found, bracketed {
            while steps < maxLineSearchSteps {
                let a = Self.interpolate(low, high)
                trial = evaluate(a)
                if found { break }
                if !trial.value.isFinite || trial.value > f0 + sufficientDecrease * a * slope || trial.value >= low.value {
                    high = trial
                } else {
                    if trial.slope * (high.alpha - low.alpha) >= 0 { high = low }
                    low = trial
                }
                if abs(high.alpha - low.alpha) <= 1e-16 * max(1, abs(low.alpha)) { break }
            }
        }
        // Accept a point with sufficient decrease even if the curvature condition was not met at the end.
        if !found, steps > 0, trial.value.isFinite,
           trial.value <= f0 + sufficientDecrease * trial.alpha * slope, trial.value < f0 {
            found = true
        }
        return found ? trial.alpha : nil
    }

    struct Trial { var alpha: Double; var value: Double; var slope: Double }

    /// The minimiser of the cubic through two trials (values and slopes), kept inside the bracket;
    /// bisection when the cubic is unusable.
    static func interpolate(_ a: Trial, _ b: Trial) -> Double {
        let lo = min(a.alpha, b.alpha), hi = max(a.alpha, b.alpha)
        let middle = (lo + hi) / 2
        guard a.value.isFinite, b.value.isFinite, a.slope.isFinite, b.slope.isFinite else { return middle }
        let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.alpha - b.alpha)
        let radicand = d1 * d1 - a.slope * b.slope
        guard radicand >= 0 else { return middle }
        let d2 = (b.alpha > a.alpha ? 1.0 : -1.0) * radicand.squareRoot()
        let candidate = b.alpha - (b.alpha - a.alpha) * (b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2)
        let margin = 0.1 * (hi - lo)
        guard candidate.isFinite, candidate >= lo + margin, candidate <= hi - margin else { return middle }
        return candidate
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

        /// Keeps the pair `(s, y)`, unless it lacks positive curvature. The vectors may come back holding
        /// other storage of any size (`Double` pairs swap them with the evicted pair's); callers re-size them.
        mutating func append(step s: inout [Double], gradientChange y: inout [Double]) {
            let sy = BLAS.dot(s, y), yy = BLAS.dot(y, y)
            // Skip pairs without positive curvature: they would break positive definiteness.
            guard sy > Double.ulpOfOne * yy else { return }
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
