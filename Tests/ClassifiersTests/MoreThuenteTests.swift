@testable import Classifiers
import Foundation
import Testing
import TestSupport

/// The line search against scipy's own port of MINPACK-2's `dcsrch` (`scipy.optimize._dcsrch`, the routine
/// L-BFGS-B calls), trial by trial, on the test functions of Moré and Thuente's paper.
@Suite("Moré–Thuente line search")
struct MoreThuenteTests {
    struct Case: Decodable {
        var function: String
        var start: Double
        var ftol: Double
        var gtol: Double
        var trials: [Double]
    }
    struct Cases: Decodable { var cases: [Case] }

    /// φ and φ′ of the paper's functions, written as the script writes them.
    static func function(_ name: String) -> (Double) -> (value: Double, slope: Double) {
        switch name {
        case "rational":
            return { a in (-a / (a * a + 2), (a * a - 2) / pow(a * a + 2, 2)) }
        case "quintic":
            return { a in (pow(a + 0.004, 5) - 2 * pow(a + 0.004, 4), 5 * pow(a + 0.004, 4) - 8 * pow(a + 0.004, 3)) }
        default:
            return { a in
                let base = a <= 0.99 ? 1 - a : a >= 1.01 ? a - 1 : pow(a - 1, 2) / 0.02 + 0.005
                let baseSlope = a <= 0.99 ? -1 : a >= 1.01 ? 1 : (a - 1) / 0.01
                return (base + 2 * 0.99 / (39 * Double.pi) * sin(39 * Double.pi * a / 2),
                        baseSlope + 0.99 * cos(39 * Double.pi * a / 2))
            }
        }
    }

    @Test("takes scipy's trial steps on the paper's test functions, from four starting steps each")
    func sameTrialsAsScipy() throws {
        let run = try ProcessRunner.python("Tests/ClassifiersTests/Scripts/dcsrch_trials.py", [])
        try #require(run.status == 0, "\(run.stderrText)")
        let cases = try JSONDecoder().decode(Cases.self, from: run.stdout).cases
        #expect(cases.count == 12)
        for reference in cases {
            let phi = Self.function(reference.function)
            let origin = phi(0)
            var search = MoreThuente(
                value: origin.value, slope: origin.slope, step: reference.start,
                tolerances: .init(sufficientDecrease: reference.ftol, curvature: reference.gtol, interval: 0.1))
            var trials: [Double] = []
            var step = reference.start
            while trials.count < 50 {
                trials.append(step)
                let point = phi(step)
                guard case .evaluate(let next) = search.next(step: step, value: point.value, slope: point.slope) else { break }
                step = next
            }
            let label = "\(reference.function) from \(reference.start)"
            #expect(trials.count == reference.trials.count, "\(label): \(trials) against \(reference.trials)")
            for (ours, theirs) in zip(trials, reference.trials) {
                #expect(abs(ours - theirs) <= 1e-12 * max(1, abs(theirs)), "\(label): \(trials) against \(reference.trials)")
            }
        }
    }
}
