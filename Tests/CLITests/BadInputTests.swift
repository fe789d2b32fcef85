import Foundation
import Testing
import TestSupport
import TopicModel

/// Hostile and broken input: a clear error naming the file and the place, a non-zero exit,
/// and the existing output file left exactly as it was.
@Suite("bad input leaves the output untouched")
struct BadInputTests {
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml")

    /// Runs `arguments + ["--output", out]` with `out` pre-filled, and checks the failure.
    static func expectRejected(
        _ arguments: [String], in scratch: Scratch, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try scratch.write("out", goodContent)
        let before = try scratch.listing()
        let result = try CLI.run(arguments + ["--output", scratch.path("out")])
        #expect(result.status != 0, "expected a failure, got success", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(result.stderrText.contains(fragment), "stderr lacks \"\(fragment)\": \(result.stderrText)",
                    sourceLocation: sourceLocation)
        }
        #expect(try scratch.text("out") == goodContent, "the output file was changed", sourceLocation: sourceLocation)
        let after = try scratch.listing()
        #expect(after == before, "files left behind: \(after)", sourceLocation: sourceLocation)
    }

    // MARK: - Feeds

    @Test("malformed XML: file, line and column")
    func malformedXML() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("broken.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <entry>
                <id>http://arxiv.org/abs/2602.00001v1</id>
                <title>Unclosed</titel>
              </entry>
            </feed>
            """)
        for command in [["digest", "--classifier", "keywords"], ["fetch"]] {
            try Self.expectRejected(command + ["--feed", scratch.path("broken.xml")], in: scratch,
                                    mentioning: ["broken.xml", "line 5"])
        }
    }

    @Test("a feed truncated mid-entry")
    func truncatedFeed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let whole = try SharedData.data("fixtures/atom/search-testing-start0-max10.xml")
        try scratch.write("cut.xml", whole.prefix(whole.count / 2))
        try Self.expectRejected(["digest", "--classifier", "keywords", "--feed", scratch.path("cut.xml")], in: scratch,
                                mentioning: ["cut.xml", "line "])
    }

    @Test("invalid UTF-8 inside a real feed: file and line")
    func invalidUTF8Feed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var bytes = [UInt8](try SharedData.data("fixtures/atom/search-testing-start0-max10.xml"))
        let text = String(decoding: bytes, as: UTF8.self)
        // Corrupt the first byte of the second entry's title text.
        let secondEntry = try #require(text.range(of: "<entry>", range: text.range(of: "<entry>")!.upperBound..<text.endIndex))
        let title = try #require(text.range(of: "<title>", range: secondEntry.upperBound..<text.endIndex))
        let offset = text.utf8.distance(from: text.startIndex, to: title.upperBound)
        bytes[offset] = 0xFF
        let line = text.utf8.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count + 1
        try scratch.write("latin.xml", Data(bytes))
        for command in [["digest", "--classifier", "keywords"], ["fetch"]] {
            try Self.expectRejected(command + ["--feed", scratch.path("latin.xml")], in: scratch,
                                    mentioning: ["latin.xml", "line \(line)", "UTF-8"])
        }
    }

    @Test("an HTML page instead of a feed")
    func htmlPage() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("page.html", """
            <!DOCTYPE html>
            <html><head><title>503 Service Unavailable</title></head>
            <body><p>The service is down for maintenance.<br></body></html>
            """)
        try scratch.write("page-no-doctype.html", "<html><body><h1>Maintenance</h1></body></html>\n")
        for page in ["page.html", "page-no-doctype.html"] {
            for command in [["digest", "--classifier", "keywords"], ["fetch"]] {
                try Self.expectRejected(command + ["--feed", scratch.path(page)], in: scratch, mentioning: [page])
            }
        }
    }

    @Test("a feed file that does not exist")
    func missingFeed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.expectRejected(["digest", "--classifier", "keywords", "--feed", scratch.path("nowhere.xml")],
                                in: scratch, mentioning: ["nowhere.xml"])
    }

    // MARK: - JSON Lines

    @Test("digest --papers with a malformed line in the middle: file:line")
    func malformedPapersLine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        lines.insert("{\"id\": \"2602.00001\", \"title\": ", at: 7)
        try scratch.write("papers.jsonl", JSONLines.join(lines))
        try Self.expectRejected(["digest", "--classifier", "keywords", "--papers", scratch.path("papers.jsonl")],
                                in: scratch, mentioning: ["papers.jsonl:8"])
    }

    @Test("digest --papers with a record missing a required field: file:line and the field")
    func missingRequiredField() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        var record = try JSONLines.object(lines[4])
        record.removeValue(forKey: "published")
        lines[4] = try JSONLines.line(record)
        try scratch.write("papers.jsonl", JSONLines.join(lines))
        try Self.expectRejected(["digest", "--classifier", "keywords", "--papers", scratch.path("papers.jsonl")],
                                in: scratch, mentioning: ["papers.jsonl:5", "published"])
    }

    @Test("train --data with a malformed line in the middle: file:line")
    func malformedTrainingLine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = JSONLines.lines(of: try Data(contentsOf: try TrainedModels.subsetData())).prefix(40).map { $0 }
        lines.insert("{\"id\": \"x\", \"title\": \"t\", \"abstract\": ", at: 10)
        try scratch.write("labelled.jsonl", JSONLines.join(lines))
        try Self.expectRejected(["train", "--data", scratch.path("labelled.jsonl")], in: scratch,
                                mentioning: ["labelled.jsonl:11"])
    }

    @Test("train --data: a record without \"label\"")
    func missingLabel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        var record = try JSONLines.object(lines[3])
        record.removeValue(forKey: "label")
        lines[3] = try JSONLines.line(record)
        try scratch.write("labelled.jsonl", JSONLines.join(lines))
        try Self.expectRejected(["train", "--data", scratch.path("labelled.jsonl")], in: scratch,
                                mentioning: ["labelled.jsonl:4", "label"])
        // evaluate reads labelled records too: the message must not speak of training.
        let evaluated = try CLI.run(["evaluate", "--model", try TrainedModels.sample().path, "--data", scratch.path("labelled.jsonl")])
        #expect(evaluated.status == 1, CLI.describe(evaluated))
        #expect(evaluated.stderrText.contains("labelled.jsonl:4: field \"label\" is missing; every labelled record needs one"), CLI.describe(evaluated))
    }

    @Test("train --data: an unknown label")
    func unknownLabel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        var record = try JSONLines.object(lines[9])
        record["label"] = "astrology"
        lines[9] = try JSONLines.line(record)
        try scratch.write("labelled.jsonl", JSONLines.join(lines))
        try Self.expectRejected(["train", "--data", scratch.path("labelled.jsonl")], in: scratch,
                                mentioning: ["labelled.jsonl:10", "astrology"])
    }

    @Test("train --data: a class with a single example")
    func singleExampleClass() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let records = try JSONLines.sampleLines().map { try JSONLines.object($0) }
        let general = records.filter { $0["label"] as? String == "general" }
        let others = records.filter { $0["label"] as? String != "general" }
        // Keep one "general" record, at line 6.
        let kept = Array(others.prefix(5)) + [general[0]] + Array(others.dropFirst(5))
        try scratch.write("labelled.jsonl", JSONLines.join(try kept.map { try JSONLines.line($0) }))
        try Self.expectRejected(["train", "--data", scratch.path("labelled.jsonl")], in: scratch,
                                mentioning: ["general", "labelled.jsonl:6"])
    }

    @Test("train --data: empty title and abstract (the empty title is the reader's first refusal)")
    func emptyText() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        var record = try JSONLines.object(lines[5])
        record["title"] = ""
        record["abstract"] = "  \n "
        lines[5] = try JSONLines.line(record)
        try scratch.write("labelled.jsonl", JSONLines.join(lines))
        try Self.expectRejected(["train", "--data", scratch.path("labelled.jsonl")], in: scratch,
                                mentioning: ["labelled.jsonl:6", "field \"title\" is empty"])
    }

    @Test("train options out of range name the option", arguments: [
        (["--C", "0"], "--C"), (["--C=-1"], "--C"), (["--cv", "1"], "--cv"), (["--ngram-range", "2,1"], "--ngram-range"),
        (["--min-df", "0"], "--min-df"), (["--max-df", "1.5"], "--max-df"), (["--alpha=-0.1"], "--alpha"),
        (["--class-weight", "heavy"], "--class-weight"), (["--title-repeat", "11"], "--title-repeat"),
        (["--labels", "hardware,algorithms,hardware"], "--labels names \"hardware\" twice"),
        (["--grid-values", "1,10"], "--grid-values is only read with --grid"),
    ])
    func optionOutOfRange(option: [String], name: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.expectRejected(["train", "--data", try TrainedModels.subsetData().path] + option, in: scratch,
                                mentioning: [name])
    }

    @Test("--grid-values is checked with the other options, before any data is read: a usage error naming the value", arguments: [
        (["--grid-values", "1,,2"], "--grid-values must be comma-separated numbers"),
        (["--grid-values", "1e9"], "--grid-values: each value of C must be a finite number in"),
        (["--grid-values", "10,nan"], "--grid-values must be comma-separated numbers"),
        (["--classifier", "nb", "--grid-values", "5000"], "--grid-values: each value of alpha"),
        (["--grid-values", "1, 10,1"], "--grid-values names 1.0 twice"),
        (["--grid-values", "0x10"], "--grid-values must be comma-separated numbers"),
        (["--grid-ngrams", "1,1", "1,2", "1,1"], "--grid-ngrams names 1,1 twice"),
    ])
    func gridValuesChecked(option: [String], message: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // A data file that does not exist: a check made after reading it would name the file instead.
        let result = try CLI.run(["train", "--data", scratch.path("missing.jsonl"), "--grid", "--output", scratch.path("out.model")] + option)
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.contains(message), CLI.describe(result))
        #expect(try scratch.listing().isEmpty)
    }

    // MARK: - Model files

    /// Every command that loads a model, given `model`.
    static func modelCommands(_ model: String) throws -> [[String]] {
        [
            ["digest", "--feed", sampleFeed.path, "--model", model],
            ["classify", "--papers", try TrainedModels.subsetData().path, "--model", model],
        ]
    }

    @Test("a truncated model file", arguments: [0, 7, 16, 100, -1])
    func truncatedModel(keep: Int) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let model = try Data(contentsOf: try TrainedModels.sample())
        try scratch.write("cut.model", model.prefix(keep >= 0 ? keep : model.count - 1))
        for command in try Self.modelCommands(scratch.path("cut.model")) {
            try Self.expectRejected(command, in: scratch, mentioning: ["cut.model"])
        }
    }

    @Test("a model file with one flipped bit, anywhere")
    func bitFlippedModel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let model = [UInt8](try Data(contentsOf: try TrainedModels.sample()))
        let positions = [0, 8, 12, 20, 40] + stride(from: 97, to: model.count, by: model.count / 7) + [model.count - 1]
        for position in positions {
            var flipped = model
            flipped[position] ^= 0x04
            try scratch.write("flipped.model", Data(flipped))
            try Self.expectRejected(["digest", "--feed", Self.sampleFeed.path, "--model", scratch.path("flipped.model")],
                                    in: scratch, mentioning: ["flipped.model"])
        }
    }

    @Test("a model file with a valid checksum but a header option out of range names the file and field (a title repeat of -1 trapped, 10^9 allocated 59 GB)",
          arguments: [-1, 0, 11, 1_000_000_000])
    func modelOptionOutOfRange(titleRepeat: Int) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let good = try TopicModel.decode(try Data(contentsOf: try TrainedModels.sample()))
        var options = good.options
        options.titleRepeat = titleRepeat
        let crafted = TopicModel(options: options, vectorizer: good.vectorizer, classifier: good.classifier, metadata: good.metadata)
        try crafted.write(to: scratch.url("crafted.model"))
        for command in try Self.modelCommands(scratch.path("crafted.model")) {
            try Self.expectRejected(command, in: scratch, mentioning: ["crafted.model", "options.titleRepeat is \(titleRepeat)"])
        }
    }

    @Test("a file of another format passed as --model")
    func notAModel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let papers = try TrainedModels.subsetData()
        for command in try Self.modelCommands(papers.path) {
            try Self.expectRejected(command, in: scratch, mentioning: [papers.lastPathComponent])
        }
        try scratch.write("empty.model", Data())
        try Self.expectRejected(["digest", "--feed", Self.sampleFeed.path, "--model", scratch.path("empty.model")],
                                in: scratch, mentioning: ["empty.model"])
    }

    @Test("digest with a model trained on other labels than the four topics")
    func modelWithOtherLabels() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let lines = try JSONLines.sampleLines().map { line -> String in
            var record = try JSONLines.object(line)
            if record["label"] as? String == "hardware" { record["label"] = "physics" }
            return try JSONLines.line(record)
        }
        try scratch.write("relabelled.jsonl", JSONLines.join(lines))
        let trained = try CLI.run(["train", "--data", scratch.path("relabelled.jsonl"), "--labels", "auto",
                                   "--output", scratch.path("other.model")])
        try #require(trained.status == 0, CLI.describe(trained))
        try Self.expectRejected(["digest", "--feed", Self.sampleFeed.path, "--model", scratch.path("other.model")],
                                in: scratch, mentioning: ["physics"])
    }

    @Test("evaluate with a broken model writes no JSON")
    func evaluateBrokenModel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let model = try Data(contentsOf: try TrainedModels.sample())
        try scratch.write("cut.model", model.prefix(model.count / 2))
        try scratch.write("scores.json", goodContent)
        let result = try CLI.run([
            "evaluate", "--model", scratch.path("cut.model"),
            "--data", try TrainedModels.subsetData().path, "--json", scratch.path("scores.json"),
        ])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("cut.model"), CLI.describe(result))
        #expect(try scratch.text("scores.json") == goodContent)
    }
}
