import ArxivFeed
import Foundation
import Testing
import TestSupport

@Suite("classify")
struct ClassifyTests {
    static let classes = ["hardware", "algorithms", "applications", "general"]

    /// Checks one output line per input id, each with a label that is the argmax of probabilities summing to 1.
    static func checkLines(_ output: Data, ids: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let objects = try JSONLines.lines(of: output).map { try JSONLines.object($0) }
        #expect(objects.map { $0["id"] as? String } == ids, sourceLocation: sourceLocation)
        for object in objects {
            let probabilities = try #require(object["probabilities"] as? [String: Double], sourceLocation: sourceLocation)
            #expect(Set(probabilities.keys) == Set(classes), sourceLocation: sourceLocation)
            #expect(abs(probabilities.values.reduce(0, +) - 1) <= 1e-9, sourceLocation: sourceLocation)
            #expect(probabilities.values.allSatisfy { (0...1).contains($0) }, sourceLocation: sourceLocation)
            let label = try #require(object["label"] as? String, sourceLocation: sourceLocation)
            let best = probabilities.values.max()!
            #expect(probabilities[label] == best, "label \(label) is not the argmax of \(probabilities)", sourceLocation: sourceLocation)
        }
        return objects
    }

    static func ids(of data: Data) throws -> [String] {
        try JSONLines.lines(of: data).map { try #require(try JSONLines.object($0)["id"] as? String) }
    }

    @Test("--papers: one line per paper with id, label and probabilities")
    func classifyPapers() throws {
        let data = try TrainedModels.subsetData()
        let result = try CLI.run(["classify", "--papers", data.path, "--model", try TrainedModels.subset().path])
        try #require(result.status == 0, CLI.describe(result))
        let objects = try Self.checkLines(result.stdout, ids: try Self.ids(of: try Data(contentsOf: data)))
        #expect(objects.allSatisfy { $0["explanation"] == nil })
        #expect(Set(objects.compactMap { $0["label"] as? String }).count >= 3, "a 300-paper set should get several labels")
    }

    @Test("--explain adds the terms behind each decision")
    func explain() throws {
        let papers = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")
        let result = try CLI.run([
            "classify", "--papers", papers.path, "--model", try TrainedModels.subset().path, "--explain", "--explain-terms", "3",
        ])
        try #require(result.status == 0, CLI.describe(result))
        let objects = try Self.checkLines(result.stdout, ids: try Self.ids(of: try Data(contentsOf: papers)))
        for object in objects {
            let explanation = try #require(object["explanation"] as? [[String: Any]])
            #expect((1...3).contains(explanation.count))
            for item in explanation {
                let term = try #require(item["term"] as? String)
                #expect(!term.isEmpty)
                #expect(item["weight"] is Double)
            }
        }
    }

    @Test("standard input gives the same lines as --papers")
    func standardInput() throws {
        let data = try TrainedModels.subsetData()
        let model = try TrainedModels.subset().path
        let fromFile = try CLI.run(["classify", "--papers", data.path, "--model", model])
        let fromStdin = try CLI.run(["classify", "--model", model], input: try Data(contentsOf: data))
        try #require(fromStdin.status == 0, CLI.describe(fromStdin))
        #expect(fromStdin.stdout == fromFile.stdout)
        #expect(!fromStdin.stdout.isEmpty)
    }

    @Test("--batch-size does not change the output")
    func batchSize() throws {
        let data = try TrainedModels.subsetData()
        let model = try TrainedModels.subset().path
        let whole = try CLI.run(["classify", "--papers", data.path, "--model", model])
        let small = try CLI.run(["classify", "--papers", data.path, "--model", model, "--batch-size", "7"])
        try #require(small.status == 0, CLI.describe(small))
        #expect(small.stdout == whole.stdout)
    }

    @Test("--feed: the papers of a saved Atom response")
    func feedInput() throws {
        let feed = SharedData.url("fixtures/atom/search-testing-start0-max10.xml")
        let fetched = try CLI.run(["fetch", "--feed", feed.path])
        let result = try CLI.run(["classify", "--feed", feed.path, "--model", try TrainedModels.sample().path])
        try #require(result.status == 0, CLI.describe(result))
        _ = try Self.checkLines(result.stdout, ids: try Self.ids(of: fetched.stdout))
        #expect(JSONLines.lines(of: result.stdout).count == 10)
    }

    @Test("empty input: no lines, success")
    func emptyInput() throws {
        let result = try CLI.run(["classify", "--model", try TrainedModels.sample().path], input: Data())
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.isEmpty)
    }

    @Test("a malformed line in the middle stops the run with its line number; the output file is untouched")
    func malformedLineStops() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        lines.insert("{\"id\": \"2602.0\", \"title\": [1, 2", at: 8)
        try scratch.write("papers.jsonl", JSONLines.join(lines))
        try scratch.write("out.jsonl", goodContent)
        let result = try CLI.run([
            "classify", "--papers", scratch.path("papers.jsonl"), "--model", try TrainedModels.sample().path,
            "--output", scratch.path("out.jsonl"),
        ])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("papers.jsonl:9"), CLI.describe(result))
        #expect(try scratch.text("out.jsonl") == goodContent)
        #expect(try scratch.listing() == ["out.jsonl", "papers.jsonl"])
    }

    @Test("--skip-invalid classifies the other lines and reports the skipped one")
    func skipInvalid() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        let ids = try lines.map { try #require(try JSONLines.object($0)["id"] as? String) }
        lines.insert("not json at all", at: 8)
        try scratch.write("papers.jsonl", JSONLines.join(lines))
        let result = try CLI.run([
            "classify", "--papers", scratch.path("papers.jsonl"), "--model", try TrainedModels.sample().path,
            "--skip-invalid", "--output", scratch.path("out.jsonl"),
        ])
        try #require(result.status == 0, CLI.describe(result))
        #expect(result.stderrText.contains("skipped 1"), CLI.describe(result))
        #expect(result.stderrText.contains("papers.jsonl:9"), CLI.describe(result))
        _ = try Self.checkLines(try scratch.read("out.jsonl"), ids: ids)
    }

    @Test("--papers and --feed together is a usage error")
    func bothSources() throws {
        let result = try CLI.run([
            "classify", "--papers", "a.jsonl", "--feed", "b.xml", "--model", try TrainedModels.sample().path,
        ])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("--papers"), CLI.describe(result))
    }

    /// The probability entries of one output line as written, in order (JSONSerialization loses the order).
    static func probabilityKeysInOrder(_ line: String) -> [String] {
        guard let start = line.range(of: "\"probabilities\": {"), let end = line[start.upperBound...].firstIndex(of: "}") else { return [] }
        return line[start.upperBound..<end].split(separator: ", ").map { entry in
            String(entry.split(separator: ":")[0].dropFirst().dropLast())
        }
    }

    @Test("--top-k K: the K most probable classes, most probable first, with the values of the full output; K of 4 classes or more lists them all, still most probable first",
          arguments: [2, 4, 9])
    func topK(k: Int) throws {
        let data = try TrainedModels.subsetData()
        let model = try TrainedModels.subset().path
        let full = try CLI.run(["classify", "--papers", data.path, "--model", model])
        let top = try CLI.run(["classify", "--papers", data.path, "--model", model, "--top-k", "\(k)"])
        try #require(top.status == 0, CLI.describe(top))
        let fullLines = JSONLines.lines(of: full.stdout), topLines = JSONLines.lines(of: top.stdout)
        try #require(fullLines.count == topLines.count && !topLines.isEmpty)
        for (fullLine, topLine) in zip(fullLines, topLines) {
            let all = try #require(try JSONLines.object(fullLine)["probabilities"] as? [String: Double])
            let object = try JSONLines.object(topLine)
            let shown = try #require(object["probabilities"] as? [String: Double])
            let keys = Self.probabilityKeysInOrder(topLine)
            #expect(keys.count == min(k, Self.classes.count))
            let expected = Self.classes.sorted { all[$0]! > all[$1]! || (all[$0]! == all[$1]! && Self.classes.firstIndex(of: $0)! < Self.classes.firstIndex(of: $1)!) }
            #expect(keys == Array(expected.prefix(k)), "\(topLine)")
            for key in keys { #expect(shown[key] == all[key]) }
            #expect(object["label"] as? String == keys.first)
            #expect(object["id"] as? String == (try JSONLines.object(fullLine)["id"] as? String))
        }
        // Four classes: the default lists them all, in class order, as before.
        #expect(fullLines.allSatisfy { Self.probabilityKeysInOrder($0) == Self.classes })
    }

    @Test("--with-title adds each paper's title after its id")
    func withTitle() throws {
        let papers = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")
        let result = try CLI.run(["classify", "--papers", papers.path, "--model", try TrainedModels.subset().path, "--with-title"])
        try #require(result.status == 0, CLI.describe(result))
        let inputs = try JSONLines.lines(of: try Data(contentsOf: papers)).map { try JSONLines.object($0) }
        let outputs = try Self.checkLines(result.stdout, ids: inputs.map { try #require($0["id"] as? String) })
        #expect(outputs.map { $0["title"] as? String } == inputs.map { $0["title"] as? String })
        #expect(JSONLines.lines(of: result.stdout).allSatisfy { $0.hasPrefix("{\"id\": ") && $0.contains("\", \"title\": ") })
    }

    @Test("--top-k 0 is a usage error")
    func topKZero() throws {
        let result = try CLI.run(["classify", "--model", try TrainedModels.sample().path, "--top-k", "0"], input: Data())
        #expect(result.status != 0)
        #expect(result.stderrText.contains("--top-k"), CLI.describe(result))
    }
}
