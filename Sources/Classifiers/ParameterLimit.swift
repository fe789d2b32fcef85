/// The largest magnitude a learned number (weight, intercept, log-probability) may have in a model.
///
/// Why a bound on the parameters, checked once when a model is made or read, rather than only a
/// check of each row's scores: huge but finite parameters do not overflow, they silently lose the
/// softmax's resolution. With intercepts of 1e308 a row's scores are about 1e308, whose spacing
/// between doubles dwarfs the ln k of the normaliser, so every probability comes out 0 or 1 (two
/// classes at 1.0 each); no score is NaN for a row check to catch. Feature values are bounded (an
/// L2-normalised TF-IDF row, votes ≤ 100 each, a scaled unit embedding), so bounded parameters give
/// scores the softmax resolves. 1e8 is far above what training reaches (the L2 penalty keeps
/// logistic weights below √(2·C·n·ln k), about 3e6 for C = 1e6 and a million papers; naive Bayes
/// log-probabilities stay above −10^3) and far below where precision fails (ulp(1e10) ≈ 2e-6).
public enum ParameterLimit {
    public static let magnitude = 1e8
    /// ``magnitude`` as messages print it.
    public static let magnitudeText = "1e8"

    /// The index of the first value that is NaN, infinite or beyond ±``magnitude``, or nil.
    public static func firstViolation(in values: [Double]) -> Int? {
        values.firstIndex { !(abs($0) <= magnitude) }
    }

    /// True when every value is finite and within ±``magnitude``.
    public static func allowsAll(_ values: [Double]) -> Bool { firstViolation(in: values) == nil }
}
