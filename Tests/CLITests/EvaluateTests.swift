import Foundation
import Testing
import TestSupport

@Suite("evaluate")
struct EvaluateTests {
    static let samplePapers = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")

    @Test("--json holds accuracy and macro-F1 for the model and the keyword rules; Markdown names both")
    func evaluateJSON() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let model = try TrainedModels.subset()
        let result = try CLI.run([
            "evaluate", "--model", model.path, "--data", Self.samplePapers.path, "--json", scratch.path("scores.json"),
        ])
        try #require(result.status == 0, CLI.describe(result))
        let json = try #require(try JSONSerialization.jsonObject(with: try scratch.read("scores.json")) as? [String: Any])
        let keywords = try #require(json["keywords"] as? [String: Any], "no nested \"keywords\" object")
        let values: [(String, Any?)] = [
            ("accuracy", json["accuracy"]), ("macro_f1", json["macro_f1"]),
            ("keywords.accuracy", keywords["accuracy"]), ("keywords.macro_f1", keywords["macro_f1"]),
        ]
        for (key, value) in values {
            let number = try #require(value as? Double, "\(key) missing or not a number")
            #expect((0...1).contains(number), "\(key) = \(number)")
        }

        // The model's accuracy agrees with what classify predicts for the same papers.
        let classified = try CLI.run(["classify", "--papers", Self.samplePapers.path, "--model", model.path])
        try #require(classified.status == 0, CLI.describe(classified))
        let truth = try JSONLines.lines(of: try Data(contentsOf: Self.samplePapers)).map { try JSONLines.object($0)["label"] as? String }
        let predicted = try JSONLines.lines(of: classified.stdout).map { try JSONLines.object($0)["label"] as? String }
        let accuracy = Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
        #expect(abs((json["accuracy"] as? Double ?? -1) - accuracy) < 1e-12)

        let markdown = result.stdoutText
        #expect(markdown.contains("model"))
        #expect(markdown.contains("keywords"))
        #expect(markdown.contains("| accuracy |"))
        #expect(markdown.contains("(16 papers)"))
    }

    @Test("a paper given twice counts once, with a warning naming the repeat, as train counts it")
    func duplicatesCountOnce() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let model = try TrainedModels.subset().path
        let once = try CLI.run(["evaluate", "--model", model, "--data", Self.samplePapers.path, "--json", scratch.path("once.json")])
        let twice = try CLI.run(["evaluate", "--model", model, "--data", Self.samplePapers.path, "--data", Self.samplePapers.path,
                                 "--json", scratch.path("twice.json")])
        try #require(once.status == 0 && twice.status == 0, CLI.describe(twice))
        #expect(twice.stderrText.contains("warning: dropped 16 duplicate record(s)"), CLI.describe(twice))
        #expect(twice.stdoutText.contains("(16 papers)"), CLI.describe(twice))
        // The same scores; only the title, which names the files given, differs.
        func scores(_ name: String) throws -> NSDictionary {
            let json = try #require(try JSONSerialization.jsonObject(with: try scratch.read(name)) as? [String: Any])
            return NSDictionary(dictionary: json.filter { $0.key != "title" })
        }
        #expect(try scores("once.json") == scores("twice.json"))
    }

    @Test("a paper given in two versions (2401.00001 and 2401.00001v2, the text revised) counts once, as the library keeps papers")
    func versionsCountOnce() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let revised = try JSONLines.sampleLines().map { line in
            var record = try JSONLines.object(line)
            record["id"] = "\(record["id"] as? String ?? "")v2"
            record["title"] = "Revised: \(record["title"] as? String ?? "")"
            return try JSONLines.line(record)
        }
        try scratch.write("v2.jsonl", JSONLines.join(revised))
        let result = try CLI.run(["evaluate", "--model", try TrainedModels.subset().path, "--data", Self.samplePapers.path,
                                  "--data", scratch.path("v2.jsonl")])
        try #require(result.status == 0, CLI.describe(result))
        #expect(result.stderrText.contains("warning: dropped 16 duplicate record(s)"), CLI.describe(result))
        #expect(result.stdoutText.contains("(16 papers)"), CLI.describe(result))
    }

    @Test("a later file labelling a paper differently does not correct the earlier one, and the warning says so")
    func laterLabelsAreNamed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let lines = try JSONLines.sampleLines()
        var first = try JSONLines.object(lines[0])
        let kept = first["label"] as? String ?? ""
        first["label"] = kept == "general" ? "hardware" : "general"
        let corrections = try scratch.write("corrections.jsonl", JSONLines.join([try JSONLines.line(first)]))
        let result = try CLI.run(["evaluate", "--model", try TrainedModels.subset().path, "--data", Self.samplePapers.path,
                                  "--data", corrections.path])
        try #require(result.status == 0, CLI.describe(result))
        #expect(result.stderrText.contains("warning: 1 of them label their paper differently from the record kept, whose label is used"), CLI.describe(result))
        #expect(result.stderrText.contains("\(corrections.path):1 says \(first["label"] as! String), \(Self.samplePapers.path):1 says \(kept)"), CLI.describe(result))
    }

    @Test("evaluate without --data is a usage error")
    func missingData() throws {
        let result = try CLI.run(["evaluate", "--model", try TrainedModels.sample().path])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("--data"), CLI.describe(result))
    }

    @Test("evaluate on data with a label the model does not know: file:line")
    func unknownLabel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        var record = try JSONLines.object(lines[2])
        record["label"] = "cooking"
        lines[2] = try JSONLines.line(record)
        try scratch.write("held-out.jsonl", JSONLines.join(lines))
        try scratch.write("scores.json", goodContent)
        let result = try CLI.run([
            "evaluate", "--model", try TrainedModels.sample().path, "--data", scratch.path("held-out.jsonl"),
            "--json", scratch.path("scores.json"),
        ])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("held-out.jsonl:3"), CLI.describe(result))
        #expect(try scratch.text("scores.json") == goodContent)
    }

    @Test("--json and --plots are replaced together: a plot that cannot be written (a full disk) keeps the old JSON")
    func jsonAndPlotsTogether() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let json = try scratch.write("scores.json", goodContent)
        let arguments = ["evaluate", "--model", try TrainedModels.sample().path, "--data", InputRulesTests.samplePapers,
                         "--json", json.path, "--plots", scratch.path("plots")]
        // 4 KiB: the sample's JSON (about 3 KB) fits, its plots (4–5 KB each) do not.
        let result = try DigestOutputTests.runShell(arguments, maxFileKiB: 4, in: scratch)
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("File too large"), CLI.describe(result))
        #expect(try scratch.text("scores.json") == goodContent)
        #expect(try scratch.listing() == ["plots", "scores.json"], "stray files")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("plots")).isEmpty)
        let whole = try CLI.run(arguments)
        #expect(whole.status == 0, CLI.describe(whole))
        try #require(try Data(contentsOf: json).count < 4096, "the sample's JSON no longer fits the 4 KiB limit")
    }
}
