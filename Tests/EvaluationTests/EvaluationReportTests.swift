import Evaluation
import Foundation
import Testing

@Suite("EvaluationReport")
struct EvaluationReportTests {
    static func report() throws -> EvaluationReport {
        let truth = ["a", "a", "b", "b"]
        return EvaluationReport(
            title: "Cross-validation",
            model: try ClassificationMetrics(truth: truth, predicted: ["a", "a", "b", "a"]),
            baseline: try ClassificationMetrics(truth: truth, predicted: ["b", "a", "b", "c"]))
    }

    @Test("JSON carries model scores and the keywords baseline")
    func json() throws {
        let object = try JSONSerialization.jsonObject(with: try Self.report().jsonData()) as! [String: Any]
        #expect(object["accuracy"] as? Double == 0.75)
        #expect(object["labels"] as? [String] == ["a", "b"])
        #expect(object["confusion_matrix"] as? [[Int]] == [[2, 0], [1, 1]])
        let perClass = try #require(object["per_class"] as? [String: [String: Any]])
        #expect(perClass["b"]?["precision"] as? Double == 1)
        #expect(perClass["b"]?["support"] as? Int == 2)
        #expect(abs((object["macro_f1"] as? Double ?? 0) - (0.8 + 2.0 / 3.0) / 2) < 1e-12)
        let keywords = try #require(object["keywords"] as? [String: Any])
        #expect(keywords["accuracy"] as? Double == 0.5)
        #expect(keywords["labels"] as? [String] == ["a", "b", "c"])
        #expect(keywords["macro_f1"] is Double)
    }

    @Test("Markdown puts model and baseline side by side")
    func markdown() throws {
        let text = try Self.report().markdown()
        #expect(text.hasPrefix("## Cross-validation\n\n| class | support | model precision | model recall | model F1 | keywords precision |"))
        #expect(text.contains("\n| a | 2 | 0.6667 | 1.0000 | 0.8000 | 1.0000 | 0.5000 | 0.6667 |\n"))
        #expect(text.contains("\n| c | 0 | – | – | – | 0.0000 | 0.0000 | 0.0000 |\n"))
        #expect(text.contains("\n| accuracy | 0.7500 | 0.5000 |\n"))
        #expect(text.contains("**Confusion matrix, keywords** (rows = true, columns = predicted)\n\n| true \\ predicted | a | b | c |"))
        let single = EvaluationReport(title: "T", model: try Self.report().model)
        #expect(!single.markdown().contains("keywords"))
        #expect(try JSONSerialization.jsonObject(with: single.jsonData()) as? [String: Any] != nil)
    }

    @Test("a class name with | or a line break stays in its cell: every table row has its table's column count")
    func classNamesInCells() throws {
        let truth = ["hw|x", "hw|x", "two\nlines", "back\\slash"]
        let report = EvaluationReport(title: "T", model: try ClassificationMetrics(truth: truth, predicted: ["hw|x", "two\nlines", "two\nlines", "back\\slash"]))
        let text = report.markdown()
        #expect(text.contains("\n| hw\\|x | 2 | 1.0000 | 0.5000 | 0.6667 |\n"), "\(text)")
        #expect(text.contains("| two\\u{A}lines |"), "\(text)")
        #expect(text.contains("| back\\\\slash |"), "\(text)")
        // Unescaped pipes (not after a backslash) count the cells of each row.
        for table in text.components(separatedBy: "\n\n") where table.hasPrefix("|") {
            let counts = table.split(separator: "\n").map { row in
                row.unicodeScalars.enumerated().filter { index, scalar in
                    scalar == "|" && (index == 0 || Array(row.unicodeScalars)[index - 1] != "\\")
                }.count
            }
            #expect(Set(counts).count == 1, "\(table)")
        }
    }
}
