import DigestProfile
import Foundation
import Testing
import TestSupport

/// A valid three-section profile; the bad-profile tests break one thing in it at a time.
let quantumProfile = """
    name = "quantum"
    model = "quantum.model"
    fallback = "other"

    [page]
    title = "⚛️ Quantum Computing - Daily ArXiv"
    intro = "Quantum papers, sorted by topic."

    [query]
    search = 'all:qubit OR all:"quantum error correction"'
    max_results = 50

    [[sections]]
    label = "hardware"
    heading = "🔧 Hardware & Qubits"
    keywords = ["transmon", "ion trap", "qubit"]

    [[sections]]
    label = "error-correction"
    heading = "🛡 Error Correction"
    keywords = ["surface code", "decoder", "logical qubit"]

    [[sections]]
    label = "other"
    heading = "📂 Other"

    """

private func parse(_ text: String, at path: String = "/data/quantum/profile.toml") throws -> DigestProfile {
    try DigestProfile.parse(text, file: URL(fileURLWithPath: path), displayName: "profile.toml")
}

/// The error `text` gives, or nil when it parses.
private func error(_ text: String) -> DigestProfileError? {
    do {
        _ = try parse(text)
        return nil
    } catch let error as DigestProfileError {
        return error
    } catch {
        Issue.record("not a DigestProfileError: \(error)")
        return nil
    }
}

@Suite("DigestProfile")
struct DigestProfileTests {
    @Test("the shipped profile holds the original digest's query, page text, sections and rules")
    func shipped() throws {
        let url = SharedData.packageRoot.appendingPathComponent("Models/open-neuromorphic.toml")
        let profile = try DigestProfile.load(from: url)
        #expect(profile.name == "open-neuromorphic")
        #expect(profile.modelURL == SharedData.packageRoot.appendingPathComponent("Models/topics.model").standardizedFileURL)
        #expect(profile.page.title == "🧠 Open Neuromorphic - Daily ArXiv")
        #expect(profile.page.intro == "Papers are automatically categorized by topic and sorted by date.")
        #expect(profile.query.search == #"all:neuromorphic OR all:"spiking neural network" OR all:memristor OR all:"in-memory computing" OR all:"event-based vision""#)
        #expect(profile.query.maxResults == 30)
        #expect(profile.labels == ["hardware", "algorithms", "applications", "general"])
        #expect(profile.sections.map(\.heading) == [
            "🛠 Hardware & Materials", "🧠 Algorithms & Theory", "👁\u{FE0F} Applications & Sensing", "📂 General / Uncategorized",
        ])
        #expect(profile.sections.map(\.keywords.count) == [16, 16, 17, 0])
        #expect(profile.sections[0].keywords.prefix(3) == ["memristor", "rram", "pcm"])
        #expect(profile.fallback == "general")
        #expect(profile.minConfidence == nil)
        #expect(profile.hasKeywordRules)
        #expect(profile.libraryURL.lastPathComponent == "library.sqlite")
        #expect(profile.outputs == DigestProfile.Outputs())
    }

    @Test("paths resolve against the profile's folder; optional keys are read")
    func optionalKeys() throws {
        let text = quantumProfile.replacingOccurrences(of: "fallback = \"other\"\n", with: """
            fallback = "other"
            min_confidence = 0.6
            library = "data/papers.sqlite"

            [outputs]
            markdown = "README.md"
            html = "/srv/www/index.html"
            atom = "../feed.xml"

            """)
        let profile = try parse(text)
        #expect(profile.modelURL.path == "/data/quantum/quantum.model")
        #expect(profile.libraryURL.path == "/data/quantum/data/papers.sqlite")
        #expect(profile.minConfidence == 0.6)
        #expect(profile.outputs.markdown?.path == "/data/quantum/README.md")
        #expect(profile.outputs.html?.path == "/srv/www/index.html")
        #expect(profile.outputs.atom?.path == "/data/feed.xml")
        #expect(profile.labels == ["hardware", "error-correction", "other"])
        #expect(profile.query == DigestProfile.Query(search: #"all:qubit OR all:"quantum error correction""#, maxResults: 50))
        // Without the optional keys: the default library beside the profile, no outputs, 30 results.
        let plain = try parse(quantumProfile.replacingOccurrences(of: "max_results = 50\n", with: ""))
        #expect(plain.libraryURL.path == "/data/quantum/library.sqlite")
        #expect(plain.minConfidence == nil)
        #expect(plain.query.maxResults == 30)
    }

    /// Each case: what to replace in the good profile, with what, and the line and key the error must name.
    @Test("a bad profile is refused with the file, line and key", arguments: [
        // A required key missing: the line of the table it is missing from.
        ("heading = \"🛡 Error Correction\"\n", "", 18, "sections[2].heading", "missing"),
        ("intro = \"Quantum papers, sorted by topic.\"\n", "", 5, "page.intro", "missing"),
        // Duplicate label and heading: the line of the second one.
        ("label = \"error-correction\"", "label = \"hardware\"", 19, "sections[2].label", "unique"),
        ("heading = \"🛡 Error Correction\"", "heading = \"🔧 Hardware & Qubits\"", 20, "sections[2].heading", "unique"),
        // The fallback must name a section.
        ("fallback = \"other\"", "fallback = \"misc\"", 3, "fallback", "no section label"),
        // A typo is an unknown key, not silently ignored.
        ("keywords = [\"surface code\"", "keyowrds = [\"surface code\"", 21, "sections[2].keyowrds", "unknown key"),
        ("max_results = 50", "max_result = 50", 11, "query.max_result", "unknown key"),
        ("name = \"quantum\"", "name = \"quantum\"\ntitle = \"x\"", 2, "title", "unknown key"),
        // Numbers in range, strings not empty, keywords lower-case.
        ("max_results = 50", "max_results = 0", 11, "query.max_results", "from 1 to 30000"),
        ("max_results = 50", "max_results = 30001", 11, "query.max_results", "from 1 to 30000"),
        ("fallback = \"other\"", "fallback = \"other\"\nmin_confidence = 1.5", 4, "min_confidence", "from 0 to 1"),
        ("search = 'all:qubit OR all:\"quantum error correction\"'", "search = \"  \"", 10, "query.search", "empty"),
        ("label = \"other\"", "label = \"\"", 24, "sections[3].label", "empty"),
        ("label = \"other\"", "label = \"other stuff\"", 24, "sections[3].label", "one word"),
        // off-topic is learned beside the sections and left out of a digest: no section may take it.
        ("label = \"hardware\"", "label = \"off-topic\"", 14, "sections[1].label", "reserved"),
        ("\"transmon\"", "\"Transmon\"", 16, "sections[1].keywords", "lower-cased"),
        ("name = \"quantum\"", "name = 7", 1, "name", "must be a string"),
        // White space only matches every paper as a keyword, and is no query.
        ("\"transmon\"", "\" \"", 16, "sections[1].keywords", "more than white space"),
        ("search = 'all:qubit OR all:\"quantum error correction\"'", "search = \" \\n \"", 10, "query.search", "empty"),
        // Text printed on one line of a page or a terminal: no control characters (an escape sequence).
        ("name = \"quantum\"", "name = \"quan\\u001B]0;x\\u0007tum\"", 1, "name", "without control characters"),
        ("title = \"⚛️ Quantum Computing - Daily ArXiv\"", "title = \"Quantum\\tComputing\"", 6, "page.title", "without control characters"),
        // A label with an invisible character looks like another in every message.
        ("label = \"other\"", "label = \"other\\u200B\"", 24, "sections[3].label", "invisible"),
        ("label = \"other\"", "label = \"other\\u007F\"", 24, "sections[3].label", "control"),
        // A page drops a heading's surrounding white space, so "Other " would show as a second "Other".
        ("heading = \"📂 Other\"", "heading = \"📂 Other \"", 25, "sections[3].heading", "white space"),
        // A path ending in / names a folder; the write would make a file of that name.
        ("model = \"quantum.model\"", "model = \"models/\"", 2, "model", "names a folder"),
        ("fallback = \"other\"", "fallback = \"other\"\nlibrary = \"lib/\"", 4, "library", "names a folder"),
    ] as [(String, String, Int, String, String)])
    func badProfile(replace: String, with replacement: String, line: Int, key: String, reason: String) throws {
        #expect(quantumProfile.contains(replace))
        let failure = try #require(error(quantumProfile.replacingOccurrences(of: replace, with: replacement)))
        #expect(failure.file == "profile.toml")
        #expect(failure.line == line, "\(failure)")
        #expect(failure.key == key, "\(failure)")
        #expect(failure.reason.contains(reason), "\(failure)")
        #expect(failure.description.hasPrefix("profile.toml:\(line): key \"\(key)\": "))
    }

    @Test("a label may hold the joiners of a Persian word or an emoji sequence; a value's own rendering is not quoted again")
    func joinersAndRenderings() throws {
        let persian = "سخت\u{200C}افزار", scientist = "👩\u{200D}🔬"
        let profile = try parse(quantumProfile.replacingOccurrences(of: "label = \"hardware\"", with: "label = \"\(persian)\"")
            .replacingOccurrences(of: "label = \"error-correction\"", with: "label = \"\(scientist)\"")
            .replacingOccurrences(of: "fallback = \"other\"", with: "fallback = \"other\""))
        #expect(profile.labels == [persian, scientist, "other"])
        let number = try #require(error(quantumProfile.replacingOccurrences(of: "name = \"quantum\"", with: "name = 7")))
        #expect(number.reason == "must be a string, got 7", "\(number)")
    }

    @Test("a CRLF profile's key errors still name the line")
    func crlfLines() throws {
        let crlf = quantumProfile.replacingOccurrences(of: "max_results = 50", with: "max_result = 50")
            .replacingOccurrences(of: "\n", with: "\r\n")
        let failure = try #require(error(crlf))
        #expect(failure.line == 11 && failure.key == "query.max_result", "\(failure)")
    }

    @Test("an unknown sub-table is named with its header's line")
    func unknownSubTable() throws {
        let failure = try #require(error(quantumProfile.replacingOccurrences(of: "max_results = 50\n", with: "max_results = 50\n[query.extra]\nx = 1\n")))
        #expect(failure.key == "query.extra" && failure.line == 12, "\(failure)")
    }

    @Test("a key or value with control characters is shown escaped in the message, never raw")
    func escapedInMessages() throws {
        let key = try #require(error(quantumProfile.replacingOccurrences(of: "name = \"quantum\"", with: "name = \"quantum\"\n\"n\\u001B]0;x\\u0007\" = 1")))
        #expect(key.description.contains(#"key "n\u{1B}]0;x\u{7}": unknown key"#), "\(key)")
        #expect(!key.description.unicodeScalars.contains { $0.properties.generalCategory == .control })
        let label = try #require(error(quantumProfile.replacingOccurrences(of: "label = \"other\"", with: "label = \"oth\\u001B[31mer\"")))
        #expect(label.reason.hasPrefix(#""oth\u{1B}[31mer" must be one word"#), "\(label)")
    }

    @Test("bad TOML gives TOML's own line")
    func badTOML() throws {
        let failure = try #require(error(quantumProfile.replacingOccurrences(of: "max_results = 50", with: "max_results = = 50")))
        #expect(failure.line == 11, "\(failure)")
        #expect(failure.reason.contains("not valid TOML"))
        #expect(failure.key == nil)
        let unclosed = try #require(error(quantumProfile.replacingOccurrences(of: "[page]", with: "[page")))
        #expect(unclosed.line == 5, "\(unclosed)")
    }

    @Test("a missing top-level key or table is named (it has no line)")
    func missingTopLevel() throws {
        let noFallback = try #require(error(quantumProfile.replacingOccurrences(of: "fallback = \"other\"\n", with: "")))
        #expect(noFallback.key == "fallback")
        #expect(noFallback.line == nil)
        #expect(noFallback.reason.contains("missing"))
        let noQuery = try #require(error(quantumProfile.replacingOccurrences(of: "[query]", with: "[search]")))
        #expect(noQuery.key == "search" && noQuery.line == 9, "\(noQuery)")
    }

    @Test("a digest needs at least two sections")
    func oneSection() throws {
        let end = try #require(quantumProfile.range(of: "\n[[sections]]\nlabel = \"error-correction\""))
        let failure = try #require(error(String(quantumProfile[..<end.lowerBound])))
        #expect(failure.key == "sections")
        #expect(failure.line == 13, "\(failure)")
        #expect(failure.reason.contains("at least two"))
    }

    @Test("every one-line deletion or duplication either parses or names the file and a line inside it")
    func everyLineEdit() throws {
        let lines = quantumProfile.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var variants: [[String]] = []
        for index in lines.indices {
            variants.append(Array(lines[..<index] + lines[(index + 1)...]))
            variants.append(Array(lines[...index] + lines[index...]))
        }
        var refused = 0
        for variant in variants {
            guard let failure = error(variant.joined(separator: "\n")) else { continue }
            refused += 1
            #expect(failure.file == "profile.toml")
            if let line = failure.line { #expect((1...variant.count).contains(line), "\(failure)") }
            #expect(failure.line != nil || failure.key != nil, "neither line nor key: \(failure)")
        }
        // Deleting any required line, or repeating a key, must be refused: most variants are.
        #expect(refused >= lines.filter { !$0.isEmpty }.count, "only \(refused) of \(variants.count) variants refused")
    }

    @Test("a NUL byte is refused with its line (TOML text cannot hold one)")
    func nulByte() throws {
        let failure = try #require(error(quantumProfile.replacingOccurrences(of: "Quantum papers", with: "Quantum\0papers")))
        #expect(failure.line == 7, "\(failure)")
        #expect(failure.reason.contains("NUL"))
    }

    @Test("an unreadable or non-UTF-8 file names the file")
    func unreadable() throws {
        let folder = try SharedData.temporaryDirectory()
        let missing = folder.appendingPathComponent("nope.toml")
        #expect { try DigestProfile.load(from: missing) } throws: { "\($0)".contains("nope.toml") }
        let latin1 = folder.appendingPathComponent("latin1.toml")
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x20, 0x3D, 0x20, 0x22, 0xE9, 0x22, 0x0A]).write(to: latin1)
        #expect { try DigestProfile.load(from: latin1) } throws: { "\($0)".contains("latin1.toml") && "\($0)".contains("UTF-8") }
    }

    @Test("a profile from a pipe (--profile <(…), /dev/stdin) is read; a folder or a device gets the system's plain words")
    func pipesAndDevices() throws {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data(quantumProfile.utf8))
        try pipe.fileHandleForWriting.close()
        let fromPipe = try DigestProfile.load(from: URL(fileURLWithPath: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)"))
        #expect(fromPipe.name == "quantum" && fromPipe.sections.count == 3)
        let folder = try SharedData.temporaryDirectory()
        #expect { try DigestProfile.load(from: folder) } throws: { error in
            "\(error)" == "\(folder.path): cannot read the profile: Is a directory"
        }
        #expect { try DigestProfile.load(from: URL(fileURLWithPath: "/dev/zero")) } throws: { error in
            "\(error)" == "/dev/zero: more than 1 MiB; a profile is a page of text"
        }
        #expect { try DigestProfile.load(from: folder.appendingPathComponent("nope.toml")) } throws: { error in
            "\(error)".hasSuffix("nope.toml: cannot read the profile: No such file or directory")
        }
    }
}
