import Foundation
import Testing
import TestSupport

/// A second field, written here: three sections with their own title, intro, headings and keywords.
/// Its data is the shared training subset relabelled (hardware → devices, algorithms → theory,
/// the rest → other), so a model can learn it in seconds.
enum SecondProfile {
    static let title = "🔬 Brain Devices Weekly"
    static let intro = "Sorted by a model trained with --profile."
    static let headings = ["⚙️ Devices", "📐 Theory", "🗂 Everything else"]
    static let labels = ["devices", "theory", "other"]

    static let text = """
        name = "brain-devices"
        model = "devices.model"
        fallback = "other"

        [page]
        title = "\(title)"
        intro = "\(intro)"

        [query]
        search = 'all:memristor'
        max_results = 5

        [[sections]]
        label = "devices"
        heading = "\(headings[0])"
        keywords = ["memristor", "device", "circuit", "chip", "hardware", "cmos"]

        [[sections]]
        label = "theory"
        heading = "\(headings[1])"
        keywords = ["plasticity", "learning rule", "dynamics", "theory", "stdp"]

        [[sections]]
        label = "other"
        heading = "\(headings[2])"

        """

    static let relabel = ["hardware": "devices", "algorithms": "theory", "applications": "other", "general": "other"]

    /// Writes the profile and its relabelled data (`labelled.jsonl`) into `scratch`.
    static func write(into scratch: Scratch) throws {
        try scratch.write("profile.toml", text)
        var lines: [String] = []
        for line in JSONLines.lines(of: try Data(contentsOf: TrainedModels.subsetData())) {
            var record = try JSONLines.object(line)
            record["label"] = relabel[record["label"] as? String ?? ""]
            lines.append(try JSONLines.line(record))
        }
        try scratch.write("labelled.jsonl", JSONLines.join(lines))
        try scratch.write("some.jsonl", JSONLines.join(Array(lines.prefix(24))))
    }
}

@Suite("a second profile, end to end")
struct ProfileTests {
    @Test("train --profile → evaluate → digest --profile → import-digest --profile round trip")
    func secondField() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        let profile = scratch.path("profile.toml")

        // train: the allowed labels are the profile's; the model goes where the profile says.
        let trained = try CLI.run(["train", "--profile", profile, "--data", scratch.path("labelled.jsonl"), "--cv", "3",
                                   "--output", scratch.path("devices.model")])
        try #require(trained.status == 0, CLI.describe(trained))
        #expect(trained.stderrText.contains("keyword rules: accuracy"), CLI.describe(trained))
        #expect(trained.stderrText.contains("classes: devices"), CLI.describe(trained))

        // evaluate: the baseline is the profile's own rules, on the profile's labels only.
        let evaluated = try CLI.run(["evaluate", "--profile", profile, "--data", scratch.path("labelled.jsonl"),
                                     "--json", scratch.path("scores.json")])
        try #require(evaluated.status == 0, CLI.describe(evaluated))
        let json = try #require(try JSONSerialization.jsonObject(with: try scratch.read("scores.json")) as? [String: Any])
        #expect(json["labels"] as? [String] == SecondProfile.labels)
        let keywords = try #require(json["keywords"] as? [String: Any])
        #expect(Set(keywords["labels"] as? [String] ?? []) == Set(SecondProfile.labels))
        #expect(!evaluated.stdoutText.contains("hardware"), "\(evaluated.stdoutText)")

        // digest: the profile's title, intro and headings, in its order, each paper under its classify label.
        let digest = try CLI.run(["digest", "--profile", profile, "--papers", scratch.path("some.jsonl"),
                                  "--run-time", "2026-12-01 09:00", "--output", scratch.path("digest.md")])
        try #require(digest.status == 0, CLI.describe(digest))
        let page = try scratch.text("digest.md")
        #expect(page.hasPrefix("# \(SecondProfile.title)\n\n**Automated Daily Update** | Last Run: 2026-12-01 09:00 UTC\n\n\(SecondProfile.intro)\n\n## "))
        let headings = page.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        #expect(!headings.isEmpty)
        #expect(headings == SecondProfile.headings.filter(headings.contains), "headings out of profile order: \(headings)")

        let classified = try CLI.run(["classify", "--profile", profile, "--papers", scratch.path("some.jsonl")])
        try #require(classified.status == 0, CLI.describe(classified))
        let predicted = try Dictionary(uniqueKeysWithValues: JSONLines.lines(of: classified.stdout).map {
            let object = try JSONLines.object($0)
            return (object["id"] as? String ?? "", object["label"] as? String ?? "")
        })

        // import-digest: the headings map back to the labels classify gave.
        let imported = try CLI.run(["import-digest", "--profile", profile, scratch.path("digest.md"), "--output", scratch.path("back.jsonl")])
        try #require(imported.status == 0, CLI.describe(imported))
        let back = try JSONLines.lines(of: try scratch.read("back.jsonl")).map { try JSONLines.object($0) }
        #expect(back.count == 24)
        for record in back {
            let id = record["id"] as? String ?? ""
            #expect(record["label"] as? String == predicted[id], "\(id)")
        }

        // And the page round-trips byte for byte through import-digest and the profile's keyword rules.
        let keywordPage = try CLI.run(["digest", "--profile", profile, "--papers", scratch.path("some.jsonl"), "--classifier", "keywords",
                                       "--run-time", "2026-12-01 09:00", "--output", scratch.path("k.md")])
        try #require(keywordPage.status == 0, CLI.describe(keywordPage))
        let reimported = try CLI.run(["import-digest", "--profile", profile, scratch.path("k.md"), "--output", scratch.path("k.jsonl")])
        try #require(reimported.status == 0, CLI.describe(reimported))
        let again = try CLI.run(["digest", "--profile", profile, "--papers", scratch.path("k.jsonl"), "--classifier", "keywords",
                                 "--run-time", "2026-12-01 09:00"])
        try #require(again.status == 0, CLI.describe(again))
        #expect(again.stdout == (try scratch.read("k.md")))
        #expect(try scratch.text("k.md").contains("## \(SecondProfile.headings[1])\n"))
    }

    @Test("digest --profile refuses a model of other classes, naming both lists")
    func foreignModel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        try scratch.write("digest.md", goodContent)
        let result = try CLI.run(["digest", "--profile", scratch.path("profile.toml"), "--model", try TrainedModels.sample().path,
                                  "--papers", scratch.path("some.jsonl"), "--output", scratch.path("digest.md")])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("hardware, algorithms, applications, general"), CLI.describe(result))
        #expect(result.stderrText.contains("devices, theory, other"), CLI.describe(result))
        #expect(try scratch.text("digest.md") == goodContent)
    }

    @Test("train --profile refuses labels that are no section, naming the line")
    func trainForeignLabels() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        let samples = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")
        let result = try CLI.run(["train", "--profile", scratch.path("profile.toml"), "--data", samples.path, "--output", scratch.path("m.model")])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("labelled-papers.jsonl:1"), CLI.describe(result))
        #expect(result.stderrText.contains("devices, theory, other"), CLI.describe(result))
        #expect(try scratch.listing().contains("m.model") == false)
    }

    @Test("train --profile with a section labelled off-topic (the built-in class) names the line; it used to trap on a duplicate class")
    func trainReservedLabel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        try scratch.write("profile.toml", SecondProfile.text.replacingOccurrences(of: "\"other\"", with: "\"off-topic\""))
        let relabelled = try JSONLines.lines(of: try scratch.read("labelled.jsonl")).map { line in
            var record = try JSONLines.object(line)
            if record["label"] as? String == "other" { record["label"] = "off-topic" }
            return try JSONLines.line(record)
        }
        try scratch.write("labelled.jsonl", JSONLines.join(relabelled))
        let result = try CLI.run(["train", "--profile", scratch.path("profile.toml"), "--data", scratch.path("labelled.jsonl"),
                                  "--output", scratch.path("m.model")])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("profile.toml:24: key \"sections[3].label\": \"off-topic\" is reserved"), CLI.describe(result))
        #expect(try scratch.listing().contains("m.model") == false)
    }

    @Test("evaluate of a model on other labels, without --profile, has no keyword columns and no phantom rows")
    func noPhantomRows() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        // --labels auto: trained without the profile, so the default (neuromorphic) profile is in force.
        let trained = try CLI.run(["train", "--labels", "auto", "--data", scratch.path("labelled.jsonl"), "--cv", "3",
                                   "--output", scratch.path("auto.model")])
        try #require(trained.status == 0, CLI.describe(trained))
        #expect(!trained.stderrText.contains("keyword rules: accuracy"), CLI.describe(trained))
        #expect(trained.stderrText.contains("keyword rules left out of the comparison: they can give hardware, algorithms, applications, general"),
                CLI.describe(trained))
        let evaluated = try CLI.run(["evaluate", "--model", scratch.path("auto.model"), "--data", scratch.path("some.jsonl"),
                                     "--json", scratch.path("scores.json")])
        try #require(evaluated.status == 0, CLI.describe(evaluated))
        #expect(evaluated.stderrText.contains("keyword rules left out"), CLI.describe(evaluated))
        for label in ["hardware", "algorithms", "applications", "general", "keywords"] {
            #expect(!evaluated.stdoutText.contains(label), "\(label) in:\n\(evaluated.stdoutText)")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: try scratch.read("scores.json")) as? [String: Any])
        #expect(json["keywords"] == nil)
        #expect(Set(json["labels"] as? [String] ?? []).isSubset(of: Set(SecondProfile.labels)))
        // The model stores no keyword scores either.
        let model = String(decoding: try scratch.read("auto.model").prefix(4000), as: UTF8.self)
        #expect(model.contains("\"cross_validation\""))
        #expect(!model.contains("keywords_accuracy"))
    }

    @Test("a bad --profile stops every command before any work, naming file, line and key", arguments: [
        ["digest", "--papers", "P"], ["fetch", "--feed", "F"], ["import-digest", "D"], ["train", "--data", "P", "--output", "M"],
        ["evaluate", "--data", "P"], ["classify", "--papers", "P"],
    ])
    func badProfile(command: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        try scratch.write("bad.toml", SecondProfile.text.replacingOccurrences(of: "fallback = \"other\"", with: "fallback = \"misc\""))
        let paths = ["P": scratch.path("some.jsonl"), "F": SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path,
                     "D": scratch.path("none.md"), "M": scratch.path("m.model")]
        let arguments = command.map { paths[$0] ?? $0 } + ["--profile", scratch.path("bad.toml")]
        let result = try CLI.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderrText.contains("bad.toml:3: key \"fallback\""), CLI.describe(result))
        #expect(result.stdout.isEmpty)
    }

    @Test("fetch --profile asks arXiv for the profile's query and count; --query and --max-results still win")
    func fetchUsesTheProfileQuery() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        let page = try SharedData.data("fixtures/atom/search-testing-start0-max10.xml")
        let server = try LoopbackHTTPServer([.ok(page), .ok(page)])
        defer { server.stop() }
        let common = ["fetch", "--profile", scratch.path("profile.toml"), "--endpoint", server.url("/api/query").absoluteString,
                      "--request-interval", "0", "--timeout", "5"]
        let fromProfile = try await CLI.runDetached(common)
        try #require(fromProfile.status == 0, CLI.describe(fromProfile))
        #expect(JSONLines.lines(of: fromProfile.stdout).count == 5)
        let overridden = try await CLI.runDetached(common + ["--query", "all:qubit", "--max-results", "7"])
        try #require(overridden.status == 0, CLI.describe(overridden))
        let requests = server.requests
        try #require(requests.count == 2)
        #expect(requests[0].queryValue("search_query") == "all:memristor")
        #expect(requests[0].queryValue("max_results") == "5")
        #expect(requests[0].queryValue("sortBy") == "submittedDate")
        #expect(requests[1].queryValue("search_query") == "all:qubit")
        #expect(requests[1].queryValue("max_results") == "7")
    }

    @Test("train --profile --keyword-votes stores the profile's rules in the model, which then needs no profile")
    func keywordVotesAreSelfDescribing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        let trained = try CLI.run(["train", "--profile", scratch.path("profile.toml"), "--data", scratch.path("labelled.jsonl"),
                                   "--keyword-votes", "0.5", "--output", scratch.path("votes.model")])
        try #require(trained.status == 0, CLI.describe(trained))
        let header = String(decoding: try scratch.read("votes.model").prefix(6000), as: UTF8.self)
        #expect(header.contains(#""keywordRules":{"fallback":"other","topics":[{"keywords":["memristor","device","circuit","chip","hardware","cmos"],"label":"devices"}"#), "\(header.prefix(1500))")
        #expect(header.contains(#""layout_version":2"#))
        // The same labels with the profile and without it (the shipped profile's rules are not used).
        let withProfile = try CLI.run(["classify", "--profile", scratch.path("profile.toml"), "--model", scratch.path("votes.model"),
                                       "--papers", scratch.path("some.jsonl"), "--explain"])
        let without = try CLI.run(["classify", "--model", scratch.path("votes.model"), "--papers", scratch.path("some.jsonl"), "--explain"])
        try #require(withProfile.status == 0 && without.status == 0, CLI.describe(without))
        #expect(withProfile.stdout == without.stdout)
        #expect(without.stdoutText.contains("<keyword votes: devices>"))

        // A profile without keywords has no rules to vote with.
        try scratch.write("plain.toml", SecondProfile.text.replacingOccurrences(of: #"keywords = ["plasticity", "learning rule", "dynamics", "theory", "stdp"]"#, with: "")
            .replacingOccurrences(of: #"keywords = ["memristor", "device", "circuit", "chip", "hardware", "cmos"]"#, with: ""))
        let refused = try CLI.run(["train", "--profile", scratch.path("plain.toml"), "--data", scratch.path("labelled.jsonl"),
                                   "--keyword-votes", "0.5", "--output", scratch.path("none.model")])
        #expect(refused.status != 0)
        #expect(refused.stderrText.contains("--keyword-votes needs keyword rules"), CLI.describe(refused))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("none.model")))
    }

    @Test("--labels topics is the old name of --labels profile")
    func labelsTopicsAlias() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        for spelling in ["topics", "profile"] {
            let result = try CLI.run(["train", "--profile", scratch.path("profile.toml"), "--labels", spelling,
                                      "--data", scratch.path("labelled.jsonl"), "--output", scratch.path("\(spelling).model")])
            try #require(result.status == 0, CLI.describe(result))
        }
        #expect(try scratch.read("topics.model") == (try scratch.read("profile.model")))
    }

    @Test("a Models/ folder in the working folder does not replace the shipped profile")
    func workingFolderModels() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let shipped = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("Models/open-neuromorphic.toml"), encoding: .utf8)
        try FileManager.default.createDirectory(at: scratch.url("Models"), withIntermediateDirectories: true)
        let impostor = try #require(shipped.range(of: "title = \""))
        try scratch.write("Models/open-neuromorphic.toml", shipped.replacingCharacters(in: impostor, with: "title = \"NOT THE SHIPPED ONE "))
        let feed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path
        let result = try CLI.run(["digest", "--feed", feed, "--run-time", "2026-11-25 08:00"], currentDirectory: scratch.folder)
        try #require(result.status == 0, CLI.describe(result))
        #expect(result.stdoutText.hasPrefix("# 🧠 Open Neuromorphic - Daily ArXiv\n"), "\(result.stdoutText.prefix(200))")

        // A copy of the program with no shipped files beside it does not take the working folder's model either:
        // it names where it looked, beside itself.
        let apart = try Scratch()
        defer { apart.remove() }
        for folder in ["app/bin", "work/Models"] { try FileManager.default.createDirectory(at: apart.url(folder), withIntermediateDirectories: true) }
        try FileManager.default.copyItem(at: try ProcessRunner.arxivDigestBinary(), to: apart.url("app/bin/arxiv-digest"))
        try FileManager.default.copyItem(at: SharedData.packageRoot.appendingPathComponent("Models/topics-tfidf.model"), to: apart.url("work/Models/topics.model"))
        let samples = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl").path
        let classify = try ProcessRunner.run(apart.url("app/bin/arxiv-digest"), ["classify", "--papers", samples], currentDirectory: apart.url("work"))
        #expect(classify.status == 1, CLI.describe(classify))
        #expect(classify.stderrText.contains(apart.url("app/bin/Models/topics.model").path), CLI.describe(classify))
    }

    @Test("train --profile and digest warn of a section the model has no class for; it could never fill")
    func sectionWithoutClass() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        let withoutOther = try JSONLines.lines(of: try scratch.read("labelled.jsonl")).filter { line in
            try JSONLines.object(line)["label"] as? String != "other"
        }
        try scratch.write("two.jsonl", JSONLines.join(withoutOther))
        let trained = try CLI.run(["train", "--profile", scratch.path("profile.toml"), "--data", scratch.path("two.jsonl")])
        try #require(trained.status == 0, CLI.describe(trained))
        #expect(trained.stderrText.contains("warning: the training papers give no class for the section(s) other of"), CLI.describe(trained))
        let digest = try CLI.run(["digest", "--profile", scratch.path("profile.toml"), "--papers", scratch.path("some.jsonl"), "--run-time", "2026-12-01 09:00"])
        try #require(digest.status == 0, CLI.describe(digest))
        #expect(digest.stderrText.contains("has no class for the section(s) other of"), CLI.describe(digest))
        // With every section learned there is no warning.
        let full = try CLI.run(["train", "--profile", scratch.path("profile.toml"), "--data", scratch.path("labelled.jsonl")])
        try #require(full.status == 0, CLI.describe(full))
        #expect(!full.stderrText.contains("warning: the training papers give no class"), CLI.describe(full))
    }

    @Test("train --profile names the profile's model, not --output, when that path cannot be written; -o ending in / is refused")
    func profileModelPath() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try SecondProfile.write(into: scratch)
        try scratch.write("profile.toml", SecondProfile.text.replacingOccurrences(of: "model = \"devices.model\"", with: "model = \"nowhere/devices.model\""))
        let result = try CLI.run(["train", "--profile", scratch.path("profile.toml"), "--data", scratch.path("labelled.jsonl")])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.hasPrefix("Error: the profile's model cannot write"), CLI.describe(result))
        let slash = try CLI.run(["fetch", "--feed", SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path,
                                 "-o", scratch.path("site") + "/"])
        #expect(slash.status == 1, CLI.describe(slash))
        #expect(slash.stderrText.contains("ends in /, which names a folder"), CLI.describe(slash))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("site")))
    }

    @Test("an installed copy finds its profile and model in <prefix>/share/arxiv-digest")
    func installedLayout() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let fileManager = FileManager.default
        let bin = scratch.url("prefix/bin"), share = scratch.url("prefix/share/arxiv-digest"), elsewhere = scratch.url("elsewhere")
        for folder in [bin, share, elsewhere] { try fileManager.createDirectory(at: folder, withIntermediateDirectories: true) }
        try fileManager.copyItem(at: try ProcessRunner.arxivDigestBinary(), to: bin.appendingPathComponent("arxiv-digest"))
        for name in ["open-neuromorphic.toml", "topics.model"] {
            try fileManager.copyItem(at: SharedData.packageRoot.appendingPathComponent("Models/\(name)"), to: share.appendingPathComponent(name))
        }
        let feed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path
        let installed = try ProcessRunner.run(bin.appendingPathComponent("arxiv-digest"),
                                              ["digest", "--feed", feed, "--run-time", "2026-11-25 08:00"], currentDirectory: elsewhere)
        let checkout = try CLI.run(["digest", "--feed", feed, "--run-time", "2026-11-25 08:00"])
        try #require(installed.status == 0, CLI.describe(installed))
        try #require(checkout.status == 0, CLI.describe(checkout))
        #expect(installed.stdout == checkout.stdout)
        #expect(installed.stdoutText.hasPrefix("# 🧠 Open Neuromorphic - Daily ArXiv\n"))
    }
}
