import ArxivFeed
import Foundation
import LinearAlgebra
import Testing
@testable import TopicModel

@Suite("classify's output writer")
struct ClassificationWriterTests {
    static let papers = [
        Paper(id: "a\"1", title: "Tab\there", abstract: "", published: "2024"),
        Paper(id: "b", title: "ünï", abstract: "", published: "2024"),
    ]

    @Test("defaults: every class up to 10 classes, else the 5 most probable, ties in class order")
    func defaultTopK() throws {
        #expect(ClassificationWriter(classes: (0..<10).map { "c\($0)" }).topK == 10)
        let classes = (0..<70).map { "c\($0)" }
        let writer = ClassificationWriter(classes: classes)
        #expect(writer.topK == 5)
        var row = [Double](repeating: 0.001, count: 70)
        row[42] = 0.5; row[7] = 0.2; row[9] = 0.2; row[3] = 0.05
        #expect(writer.shownClasses(row[...]) == [42, 7, 9, 3, 0])
    }

    @Test("an explicit top-k is most probable first even when it covers every class; only the default keeps class order")
    func explicitTopKSorts() throws {
        let classes = ["x", "y", "z", "w"]
        let row: [Double] = [0.1, 0.4, 0.1, 0.4]
        for topK in [4, 9] {
            let writer = ClassificationWriter(classes: classes, topK: topK)
            #expect(!writer.listsInClassOrder)
            #expect(writer.shownClasses(row[...]) == [1, 3, 0, 2], "top-k \(topK)")
        }
        #expect(ClassificationWriter(classes: classes, topK: 2).shownClasses(row[...]) == [1, 3])
        let byDefault = ClassificationWriter(classes: classes)
        #expect(byDefault.listsInClassOrder)
        #expect(byDefault.shownClasses(row[...]) == [0, 1, 2, 3])
        // 70 classes, every one shown: a full sort, the same bytes whichever way the rows are split.
        let many = (0..<70).map { "c\($0)" }
        let all = ClassificationWriter(classes: many, topK: 70)
        let values = (0..<70).map { Double(($0 * 37) % 11) / 100 }
        let shown = all.shownClasses(values[...])
        #expect(shown == (0..<70).sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) })
    }

    @Test("every top-k from 1 to the class count is the prefix of one sort, most probable first, ties in class order")
    func topKIsPrefixOfSort() throws {
        let classes = (0..<23).map { "c\($0)" }
        // Few distinct values, so most rows have long runs of ties, in every position.
        for seed in 0..<40 {
            let row = (0..<classes.count).map { Double(($0 * (seed + 3) + seed * seed) % 5) / 10 }
            let sorted = (0..<classes.count).sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
            for topK in 1...classes.count {
                let shown = ClassificationWriter(classes: classes, topK: topK).shownClasses(row[...])
                #expect(shown == Array(sorted.prefix(topK)), "seed \(seed), top-k \(topK)")
            }
        }
    }

    @Test("a line is valid JSON with escaped text, the numbers read back exactly, and the same bytes on any core count")
    func lines() throws {
        let classes = ["x", "y\"z", "w"]
        let probabilities = DenseMatrix(rows: [[0.1, 0.7, 0.2], [1.0 / 3, 1.0 / 3, 1.0 / 3]])
        let writer = ClassificationWriter(classes: classes, withTitle: true)
        let explanations = [[TermContribution(term: "neu\\ron", weight: 0.125)], []]
        let bytes = writer.lines(papers: Self.papers, probabilities: probabilities, labels: [1, 0], explanations: explanations)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"id": "a\"1", "title": "Tab\there", "label": "y\"z", "probabilities": {"x": 0.1, "y\"z": 0.7, "w": 0.2}, "explanation": [{"term": "neu\\ron", "weight": 0.125}]}"# + "\n"))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["title"] as? String == "ünï")
        #expect((second["probabilities"] as? [String: Double])?["w"] == 1.0 / 3)
        #expect((second["explanation"] as? [Any])?.isEmpty == true)
        // Many rows: split over the cores, joined in row order.
        let many = (0..<1_000).map { Paper(id: "p\($0)", title: "t", abstract: "", published: "2024") }
        let matrix = DenseMatrix(rowCount: 1_000, columnCount: 3, values: (0..<3_000).map { Double($0 % 7) / 7 })
        let manyLines = writer.lines(papers: many, probabilities: matrix, labels: matrix.rowArgmax())
        var oneByOne: [UInt8] = []
        for row in 0..<1_000 {
            writer.append(ClassifiedPaper(id: "p\(row)", title: "t", label: classes[matrix.rowArgmax()[row]],
                                          probabilities: matrix.values[row * 3 ..< row * 3 + 3]), to: &oneByOne)
        }
        #expect(manyLines == oneByOne)
    }

    @Test("below the minimum confidence a line says \"abstained\": true after its probabilities; at or above it, nothing")
    func abstained() throws {
        let writer = ClassificationWriter(classes: ["x", "y"], minConfidence: 0.6)
        let probabilities = DenseMatrix(rows: [[0.55, 0.45], [0.6, 0.4]])
        let text = String(decoding: writer.lines(papers: Self.papers, probabilities: probabilities, labels: [0, 0]),
                          as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix(#""probabilities": {"x": 0.55, "y": 0.45}, "abstained": true}"#))
        #expect(!lines[1].contains("abstained"))
    }
}
