import Foundation

/// Hand-written SVG plots of evaluation results: a confusion matrix, per-class precision/recall/F1
/// bars, a reliability diagram and a learning curve. Plain SVG 1.1 with no scripts or external
/// references, every text escaped, so any browser, GitHub's README view or an XML parser reads it.
public enum SVGPlots {
    /// The confusion matrix as a heat map: one cell per (true, predicted) pair, shaded by the share
    /// of the true class's papers, with the count written in it.
    public static func confusionMatrix(_ metrics: ClassificationMetrics, title: String = "Confusion matrix") -> String {
        let labels = metrics.labels
        let n = labels.count
        let cell = 64.0, left = 150.0, top = 70.0
        var svg = SVGDocument(width: left + cell * Double(n) + 30, height: top + cell * Double(n) + 70)
        svg.text(title, x: svg.width / 2, y: 24, size: 16, anchor: "middle", weight: "bold")
        svg.text("predicted", x: left + cell * Double(n) / 2, y: top + cell * Double(n) + 55, size: 12, anchor: "middle")
        svg.text("true", x: 16, y: top + cell * Double(n) / 2, size: 12, anchor: "middle", rotate: -90)
        for (i, row) in metrics.confusion.enumerated() {
            let total = max(row.reduce(0, +), 1)
            svg.text(labels[i], x: left - 8, y: top + cell * (Double(i) + 0.5) + 4, size: 12, anchor: "end")
            for (j, count) in row.enumerated() {
                let share = Double(count) / Double(total)
                let x = left + cell * Double(j), y = top + cell * Double(i)
                svg.rect(x: x, y: y, width: cell - 2, height: cell - 2, fill: shade(share), cssClass: "cell",
                         tooltip: "true \(labels[i]), predicted \(labels[j]): \(count)")
                svg.text("\(count)", x: x + cell / 2 - 1, y: y + cell / 2 + 4, size: 13, anchor: "middle", fill: share > 0.5 ? "#ffffff" : "#222222")
            }
        }
        for (j, label) in labels.enumerated() {
            svg.text(label, x: left + cell * (Double(j) + 0.5), y: top + cell * Double(n) + 18, size: 11, anchor: "middle")
        }
        return svg.rendered()
    }

    /// Precision, recall and F1 of each class as grouped bars on a 0…1 axis.
    public static func perClassScores(_ metrics: ClassificationMetrics, title: String = "Per-class precision, recall and F1") -> String {
        let groups = metrics.perClass
        let bar = 18.0, gap = 30.0, left = 60.0, top = 60.0, plotHeight = 240.0
        let groupWidth = bar * 3 + gap
        var svg = SVGDocument(width: left + groupWidth * Double(groups.count) + 140, height: top + plotHeight + 60)
        svg.text(title, x: svg.width / 2, y: 24, size: 16, anchor: "middle", weight: "bold")
        axis(&svg, left: left, top: top, width: groupWidth * Double(groups.count), height: plotHeight)
        let series: [(String, String, KeyPath<ClassMetrics, Double>)] = [
            ("precision", "#4C78A8", \.precision), ("recall", "#F58518", \.recall), ("F1", "#54A24B", \.f1),
        ]
        for (g, scores) in groups.enumerated() {
            let x0 = left + gap / 2 + groupWidth * Double(g)
            for (s, (name, color, path)) in series.enumerated() {
                let value = scores[keyPath: path]
                let height = plotHeight * value
                svg.rect(x: x0 + bar * Double(s), y: top + plotHeight - height, width: bar - 2, height: height, fill: color,
                         cssClass: "bar", tooltip: "\(scores.label) \(name): \(String(format: "%.4f", value))")
            }
            svg.text(scores.label, x: x0 + bar * 1.5, y: top + plotHeight + 18, size: 11, anchor: "middle")
        }
        for (s, (name, color, _)) in series.enumerated() {
            let y = top + 20 * Double(s)
            svg.rect(x: svg.width - 120, y: y, width: 12, height: 12, fill: color)
            svg.text(name, x: svg.width - 102, y: y + 11, size: 12)
        }
        return svg.rendered()
    }

    /// The reliability diagram: each non-empty bin's accuracy against its mean confidence, beside
    /// the diagonal of perfect calibration, with the ECE in the title.
    public static func reliabilityDiagram(_ table: ReliabilityTable, title: String = "Reliability") -> String {
        let left = 60.0, top = 60.0, size = 300.0
        var svg = SVGDocument(width: left + size + 40, height: top + size + 60)
        svg.text(title + String(format: " (ECE %.4f, %d bins)", table.expectedCalibrationError, table.bins.count),
                 x: svg.width / 2, y: 24, size: 15, anchor: "middle", weight: "bold")
        axis(&svg, left: left, top: top, width: size, height: size, xTicks: true)
        svg.line(x1: left, y1: top + size, x2: left + size, y2: top, stroke: "#999999", dashed: true)
        for bin in table.bins {
            let x = left + size * bin.lower, width = size * (bin.upper - bin.lower)
            let height = size * bin.accuracy
            svg.rect(x: x + 1, y: top + size - height, width: width - 2, height: height, fill: bin.count > 0 ? "#4C78A8" : "none",
                     cssClass: "bar", tooltip: String(format: "%.1f–%.1f: %d papers, confidence %.3f, accuracy %.3f", bin.lower, bin.upper, bin.count, bin.confidence, bin.accuracy))
            if bin.count > 0 { svg.circle(cx: left + size * bin.confidence, cy: top + size - size * bin.confidence, r: 3, fill: "#E45756") }
        }
        svg.text("confidence (top probability)", x: left + size / 2, y: top + size + 40, size: 12, anchor: "middle")
        svg.text("accuracy", x: 16, y: top + size / 2, size: 12, anchor: "middle", rotate: -90)
        return svg.rendered()
    }

    /// A learning curve: the score against the number of training papers, one marked point each.
    public static func learningCurve(points: [(papers: Int, score: Double)], scoreName: String = "macro-F1", title: String = "Learning curve") -> String {
        let left = 60.0, top = 60.0, width = 360.0, height = 240.0
        var svg = SVGDocument(width: left + width + 40, height: top + height + 60)
        svg.text(title, x: svg.width / 2, y: 24, size: 16, anchor: "middle", weight: "bold")
        axis(&svg, left: left, top: top, width: width, height: height)
        let maxPapers = Double(points.map(\.papers).max() ?? 1)
        let place = { (p: (papers: Int, score: Double)) in (left + width * Double(p.papers) / maxPapers, top + height * (1 - p.score)) }
        for (a, b) in zip(points, points.dropFirst()) {
            let (x1, y1) = place(a), (x2, y2) = place(b)
            svg.line(x1: x1, y1: y1, x2: x2, y2: y2, stroke: "#4C78A8")
        }
        for point in points {
            let (x, y) = place(point)
            svg.circle(cx: x, cy: y, r: 4, fill: "#4C78A8", cssClass: "point", tooltip: "\(point.papers) papers: \(scoreName) \(String(format: "%.4f", point.score))")
            svg.text("\(point.papers)", x: x, y: top + height + 18, size: 10, anchor: "middle")
        }
        svg.text("training papers", x: left + width / 2, y: top + height + 40, size: 12, anchor: "middle")
        svg.text("cross-validated \(scoreName)", x: 16, y: top + height / 2, size: 12, anchor: "middle", rotate: -90)
        return svg.rendered()
    }

    /// A 0…1 y axis with grid lines every 0.2 (and the same ticks on x when asked).
    private static func axis(_ svg: inout SVGDocument, left: Double, top: Double, width: Double, height: Double, xTicks: Bool = false) {
        for step in 0...5 {
            let value = Double(step) / 5, y = top + height * (1 - value)
            svg.line(x1: left, y1: y, x2: left + width, y2: y, stroke: "#e5e5e5")
            svg.text(String(format: "%.1f", value), x: left - 6, y: y + 4, size: 10, anchor: "end")
            if xTicks { svg.text(String(format: "%.1f", value), x: left + width * value, y: top + height + 16, size: 10, anchor: "middle") }
        }
        svg.line(x1: left, y1: top, x2: left, y2: top + height, stroke: "#333333")
        svg.line(x1: left, y1: top + height, x2: left + width, y2: top + height, stroke: "#333333")
    }

    /// White to dark blue as `share` goes 0 → 1.
    private static func shade(_ share: Double) -> String {
        let t = min(max(share, 0), 1)
        let (r, g, b) = (255 - (255 - 8) * t, 255 - (255 - 48) * t, 255 - (255 - 107) * t)
        return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }
}

/// A minimal SVG builder: shapes and text appended in order, numbers with two decimals, every
/// attribute value and text escaped.
struct SVGDocument {
    let width: Double
    let height: Double
    private var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, cssClass: String? = nil, tooltip: String? = nil) {
        body += "<rect" + (cssClass.map { " class=\"\(Self.escape($0))\"" } ?? "")
            + " x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(width, 0)))\" height=\"\(Self.number(max(height, 0)))\" fill=\"\(Self.escape(fill))\""
            + (fill == "none" ? " stroke=\"#cccccc\"" : "")
        body += tooltip.map { "><title>\(Self.escape($0))</title></rect>\n" } ?? "/>\n"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, dashed: Bool = false) {
        body += "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"1.5\""
            + (dashed ? " stroke-dasharray=\"4 4\"" : "") + "/>\n"
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, cssClass: String? = nil, tooltip: String? = nil) {
        body += "<circle" + (cssClass.map { " class=\"\(Self.escape($0))\"" } ?? "")
            + " cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\" fill=\"\(Self.escape(fill))\""
        body += tooltip.map { "><title>\(Self.escape($0))</title></circle>\n" } ?? "/>\n"
    }

    mutating func text(_ text: String, x: Double, y: Double, size: Double, anchor: String = "start", weight: String? = nil, fill: String = "#222222", rotate: Double? = nil) {
        body += "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor)\" fill=\"\(Self.escape(fill))\""
            + (weight.map { " font-weight=\"\(Self.escape($0))\"" } ?? "")
            + (rotate.map { " transform=\"rotate(\(Self.number($0)) \(Self.number(x)) \(Self.number(y)))\"" } ?? "")
            + ">\(Self.escape(text))</text>\n"
    }

    func rendered() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>\n"
            + body + "</svg>\n"
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.2f", value) : "0"
    }

    /// XML escaping for text and attribute values; characters XML 1.0 forbids are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
