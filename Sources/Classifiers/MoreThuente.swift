/// The line search of Moré and Thuente ("Line search algorithms with guaranteed sufficient decrease", ACM TOMS
/// 20(3), 1994), step for step as MINPACK-2's `dcsrch` and `dcstep` compute it: the search scipy's L-BFGS-B
/// runs, and so scikit-learn's `LogisticRegression(solver="lbfgs")`.
///
/// It looks along a ray for a step `α` with sufficient decrease, `φ(α) ≤ φ(0) + ftol·α·φ'(0)`, and curvature,
/// `|φ'(α)| ≤ gtol·|φ'(0)|`, keeping an interval that contains such a step and choosing each trial by safeguarded
/// cubic or quadratic interpolation. The caller evaluates the trials it asks for:
///
///     var search = MoreThuente(value: φ(0), slope: φ'(0), step: α₀)
///     var α = α₀
///     while case .evaluate(let next) = search.next(step: α, value: φ(α), slope: φ'(α)) { α = next }
///     // α is the step found: the last one evaluated.
///
/// A search ends at a step that meets both conditions, or with one of `dcsrch`'s warnings (rounding errors
/// prevent progress, the interval is within `xtol`, or the step is at a bound); L-BFGS-B takes the last step
/// evaluated either way, and so does `LBFGS`.
struct MoreThuente {
    /// What the caller does next.
    enum Outcome: Equatable {
        /// Evaluate `φ` and `φ'` at this step and call `next` again.
        case evaluate(Double)
        /// The search is over: the last step evaluated is the one to take.
        case done
    }

    /// `ftol`, `gtol` and `xtol` as L-BFGS-B passes them to `dcsrch`.
    struct Tolerances {
        var sufficientDecrease = 1e-3
        var curvature = 0.9
        var interval = 0.1
    }

    private let tolerances: Tolerances
    private let minimumStep: Double, maximumStep: Double
    private let initialValue: Double, initialSlope: Double
    /// `ftol·φ'(0)`: the slope of the sufficient-decrease line.
    private let decreaseSlope: Double
    private var bracketed = false
    /// Stage 1 until a step has `ψ(α) ≤ 0` and `φ'(α) ≥ 0`, where `ψ(α) = φ(α) − φ(0) − ftol·α·φ'(0)`.
    private var firstStage = true
    private var width: Double, previousWidth: Double
    /// The step with the least value so far (`stx`) and the other end of the interval (`sty`).
    private var best: Point, other: Point
    /// The interval the next step must lie in.
    private var lowerLimit = 0.0, upperLimit: Double

    struct Point {
        var step: Double
        var value: Double
        var slope: Double
    }

    /// Starts a search from `φ(0) = value`, `φ'(0) = slope < 0`, whose first trial will be `step`.
    init(value: Double, slope: Double, step: Double, tolerances: Tolerances = Tolerances(),
         minimumStep: Double = 0, maximumStep: Double = 1e10) {
        precondition(slope < 0, "a line search needs a descent direction")
        precondition(step >= minimumStep && step <= maximumStep, "the first step lies between the bounds")
        self.tolerances = tolerances
        self.minimumStep = minimumStep
        self.maximumStep = maximumStep
        initialValue = value
        initialSlope = slope
        decreaseSlope = tolerances.sufficientDecrease * slope
        width = maximumStep - minimumStep
        previousWidth = width / 0.5
        best = Point(step: 0, value: value, slope: slope)
        other = best
        upperLimit = step + 4 * step
    }

    /// Takes `φ(step)` and `φ'(step)` of the trial just evaluated, both finite, and says what to do next.
    mutating func next(step: Double, value: Double, slope: Double) -> Outcome {
        precondition(value.isFinite && slope.isFinite, "dcsrch takes finite values and slopes")
        let decreaseLine = initialValue + step * decreaseSlope
        if firstStage, value <= decreaseLine, slope >= 0 { firstStage = false }
        // dcsrch's warnings and its convergence test: each ends the search at this step.
        if bracketed, step <= lowerLimit || step >= upperLimit { return .done }
        if bracketed, upperLimit - lowerLimit <= tolerances.interval * upperLimit { return .done }
        if step == maximumStep, value <= decreaseLine, slope <= decreaseSlope { return .done }
        if step == minimumStep, value > decreaseLine || slope >= decreaseSlope { return .done }
        if value <= decreaseLine, abs(slope) <= tolerances.curvature * -initialSlope { return .done }

        var trial = Point(step: step, value: value, slope: slope)
        var nextStep: Double
        if firstStage, value <= best.value, value > decreaseLine {
            // A lower value without sufficient decrease: interpolate the modified function ψ, which keeps
            // the search from settling on a step that never reaches the decrease line.
            func shifted(_ p: Point) -> Point {
                Point(step: p.step, value: p.value - p.step * decreaseSlope, slope: p.slope - decreaseSlope)
            }
            var x = shifted(best), y = shifted(other)
            trial = shifted(trial)
            nextStep = Self.step(best: &x, other: &y, trial: trial, bracketed: &bracketed,
                                 lower: lowerLimit, upper: upperLimit)
            best = Point(step: x.step, value: x.value + x.step * decreaseSlope, slope: x.slope + decreaseSlope)
            other = Point(step: y.step, value: y.value + y.step * decreaseSlope, slope: y.slope + decreaseSlope)
        } else {
            nextStep = Self.step(best: &best, other: &other, trial: trial, bracketed: &bracketed,
                                 lower: lowerLimit, upper: upperLimit)
        }
        if bracketed {
            // Bisect when the interval has not shrunk enough in two trials.
            if abs(other.step - best.step) >= 0.66 * previousWidth { nextStep = best.step + 0.5 * (other.step - best.step) }
            previousWidth = width
            width = abs(other.step - best.step)
            lowerLimit = min(best.step, other.step)
            upperLimit = max(best.step, other.step)
        } else {
            lowerLimit = nextStep + 1.1 * (nextStep - best.step)
            upperLimit = nextStep + 4 * (nextStep - best.step)
        }
        nextStep = min(max(nextStep, minimumStep), maximumStep)
        // No progress possible: try the best step so far once more (the next call then ends the search).
        if bracketed, nextStep <= lowerLimit || nextStep >= upperLimit || upperLimit - lowerLimit <= tolerances.interval * upperLimit {
            nextStep = best.step
        }
        guard nextStep.isFinite else { return .done }
        return .evaluate(nextStep)
    }

    /// The terms of the cubic through `a` and `b` (values and slopes) that every case of `dcstep` starts from:
    /// `θ = 3(f_a − f_b)/(α_b − α_a) + f′_a + f′_b` and the magnitude of `γ = ±√(θ² − f′_a·f′_b)`, computed scaled by
    /// `s = max(|θ|, |f′_a|, |f′_b|)` against overflow, as `dcstep` does; `clampingRadicand` takes `max(0, …)` under
    /// the root (its third case). Each case gives `γ` its sign. (`dcstep`'s fourth case writes θ with `a` and `b`
    /// swapped in both differences, which is the same number.)
    private static func cubicTerms(_ a: Point, _ b: Point, clampingRadicand: Bool = false) -> (theta: Double, magnitude: Double) {
        let theta = 3 * (a.value - b.value) / (b.step - a.step) + a.slope + b.slope
        let s = max(abs(theta), abs(a.slope), abs(b.slope))
        let radicand = (theta / s) * (theta / s) - (a.slope / s) * (b.slope / s)
        return (theta, s * (clampingRadicand ? max(0, radicand) : radicand).squareRoot())
    }

    /// `dcstep`: the safeguarded next step from the interval's ends and the trial, updating the interval.
    static func step(best x: inout Point, other y: inout Point, trial p: Point, bracketed: inout Bool,
                     lower: Double, upper: Double) -> Double {
        let opposite = (p.slope < 0) != (x.slope < 0) && p.slope != 0 && x.slope != 0
        var next: Double
        if p.value > x.value {
            // A higher value: the minimum is bracketed. The cubic step, or halfway to the quadratic one.
            let (theta, magnitude) = cubicTerms(x, p)
            let gamma = p.step < x.step ? -magnitude : magnitude
            let r = ((gamma - x.slope) + theta) / (((gamma - x.slope) + gamma) + p.slope)
            let cubic = x.step + r * (p.step - x.step)
            let quadratic = x.step + ((x.slope / ((x.value - p.value) / (p.step - x.step) + x.slope)) / 2) * (p.step - x.step)
            next = abs(cubic - x.step) < abs(quadratic - x.step) ? cubic : cubic + (quadratic - cubic) / 2
            bracketed = true
        } else if opposite {
            // A lower value and slopes of opposite sign: bracketed. The cubic or the secant step, the farther.
            let (theta, magnitude) = cubicTerms(x, p)
            let gamma = p.step > x.step ? -magnitude : magnitude
            let r = ((gamma - p.slope) + theta) / (((gamma - p.slope) + gamma) + x.slope)
            let cubic = p.step + r * (x.step - p.step)
            let secant = p.step + (p.slope / (p.slope - x.slope)) * (x.step - p.step)
            next = abs(cubic - p.step) > abs(secant - p.step) ? cubic : secant
            bracketed = true
        } else if abs(p.slope) < abs(x.slope) {
            // A lower value, slopes of the same sign, the slope's magnitude decreasing.
            let (theta, magnitude) = cubicTerms(x, p, clampingRadicand: true)
            let gamma = p.step > x.step ? -magnitude : magnitude
            let r = ((gamma - p.slope) + theta) / ((gamma + (x.slope - p.slope)) + gamma)
            let cubic = r < 0 && gamma != 0 ? p.step + r * (x.step - p.step) : p.step > x.step ? upper : lower
            let secant = p.step + (p.slope / (p.slope - x.slope)) * (x.step - p.step)
            if bracketed {
                next = abs(cubic - p.step) < abs(secant - p.step) ? cubic : secant
                next = p.step > x.step ? min(p.step + 0.66 * (y.step - p.step), next) : max(p.step + 0.66 * (y.step - p.step), next)
            } else {
                next = abs(cubic - p.step) > abs(secant - p.step) ? cubic : secant
                next = max(lower, min(upper, next))
            }
        } else if bracketed {
            // A lower value, slopes of the same sign, not decreasing: the cubic step towards the far end.
            let (theta, magnitude) = cubicTerms(y, p)
            let gamma = p.step > y.step ? -magnitude : magnitude
            let r = ((gamma - p.slope) + theta) / (((gamma - p.slope) + gamma) + y.slope)
            next = p.step + r * (y.step - p.step)
        } else {
            next = p.step > x.step ? upper : lower
        }
        if p.value > x.value {
            y = p
        } else {
            if opposite { y = x }
            x = p
        }
        return next
    }
}
