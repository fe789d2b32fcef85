import Foundation

/// The scores of a model on one labelled set, optionally beside a baseline's (e.g. "model vs
/// keywords"), rendered as Markdown for people and JSON for tools.
public struct EvaluationReport: Sendable {
    public var title: String
    public var modelName: String
    public var model: ClassificationMetrics
    /// The JSON key and column name of the baseline.
    public var baselineName: String
    public var baseline: ClassificationMetrics?
    /// How well the model's (calibrated) top probabilities match its accuracy, when known.
    public var reliability: ReliabilityTable?

    public init(
        title: String, modelName: String = "model", model: ClassificationMetrics,
        baselineName: String = "keywords", baseline: ClassificationMetrics? = nil,
        reliability: ReliabilityTable? = nil
    ) {
        self.title = title
        self.modelName = modelName
        self.model = model
        self.baselineName = baselineName
        self.baseline = baseline
        self.reliability = reliability
    }

    /// Per-class precision/recall/F1/support, accuracy, macro-F1 and the confusion matrices,
    /// with the baseline's columns beside the model's when there is one. Scores have 4 decimals.
    public func markdown() -> String {
        let runs = [(modelName, model)] + (baseline.map { [(baselineName, $0)] } ?? [])
        var labels = model.labels
        for label in baseline?.labels ?? [] where !labels.contains(label) { labels.append(label) }

        var out = "## \(title)\n\n"
        var header = "| class | support |"
        var rule = "|---|---:|"
        for (name, _) in runs {
            header += " \(name) precision | \(name) recall | \(name) F1 |"
            rule += "---:|---:|---:|"
        }
        out += header + "\n" + rule + "\n"
        for label in labels {
            let support = runs.lazy.compactMap { $0.1.metrics(for: label)?.support }.first ?? 0
            var row = "| \(Self.cell(label)) | \(support) |"
            for (_, metrics) in runs {
                if let m = metrics.metrics(for: label) {
                    row += " \(Self.score(m.precision)) | \(Self.score(m.recall)) | \(Self.score(m.f1)) |"
                } else {
                    row += " – | – | – |"
                }
            }
            out += row + "\n"
        }
        out += "\n| metric |" + runs.map { " \($0.0) |" }.joined() + "\n|---|" + String(repeating: "---:|", count: runs.count) + "\n"
        out += "| accuracy |" + runs.map { " \(Self.score($0.1.accuracy)) |" }.joined() + "\n"
        out += "| macro-F1 |" + runs.map { " \(Self.score($0.1.macroF1)) |" }.joined() + "\n"
        out += "| samples |" + runs.map { " \($0.1.sampleCount) |" }.joined() + "\n"
        for (name, metrics) in runs {
            out += "\n**Confusion matrix, \(name)** (rows = true, columns = predicted)\n\n"
            out += "| true \\ predicted |" + metrics.labels.map { " \(Self.cell($0)) |" }.joined() + "\n"
            out += "|---|" + String(repeating: "---:|", count: metrics.labels.count) + "\n"
            for (label, row) in zip(metrics.labels, metrics.confusion) {
                out += "| \(Self.cell(label)) |" + row.map { " \($0) |" }.joined() + "\n"
            }
        }
        if let reliability {
            out += "\n**Reliability, \(modelName)** (papers binned by their top probability)\n\n" + reliability.markdown()
        }
        return out
    }

    /// A class name as one table cell: `|` would start a new column and a line break a new row, so `\` and
    /// `|` are escaped with a backslash and control characters written as `\u{…}` (labels learned with
    /// `--labels auto` can hold anything).
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "|" || scalar == "\\" {
                out += "\\"
                out.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// JSON with keys `labels`, `accuracy`, `macro_f1`, `per_class` {label: {precision, recall,
    /// f1, support}}, `confusion_matrix` (rows = true), `samples`, `title`, `model`, and, with a
    /// baseline, the same score keys under `baselineName` (default `keywords`); with a reliability
    /// table, `ece` and `reliability` [{lower, upper, count, confidence, accuracy}]. Keys sorted.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(JSONReport(report: self))
    }

    static func score(_ value: Double) -> String { String(format: "%.4f", value) }
}

/// The JSON shape of ``EvaluationReport``.
private struct JSONReport: Encodable {
    let report: EvaluationReport

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct Scores: Encodable {
        let metrics: ClassificationMetrics

        struct PerClass: Encodable {
            let precision: Double, recall: Double, f1: Double, support: Int
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try Self.encodeScores(metrics, into: &container)
        }

        static func encodeScores(_ metrics: ClassificationMetrics, into container: inout KeyedEncodingContainer<Key>) throws {
            try container.encode(metrics.labels, forKey: Key("labels"))
            try container.encode(metrics.accuracy, forKey: Key("accuracy"))
            try container.encode(metrics.macroF1, forKey: Key("macro_f1"))
            try container.encode(metrics.confusion, forKey: Key("confusion_matrix"))
            try container.encode(metrics.sampleCount, forKey: Key("samples"))
            let perClass = Dictionary(uniqueKeysWithValues: metrics.perClass.map {
                ($0.label, PerClass(precision: $0.precision, recall: $0.recall, f1: $0.f1, support: $0.support))
            })
            try container.encode(perClass, forKey: Key("per_class"))
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(report.title, forKey: Key("title"))
        try container.encode(report.modelName, forKey: Key("model"))
        try Scores.encodeScores(report.model, into: &container)
        if let baseline = report.baseline {
            try container.encode(Scores(metrics: baseline), forKey: Key(report.baselineName))
        }
        if let reliability = report.reliability {
            try container.encode(reliability.expectedCalibrationError, forKey: Key("ece"))
            try container.encode(reliability.bins.map(BinJSON.init), forKey: Key("reliability"))
        }
    }

    struct BinJSON: Encodable {
        let lower: Double, upper: Double, count: Int, confidence: Double, accuracy: Double
        init(_ bin: ReliabilityTable.Bin) {
            (lower, upper, count, confidence, accuracy) = (bin.lower, bin.upper, bin.count, bin.confidence, bin.accuracy)
        }
    }
}
