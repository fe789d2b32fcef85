import Foundation
import Testing
import TestSupport

@Suite("calibration, abstain and off-topic at the command line")
struct CalibrationCLITests {
    @Test("evaluate reports the ECE and a 10-bin reliability table, in Markdown and --json")
    func evaluateReliability() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try CLI.run(["evaluate", "--data", SharedData.url("datasets/topics/train-extra.jsonl").path, "--json", scratch.path("scores.json")])
        try #require(result.status == 0, CLI.describe(result))
        #expect(result.stdoutText.contains("| confidence | papers | mean confidence | accuracy | gap |"))
        #expect(result.stdoutText.contains("Expected calibration error (10 equal-width bins of the top probability): 0."))
        let json = try #require(try JSONSerialization.jsonObject(with: try scratch.read("scores.json")) as? [String: Any])
        let bins = try #require(json["reliability"] as? [[String: Any]])
        #expect(bins.count == 10)
        #expect(bins.map { $0["count"] as! Int }.reduce(0, +) == json["samples"] as? Int)
        // The ECE is the count-weighted gap of the bins.
        let n = Double(json["samples"] as! Int)
        let ece = bins.reduce(0.0) { $0 + Double($1["count"] as! Int) / n * abs(($1["accuracy"] as! Double) - ($1["confidence"] as! Double)) }
        #expect(abs((json["ece"] as? Double ?? -1) - ece) < 1e-12)
        // Confidence-weighted accuracy over the bins is the model's accuracy.
        let accuracy = bins.reduce(0.0) { $0 + Double($1["count"] as! Int) * ($1["accuracy"] as! Double) } / n
        #expect(abs(accuracy - (json["accuracy"] as! Double)) < 1e-9)
    }

    @Test("train --cv stores a temperature; classify reports probabilities it calibrated")
    func trainStoresTemperature() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let data = try TrainedModels.subsetData()
        let trained = try CLI.run(["train", "--data", data.path, "--cv", "3", "--output", scratch.path("cal.model")])
        try #require(trained.status == 0, CLI.describe(trained))
        #expect(trained.stderrText.contains("calibrated on the out-of-fold scores: temperature "))
        let calibrated = try CLI.run(["classify", "--papers", LoopDataPaths.samples, "--model", scratch.path("cal.model")])
        let raw = try CLI.run(["classify", "--papers", LoopDataPaths.samples, "--model", try TrainedModels.subset().path])
        try #require(calibrated.status == 0 && raw.status == 0)
        let a = try LoopData.classified(calibrated.stdout), b = try LoopData.classified(raw.stdout)
        // Same model weights (same data and options), different probabilities, same labels.
        #expect(zip(a, b).contains { $0.probabilities != $1.probabilities })
        #expect(zip(a, b).allSatisfy { x, y in x.probabilities.max { $0.value < $1.value }?.key == y.probabilities.max { $0.value < $1.value }?.key })
    }

    @Test("classify --min-confidence marks exactly the papers whose top probability is below it")
    func classifyAbstains() throws {
        // train-extra.jsonl is training data of the shipped model (confident on all of it); the subset
        // model has never seen it, as a model meets new papers.
        let papers = SharedData.url("datasets/topics/train-extra.jsonl").path
        let model = try TrainedModels.subset().path
        let result = try CLI.run(["classify", "--papers", papers, "--model", model, "--min-confidence", "0.7"])
        try #require(result.status == 0, CLI.describe(result))
        let rows = try LoopData.classified(result.stdout)
        let below = rows.filter { $0.probabilities.values.max()! < 0.7 }
        #expect(!below.isEmpty && below.count < rows.count)
        for row in rows { #expect(row.abstained == (row.probabilities.values.max()! < 0.7), "\(row.id)") }
        let plain = try CLI.run(["classify", "--papers", papers, "--model", model])
        #expect(!plain.stdoutText.contains("abstained"))
        let bad = try CLI.run(["classify", "--papers", papers, "--min-confidence", "1.5"])
        #expect(bad.status != 0 && bad.stderrText.contains("--min-confidence"))
    }

    @Test("digest --min-confidence sends exactly the papers below it to the fallback section")
    func digestAbstains() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let papers = try LoopData.unlabelledExtra(60, in: scratch)
        let model = try TrainedModels.subset().path  // has never seen these papers (the shipped model has)
        let classified = try LoopData.classified(try CLI.run(["classify", "--papers", papers.path, "--model", model]).stdout)
        let digest = try CLI.run(["digest", "--papers", papers.path, "--model", model, "--min-confidence", "0.8", "--fallback", "algorithms", "--run-time", "2026-12-03 08:00"])
        try #require(digest.status == 0, CLI.describe(digest))
        let sections = LoopData.sections(ofDigest: digest.stdoutText)
        var expected: [String: [String]] = [:]
        for row in classified {
            let top = row.probabilities.max { $0.value < $1.value }!
            expected[LoopData.headings[top.value < 0.8 ? "algorithms" : top.key]!, default: []].append(row.id)
        }
        #expect(sections == expected)
        let moved = classified.filter { row in row.probabilities.values.max()! < 0.8 && row.probabilities.max { $0.value < $1.value }!.key != "algorithms" }
        #expect(!moved.isEmpty, "no paper changed section: the test would prove nothing")
        #expect(digest.stderrText.contains("paper(s) below the minimum confidence 0.8 went to algorithms"))
    }

    @Test("a model that learned off-topic leaves those papers out of the digest and lists them in the run record")
    func offTopic() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Off-topic examples: astrophysics and pure-maths papers of the shared arXiv-category set.
        let head = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -dc '\(SharedData.url("datasets/arxiv-categories.jsonl.gz").path)' | head -n 4000"])
        let offField = try JSONLines.lines(of: head.stdout).filter { line in
            let label = try JSONLines.object(line)["label"] as? String ?? ""
            return label.hasPrefix("astro-ph") || label.hasPrefix("math.")
        }
        try #require(offField.count >= 120)
        let training = try offField.prefix(100).map { line -> String in
            var object = try JSONLines.object(line)
            object["label"] = "off-topic"
            return try JSONLines.line(object)
        }
        let topics = JSONLines.lines(of: try Data(contentsOf: try TrainedModels.subsetData()))
        try scratch.write("train.jsonl", JSONLines.join(topics + training))
        let trained = try CLI.run(["train", "--data", scratch.path("train.jsonl"), "--output", scratch.path("off.model")])
        try #require(trained.status == 0, CLI.describe(trained))

        // New papers: 10 unseen off-field ones and 10 field papers.
        let unseen = try offField.dropFirst(100).prefix(10).map { line -> String in
            var object = try JSONLines.object(line)
            object["label"] = nil
            return try JSONLines.line(object)
        }
        let field = JSONLines.lines(of: try Data(contentsOf: try LoopData.unlabelledExtra(10, in: scratch)))
        try scratch.write("new.jsonl", JSONLines.join(unseen + field))
        let classified = try LoopData.classified(try CLI.run(["classify", "--papers", scratch.path("new.jsonl"), "--model", scratch.path("off.model")]).stdout)
        let offTopicIDs = classified.filter { $0.probabilities.max { $0.value < $1.value }!.key == "off-topic" }.map(\.id)
        #expect(offTopicIDs.count >= 8, "the model called only \(offTopicIDs.count) of 10 off-field papers off-topic")

        let digest = try CLI.run(["digest", "--papers", scratch.path("new.jsonl"), "--model", scratch.path("off.model"), "--library", scratch.path("lib.sqlite"), "--run-time", "2026-12-03 08:00"])
        try #require(digest.status == 0, CLI.describe(digest))
        let shown = LoopData.sections(ofDigest: digest.stdoutText).values.flatMap { $0 }
        #expect(Set(shown) == Set(classified.map(\.id)).subtracting(offTopicIDs))
        #expect(digest.stderrText.contains("left out \(offTopicIDs.count) off-topic paper(s): \(offTopicIDs.joined(separator: " "))"))
        let runs = try CLI.run(["library", "runs", "--library", scratch.path("lib.sqlite")])
        #expect(runs.stdoutText.contains("off-topic: \(offTopicIDs.joined(separator: " "))"), "\(runs.stdoutText)")

        // Only off-topic papers: the run fails, records nothing, and leaves no new library file behind.
        let offOnly = try JSONLines.lines(of: try scratch.read("new.jsonl")).filter { line in
            offTopicIDs.contains(try JSONLines.object(line)["id"] as? String ?? "")
        }
        try scratch.write("off-only.jsonl", JSONLines.join(offOnly))
        let empty = try CLI.run(["digest", "--papers", scratch.path("off-only.jsonl"), "--model", scratch.path("off.model"), "--library", scratch.path("new-lib.sqlite")])
        #expect(empty.status == 1 && empty.stderrText.contains("no run is recorded"), CLI.describe(empty))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("new-lib.sqlite")), "a failed run left a new library behind")
    }
}

enum LoopDataPaths {
    static let samples = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl").path
}
