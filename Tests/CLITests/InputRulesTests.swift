import Foundation
import Testing
import TestSupport

/// Input rules the user meets on the command line: bounded options, honest training, and inputs that are read
/// whole or refused, never silently reduced.
@Suite("input rules, option ranges and honest training")
struct InputRulesTests {
    static let samplePapers = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl").path
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path

    @Test("out-of-range numeric options are usage errors naming the option", arguments: [
        ["train", "--data", samplePapers, "--classifier", "cnb", "--alpha", "0", "-o", "/tmp/unused.model"],
        ["train", "--data", samplePapers, "--keyword-votes", "1e308", "-o", "/tmp/unused.model"],
        ["train", "--data", samplePapers, "--C", "1e-300", "-o", "/tmp/unused.model"],
        ["train", "--data", samplePapers, "--ngram-range", "1,50", "-o", "/tmp/unused.model"],
        ["train", "--data", samplePapers, "--max-iter", "0", "-o", "/tmp/unused.model"],
        ["classify", "--papers", samplePapers, "--batch-size", "100000000"],
        ["fetch", "--request-interval", "1e308"], ["fetch", "--timeout", "1e10"], ["fetch", "--max-results", "1000000000"],
        ["fetch", "--max-response-mib", "0"], ["fetch", "--attempts", "1000"],
        // Above the 64 MiB the Atom parser reads: the body could be fetched but never parsed.
        ["fetch", "--max-response-mib", "65"],
        // Past 1e3 the embedding's features overflowed the first step and the fit blamed --tol.
        ["train", "--data", samplePapers, "--embedding-weight", "1e150", "--embedding", "minilm", "-o", "/tmp/unused.model"],
    ])
    func outOfRange(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        let option = arguments.first { $0.hasPrefix("--") && !["--data", "--papers", "--classifier"].contains($0) && arguments.firstIndex(of: $0)! > 2 } ?? arguments[arguments.count - 2]
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.contains(option), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/unused.model"))
    }

    @Test("a negative number reaches the option's range check instead of being read as a flag", arguments: [
        ["train", "--data", samplePapers, "--title-repeat", "-1", "-o", "/tmp/unused.model"],
        ["train", "--data", samplePapers, "--C", "-4", "-o", "/tmp/unused.model"],
        ["classify", "--papers", samplePapers, "--batch-size", "-1"],
        ["fetch", "--timeout", "-5"],
    ])
    func negativeValues(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        let option = arguments[arguments.count - (arguments.contains("-o") ? 4 : 2)]
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.contains(option), CLI.describe(result))
        #expect(!result.stderrText.contains("Missing value"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/unused.model"))
    }

    @Test("an option that only acts with another is refused without it, not silently ignored", arguments: [
        (["train", "--data", samplePapers, "--embedding-weight", "0.5", "-o", "/tmp/unused.model"], "--embedding-weight needs --embedding"),
        (["classify", "--papers", samplePapers, "--explain-terms", "3"], "--explain-terms needs --explain"),
        (["train", "--data", samplePapers, "--grid-ngrams", "1,2", "-o", "/tmp/unused.model"], "--grid-ngrams is only read with --grid"),
        (["train", "--data", samplePapers, "--grid", "--C", "5", "-o", "/tmp/unused.model"], "--C is chosen by --grid (give the candidates with --grid-values)"),
        (["train", "--data", samplePapers, "--grid", "--ngram-range", "1,3", "-o", "/tmp/unused.model"], "--ngram-range is chosen by --grid (give the candidates with --grid-ngrams)"),
        (["train", "--data", samplePapers, "--grid", "--classifier", "nb", "--alpha", "0.1", "-o", "/tmp/unused.model"], "--alpha is chosen by --grid"),
        // What to ask arXiv for means nothing beside a saved input, which is read whole.
        (["fetch", "--feed", sampleFeed, "--max-results", "2"], "--max-results chooses what to fetch from arXiv; with --feed every paper"),
        (["digest", "--papers", samplePapers, "--query", "all:qubit", "--classifier", "keywords"], "--query chooses what to fetch from arXiv; with --papers every paper"),
        (["fetch", "--query", " "], "--query must not be empty"),
        // An empty path read the working folder ("it is a directory") or nothing ("cannot read : …").
        (["train", "--data", "", "-o", "/tmp/unused.model"], "--data is empty; give a file name"),
        (["classify", "--papers", ""], "--papers is empty; give a file name"),
        (["digest", "--feed", "", "--classifier", "keywords"], "--feed is empty; give a file name"),
        (["fetch", "--endpoint", "http://127.0.0.1:65536/api/query"], "--endpoint's port must be between 1 and 65535"),
        (["fetch", "--endpoint", "http://user@[::1]:99999999999999999999/api/query"], "--endpoint's port must be between 1 and 65535"),
        (["fetch", "--endpoint", "http://127.0.0.1:0/api/query"], "--endpoint's port must be between 1 and 65535"),
    ])
    func dependentOptions(arguments: [String], message: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.contains(message), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/unused.model"))
    }

    // swift-argument-parser validates before it reports unknown options: without a second parse, the first
    // three would say "Give the training data with --data …" or "Give the labelled papers …" instead.
    @Test("a mistyped option is reported as unknown, with a suggestion, before a required option it leaves missing", arguments: [
        (["train", "--dat", samplePapers, "-o", "/tmp/unused.model"], "Unknown option '--dat'. Did you mean '--data'?"),
        (["train", "--data", samplePapers, "--outptu", "/tmp/unused.model"], "Unknown option '--outptu'. Did you mean '--output'?"),
        (["evaluate", "--dat", samplePapers], "Unknown option '--dat'. Did you mean '--data'?"),
        (["init", "/tmp/unused-profile", "--name", "X", "--query", "all:x", "--sectoin", "a:A"], "Unknown option '--sectoin'. Did you mean '--section'?"),
        // With nothing mistyped, the missing option is still what is reported.
        (["train", "--data", samplePapers], "Give --output FILE.model"),
        (["evaluate"], "Give the labelled papers with --data FILE.jsonl."),
        (["init", "/tmp/unused-profile", "--name", "X", "--query", "all:x", "--section", "a:A"], "Give at least two sections"),
    ])
    func unknownBeforeMissing(arguments: [String], message: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.contains(message), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/unused.model"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/unused-profile"))
    }

    @Test("--help states the allowed ranges")
    func helpStatesRanges() throws {
        // Help text is wrapped to the terminal width: compare with white space collapsed.
        func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let train = flat(try CLI.run(["train", "--help"]).stdoutText)
        #expect(train.contains("MAX ≤ 5"))
        #expect(train.contains("1…100000"))
        let fetch = flat(try CLI.run(["fetch", "--help"]).stdoutText)
        #expect(fetch.contains("1…30000"))
        #expect(fetch.contains("0.1…600"))
    }

    @Test("a fit that made no progress is refused, and written only with --allow-no-progress")
    func noProgress() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let refused = try CLI.run(["train", "--data", Self.samplePapers, "--tol", "1", "-o", scratch.path("m.model")])
        #expect(refused.status == 1, CLI.describe(refused))
        #expect(refused.stderrText.contains("0 L-BFGS iterations") && refused.stderrText.contains("--C"), CLI.describe(refused))
        #expect(try scratch.listing().isEmpty)
        let allowed = try CLI.run(["train", "--data", Self.samplePapers, "--tol", "1", "--allow-no-progress", "-o", scratch.path("m.model")])
        #expect(allowed.status == 0, CLI.describe(allowed))
    }

    @Test("--data T --data T: duplicates dropped with a warning; cross-validation scores as with T once")
    func duplicatesDropped() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let once = try CLI.run(["train", "--data", Self.samplePapers, "--cv", "2", "-o", scratch.path("a.model")])
        let twice = try CLI.run(["train", "--data", Self.samplePapers, "--data", Self.samplePapers, "--cv", "2", "-o", scratch.path("b.model")])
        try #require(once.status == 0 && twice.status == 0, CLI.describe(twice))
        #expect(twice.stderrText.contains("dropped 16 duplicate record(s)"), CLI.describe(twice))
        func scores(_ text: String) -> String? { text.split(separator: "\n").first { $0.hasPrefix("cross-validated") }.map(String.init) }
        #expect(scores(twice.stderrText) != nil)
        #expect(scores(twice.stderrText) == scores(once.stderrText))
    }

    @Test("a duplicate JSON key is an error naming the line and the key")
    func duplicateKey() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var lines = try JSONLines.sampleLines()
        lines[2] = String(lines[2].dropLast()) + ", \"title\": \"Another title\"}"
        try scratch.write("dup.jsonl", JSONLines.join(lines))
        let result = try CLI.run(["fetch", "--papers", scratch.path("dup.jsonl")])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("dup.jsonl:3: key \"title\" appears twice"), CLI.describe(result))
    }

    @Test("repeated --papers and --feed read every file in order, deduplicated by id; classify refuses repeats")
    func repeatedInputs() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let lines = try JSONLines.sampleLines()
        try scratch.write("a.jsonl", JSONLines.join(Array(lines[0..<10])))
        try scratch.write("b.jsonl", JSONLines.join(Array(lines[5..<16])))
        let result = try CLI.run(["fetch", "--papers", scratch.path("a.jsonl"), "--papers", scratch.path("b.jsonl")])
        #expect(result.status == 0, CLI.describe(result))
        let ids = try JSONLines.lines(of: result.stdout).map { try JSONLines.object($0)["id"] as? String }
        let expected = try lines.map { try JSONLines.object($0)["id"] as? String }
        #expect(ids == expected)
        let feeds = try CLI.run(["fetch", "--feed", Self.sampleFeed, "--feed", Self.sampleFeed])
        #expect(JSONLines.lines(of: feeds.stdout).count == 6)
        let classify = try CLI.run(["classify", "--papers", scratch.path("a.jsonl"), "--papers", scratch.path("b.jsonl")])
        #expect(classify.status == 64, CLI.describe(classify))
        #expect(classify.stderrText.contains("Give --papers once"))
    }

    @Test("gzip input is refused with \"decompress first\"; a directory or a missing file gets one clean line")
    func unreadableInputs() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let gzip = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c '\(Self.samplePapers)' > '\(scratch.path("p.jsonl.gz"))' && gzip -c '\(Self.sampleFeed)' > '\(scratch.path("f.xml.gz"))'"])
        try #require(gzip.status == 0)
        for arguments in [["fetch", "--papers", scratch.path("p.jsonl.gz")], ["classify", "--papers", scratch.path("p.jsonl.gz")],
                          ["classify", "--skip-invalid", "--papers", scratch.path("p.jsonl.gz")], ["fetch", "--feed", scratch.path("f.xml.gz")]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 1, "\(arguments): \(CLI.describe(result))")
            #expect(result.stderrText.contains("decompress it first"), "\(arguments): \(CLI.describe(result))")
        }
        for arguments in [["fetch", "--papers", scratch.folder.path], ["fetch", "--feed", scratch.folder.path], ["classify", "--papers", scratch.folder.path]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 1)
            #expect(result.stderrText == "Error: cannot read \(scratch.folder.path): it is a directory, not a file\n", "\(arguments): \(CLI.describe(result))")
        }
        let missing = try CLI.run(["fetch", "--papers", scratch.path("nope.jsonl")])
        #expect(missing.stderrText == "Error: cannot read \(scratch.path("nope.jsonl")): No such file or directory\n", CLI.describe(missing))
    }

    @Test("classify --skip-invalid with no valid line is an error and leaves the old output")
    func skipInvalidNothingValid() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("junk.jsonl", "not json\n{\"id\": 1}\n[]\n")
        try scratch.write("out.jsonl", goodContent)
        let result = try CLI.run(["classify", "--model", try TrainedModels.sample().path, "--skip-invalid",
                                  "--papers", scratch.path("junk.jsonl"), "-o", scratch.path("out.jsonl")])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("all 3 line(s) are invalid"), CLI.describe(result))
        #expect(try scratch.text("out.jsonl") == goodContent)
        #expect(try scratch.listing() == ["junk.jsonl", "out.jsonl"])
    }

    @Test("an empty feed keeps yesterday's digest unless --allow-empty")
    func emptyFeed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("d.md", goodContent)
        let empty = SharedData.url("fixtures/atom/empty-result-id-0000.0000.xml").path
        let kept = try CLI.run(["digest", "--feed", empty, "--classifier", "keywords", "-o", scratch.path("d.md")])
        #expect(kept.status == 1, CLI.describe(kept))
        #expect(kept.stderrText.contains("--allow-empty"))
        #expect(try scratch.text("d.md") == goodContent)
        let allowed = try CLI.run(["digest", "--feed", empty, "--classifier", "keywords", "--allow-empty", "-o", scratch.path("d.md")])
        #expect(allowed.status == 0, CLI.describe(allowed))
        #expect(try scratch.text("d.md") != goodContent)
    }

    @Test("fetch of an empty feed keeps the existing file unless --allow-empty", arguments: ["empty-result-id-0000.0000.xml", "empty-result-id-0808.05394.xml"])
    func emptyFetch(fixture: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("papers.jsonl", goodContent)
        let empty = SharedData.url("fixtures/atom/" + fixture).path
        let kept = try CLI.run(["fetch", "--feed", empty, "-o", scratch.path("papers.jsonl")])
        #expect(kept.status == 1, CLI.describe(kept))
        #expect(kept.stderrText.contains("no papers in the input") && kept.stderrText.contains("--allow-empty"), CLI.describe(kept))
        #expect(try scratch.text("papers.jsonl") == goodContent)
        let allowed = try CLI.run(["fetch", "--feed", empty, "--allow-empty", "-o", scratch.path("papers.jsonl")])
        #expect(allowed.status == 0, CLI.describe(allowed))
        #expect(try scratch.text("papers.jsonl") == "")
    }

    @Test("digest --fallback naming no section of the profile is a usage error, and the old digest stays")
    func unknownFallback() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("d.md", goodContent)
        let feed = SharedData.url("fixtures/atom/search-testing-start0-max10.xml").path
        let result = try CLI.run(["digest", "--feed", feed, "--classifier", "keywords",
                                  "--fallback", "bogus", "-o", scratch.path("d.md")])
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.contains("--fallback bogus is no section of the profile"), CLI.describe(result))
        #expect(try scratch.text("d.md") == goodContent)
    }

    @Test("an endpoint with a #fragment is refused; its password is never printed")
    func endpointRules() throws {
        let fragment = try CLI.run(["fetch", "--endpoint", "https://user:hunter2@example.org/api/query#top"])
        #expect(fragment.status == 64)
        #expect(fragment.stderrText.contains("#fragment"))
        #expect(!fragment.stderrText.contains("hunter2"))
        let refused = try CLI.run(["fetch", "--endpoint", "http://user:hunter2@127.0.0.1:1/api/query", "--attempts", "1"])
        #expect(refused.status == 1)
        #expect(refused.stderrText.contains("***"))
        #expect(!refused.stderrText.contains("hunter2"), CLI.describe(refused))
    }
}
