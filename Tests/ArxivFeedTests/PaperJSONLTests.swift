import ArxivFeed
import Foundation
import Testing
import TestSupport

@Suite("Paper JSON Lines")
struct PaperJSONLTests {
    /// A record with every field set, and text that needs escaping.
    static let fullPaper = Paper(
        id: "astro-ph/0601001", url: "http://arxiv.org/abs/astro-ph/0601001v1",
        title: "Quotes \"x\", back\\slash, tab\there, ünïcödé ∑ 🧠, slash a/b",
        abstract: "Line one\nline two\r\u{01} control, U+2028:\u{2028}.", published: "2006-01-02T14:57:58Z",
        updated: "2006-01-03T00:00:00Z", authors: ["A. Gould", "S. Dörsher"], affiliations: [["Ohio State"], []],
        authorsTruncated: true, primaryCategory: "astro-ph", categories: ["astro-ph", "gr-qc"],
        pdfURL: "https://arxiv.org/pdf/astro-ph/0601001v1", absURL: "https://arxiv.org/abs/astro-ph/0601001v1",
        doiURL: "http://dx.doi.org/10.1/x", doi: "10.1/x", comment: "62 pages", journalRef: "ActaAstron.56:1-50,2006",
        label: "hardware", confidence: "low", secondary: "general", source: "arxiv-listing",
        annotations: ["hardware", "general", "hardware"]
    )

    /// Writes `text` to a fresh temporary file.
    static func file(_ bytes: Data, name: String = "papers.jsonl") throws -> URL {
        let url = try SharedData.temporaryDirectory().appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }

    static func reader(_ text: String, options: PaperJSONLReader.Options = .init()) throws -> PaperJSONLReader {
        try PaperJSONLReader(contentsOf: file(Data(text.utf8)), options: options)
    }

    /// The error of reading `text` to the end, as `papers.jsonl:N: reason`.
    static func readError(_ text: String) throws -> String {
        do {
            _ = try reader(text).readAll()
        } catch let error as PaperJSONLError {
            return error.description.components(separatedBy: "/").last ?? ""
        }
        return "no error"
    }

    @Test("every field round-trips, and the line has every field JSONEncoder would write")
    func roundTrip() throws {
        let line = PaperJSONLWriter.line(for: Self.fullPaper)
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        let decoded = try JSONDecoder().decode(Paper.self, from: Data(line.utf8))
        #expect(decoded == Self.fullPaper)

        let ours = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let reference = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.fullPaper)) as? [String: Any])
        #expect(Set(ours.keys) == Set(reference.keys))
        #expect(ours.count == 22)
    }

    @Test("output is deterministic: fixed key order, nil fields omitted, slashes and non-ASCII unescaped")
    func deterministic() throws {
        let minimal = Paper(id: "2602.01874", title: "T/é", abstract: "A", published: "2026-02-02")
        #expect(PaperJSONLWriter.line(for: minimal)
            == #"{"id": "2602.01874", "title": "T/é", "abstract": "A", "published": "2026-02-02"}"# + "\n")
        let full = PaperJSONLWriter.line(for: Self.fullPaper)
        #expect(full == PaperJSONLWriter.line(for: Self.fullPaper))
        #expect(full.hasPrefix(#"{"id": "astro-ph/0601001", "url": "http://arxiv.org/abs/astro-ph/0601001v1", "title": "Quotes \"x\", back\\slash, tab\there"#))
        #expect(full.contains(#""abstract": "Line one\nline two\r\u0001 control"#))
        #expect(full.hasSuffix(#""source": "arxiv-listing", "annotations": ["hardware", "general", "hardware"]}"# + "\n"))
        let order = ["\"id\"", "\"url\"", "\"title\"", "\"abstract\"", "\"published\"", "\"updated\"", "\"authors\"",
                     "\"affiliations\"", "\"authors_truncated\"", "\"primary_category\"", "\"categories\"", "\"pdf_url\"",
                     "\"abs_url\"", "\"doi_url\"", "\"doi\":", "\"comment\"", "\"journal_ref\"", "\"label\"",
                     "\"confidence\"", "\"secondary\"", "\"source\"", "\"annotations\""]
        let positions = try order.map { try #require(full.range(of: $0)).lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test("writer and reader round-trip a file, through the streaming writer")
    func fileRoundTrip() throws {
        let papers = [Self.fullPaper, Paper(id: "1", title: "0", abstract: "", published: "2026-01")]
        let url = try Self.file(Data())
        let handle = try FileHandle(forWritingTo: url)
        let writer = PaperJSONLWriter(fileHandle: handle)
        for paper in papers { try writer.write(paper) }
        try writer.flush()
        try handle.close()
        #expect(try Data(contentsOf: url) == PaperJSONLWriter.encode(papers))
        #expect(try PaperJSONLReader.readAll(contentsOf: url) == papers)
    }

    @Test("train.jsonl: 1,571 labelled records")
    func trainingSet() throws {
        let papers = try PaperJSONLReader.readAll(contentsOf: SharedData.url("datasets/topics/train.jsonl"))
        #expect(papers.count == 1_571)
        let labels = Dictionary(grouping: papers, by: { $0.label ?? "none" }).mapValues(\.count)
        #expect(labels == ["hardware": 462, "algorithms": 467, "applications": 528, "general": 114])
        #expect(papers.allSatisfy { !$0.id.isEmpty && !$0.title.isEmpty && $0.annotations?.isEmpty == false })
        // Re-encoding and reading back gives the same records.
        let again = try PaperJSONLReader(contentsOf: Self.file(PaperJSONLWriter.encode(papers))).readAll()
        #expect(again == papers)
    }

    @Test("CRLF line ends, blank lines, a BOM and a missing final newline are accepted; small chunks too")
    func lineEnds() throws {
        let a = PaperJSONLWriter.line(for: Paper(id: "1", title: "a", abstract: "x", published: "2026"))
        let b = PaperJSONLWriter.line(for: Paper(id: "2", title: "b", abstract: "y", published: "2026"))
        let text = "\u{FEFF}" + a.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n  \n\n" + b.dropLast()
        for chunkSize in [1, 7, 1 << 20] {
            let reader = try Self.reader(text, options: .init(chunkSize: chunkSize))
            #expect(try reader.readAll().map(\.id) == ["1", "2"])
            #expect(reader.lineNumber == 5)
        }
    }

    /// A JSON value nested 70 deep: valid, but past the fast scanner's 64 levels, so JSONDecoder reads the line.
    static let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)

    @Test("errors name the file, the line and the field", arguments: [
        (#"{"id": "1", "abstract": "a", "published": "p"}"#, #"papers.jsonl:2: missing field "title""#),
        (#"{"id": "1", "title": 5, "abstract": "a", "published": "p"}"#, #"papers.jsonl:2: field "title": expected string"#),
        (#"{"id": "1", "title": null, "abstract": "a", "published": "p"}"#, #"papers.jsonl:2: field "title" is null, expected string"#),
        (#"{"id": "1", "title": "t", "abstract": "a", "published": "p", "authors": ["x", 3]}"#,
         #"papers.jsonl:2: field "authors[1]": expected string"#),
        (#"[1, 2]"#, "papers.jsonl:2: not a JSON object"),
        ("null", "papers.jsonl:2: null, not a JSON object"),
        (#"{"id": "1", "title": "t""#, "papers.jsonl:2: not valid JSON at byte 25 of the line: the line ends inside an object that is not closed"),
        // Foundation alone would take a trailing comma, which JSON, Python and jq refuse.
        (#"{"id": "1", "title": "t", "abstract": "a", "published": "p",}"#,
         "papers.jsonl:2: not valid JSON at byte 61 of the line: expected a key (a string in double quotes), found '}'"),
        (#"{"id": "1", "title": "\ud800", "abstract": "a", "published": "p"}"#,
         #"papers.jsonl:2: not valid JSON at byte 23 of the line: \uD800 is half of a UTF-16 surrogate pair without its other half"#),
        (#"{"id": "1", "title": "", "abstract": "a", "published": "p"}"#, #"papers.jsonl:2: field "title" is empty"#),
        // Papers are told apart by id: empty ids would all be one paper.
        (#"{"id": "", "title": "T", "abstract": "a", "published": "p"}"#, #"papers.jsonl:2: field "id" is empty"#),
        (#"{"id": " \t", "title": "T", "abstract": "a", "published": "p"}"#, #"papers.jsonl:2: field "id" is empty"#),
        (#"{"id": "1", "title": " \t\n\u3000", "abstract": "a", "published": "p"}"#, #"papers.jsonl:2: field "title" is empty"#),
        // The slow path (JSONDecoder: an unknown value nested deeper than the fast scanner goes) checks the same.
        (#"{"id": "1", "title": "", "abstract": "a", "published": "p", "extra": "# + PaperJSONLTests.deep + "}", #"papers.jsonl:2: field "title" is empty"#),
    ])
    func lineErrors(badLine: String, expected: String) throws {
        let good = PaperJSONLWriter.line(for: Paper(id: "1", title: "a", abstract: "x", published: "2026"))
        #expect(try Self.readError(good + badLine + "\n" + good) == expected)
    }

    @Test("author names lose white space around them; names without it are kept as they are")
    func authorNamesTrimmed() throws {
        let text = #"{"id": "1", "title": "t", "abstract": "a", "published": "p", "authors": [" Ada Lovelace ", "\tBob\n", "Cy  Young", "\u00a0Zoë"]}"# + "\n"
            + #"{"id": "2", "title": "t", "abstract": "a", "published": "p", "authors": [" Ada "], "extra": "# + Self.deep + "}\n"
        let papers = try Self.reader(text).readAll()
        #expect(papers.map(\.authors) == [["Ada Lovelace", "Bob", "Cy  Young", "Zoë"], ["Ada"]])
    }

    @Test("invalid UTF-8 is reported with its line and byte")
    func invalidUTF8() throws {
        var bytes = Data("\n\n{\"id\": \"1\", \"title\": \"".utf8)
        bytes.append(contentsOf: [0xE2, 0x28, 0xA1])
        bytes.append(contentsOf: "\", \"abstract\": \"a\", \"published\": \"p\"}\n".utf8)
        #expect(throws: PaperJSONLError.self) { try PaperJSONLReader.readAll(contentsOf: Self.file(bytes)) }
        do {
            _ = try PaperJSONLReader.readAll(contentsOf: Self.file(bytes))
        } catch let PaperJSONLError.invalidLine(_, line, reason) {
            #expect(line == 3)
            #expect(reason == "invalid UTF-8 at byte 23 of the line")
        }
    }

    @Test("UTF-8 checking agrees with Foundation's decoder on edge cases", arguments: [
        [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0xE2, 0x82], [0x80], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0xA7, 0xA0], [0xEF, 0xBF, 0xBF],
    ] as [[UInt8]])
    func utf8EdgeCases(sequence: [UInt8]) throws {
        var bytes = Data(#"{"id": "1", "abstract": "a", "published": "p", "title": "x"#.utf8)
        bytes.append(contentsOf: sequence)
        bytes.append(contentsOf: "\"}\n".utf8)
        let valid = String(data: Data(sequence), encoding: .utf8) != nil
        let reader = try PaperJSONLReader(contentsOf: Self.file(bytes), options: .init(skipInvalidLines: true))
        let papers = try reader.readAll()
        #expect(papers.count == (valid ? 1 : 0))
        if valid { #expect(papers.first?.title.utf8.elementsEqual([UInt8(ascii: "x")] + sequence) == true) }
        #expect(reader.firstInvalidLine?.description.hasSuffix("invalid UTF-8 at byte 59 of the line") ?? valid)
    }

    @Test("byte offsets in messages count a leading byte-order mark")
    func offsetsCountTheByteOrderMark() throws {
        #expect(try Self.readError("\u{FEFF}" + #"{"id" "1"}"#) == #"papers.jsonl:1: not valid JSON at byte 10 of the line: expected ':' after a key, found '"'"#)
        let bytes = Data([0xEF, 0xBB, 0xBF] + Array(#"{"t": ""#.utf8) + [0xFF] + Array(#""}"#.utf8))
        do {
            _ = try PaperJSONLReader(contentsOf: Self.file(bytes)).readAll()
            Issue.record("invalid UTF-8 was read")
        } catch let error as PaperJSONLError {
            #expect(error.description.hasSuffix("papers.jsonl:1: invalid UTF-8 at byte 11 of the line"))
        }
    }

    @Test("skipping invalid lines counts them and keeps the first error")
    func skipInvalid() throws {
        let good = PaperJSONLWriter.line(for: Paper(id: "1", title: "a", abstract: "x", published: "2026"))
        let text = good + "not json\n" + good + "{\"id\": \"2\"}\n" + good
        let reader = try Self.reader(text, options: .init(skipInvalidLines: true))
        #expect(try reader.readAll().count == 3)
        #expect(reader.invalidLineCount == 2)
        #expect(reader.firstInvalidLine?.description.hasSuffix("papers.jsonl:2: not valid JSON at byte 1 of the line: expected a value, found 'not'") == true)
    }

    @Test("a line longer than the limit is an error, not unbounded memory")
    func longLine() throws {
        let text = String(repeating: "x", count: 5_000) + "\n"
        do {
            _ = try Self.reader(text, options: .init(skipInvalidLines: true, chunkSize: 1_000, maxLineBytes: 4_096)).readAll()
            Issue.record("no error")
        } catch let error as PaperJSONLError {
            #expect(error.description.hasSuffix("papers.jsonl:1: line longer than 4096 bytes"))
        }
    }

    @Test("a missing file is unreadable, naming it")
    func missingFile() {
        #expect {
            _ = try PaperJSONLReader(contentsOf: URL(fileURLWithPath: "no-such-dir/papers.jsonl"))
        } throws: { error in
            guard case PaperJSONLError.unreadable(let source, _) = error else { return false }
            return source == "no-such-dir/papers.jsonl"
        }
    }

    @Test("reads from a pipe, as from standard input")
    func pipe() throws {
        let pipe = Pipe()
        let papers = [Self.fullPaper, Paper(id: "9", title: "t", abstract: "a", published: "p")]
        let data = PaperJSONLWriter.encode(papers)
        pipe.fileHandleForWriting.write(data)
        try pipe.fileHandleForWriting.close()
        let reader = PaperJSONLReader(fileHandle: pipe.fileHandleForReading, source: "<stdin>")
        #expect(try reader.readAll() == papers)
    }

    @Test("with maxStreamBytes, a pipe past the bound is an error (an endless stream would fill the memory); a file of that size is read whole")
    func streamBound() throws {
        let line = PaperJSONLWriter.encode([Self.fullPaper])
        let data = Data((0..<(3 * (1 << 20) / line.count + 1)).flatMap { _ in line })  // just over 3 MiB
        let options = PaperJSONLReader.Options(maxStreamBytes: 1 << 20)
        let pipe = Pipe()
        // Written from another thread: the pipe's buffer holds far less than 3 MiB.
        let writing = Thread {
            try? pipe.fileHandleForWriting.write(contentsOf: data)
            try? pipe.fileHandleForWriting.close()
        }
        writing.start()
        let reader = PaperJSONLReader(fileHandle: pipe.fileHandleForReading, source: "<stdin>", options: options)
        #expect {
            _ = try reader.readAll()
        } throws: { error in
            "\(error)" == "<stdin>: more than 1 MiB from a pipe or device, which this command keeps whole; save it to a file first"
        }
        _ = pipe.fileHandleForReading.readDataToEndOfFile()  // lets the writer finish (closing instead would raise SIGPIPE)
        let file = try SharedData.temporaryDirectory().appendingPathComponent("big.jsonl")
        try data.write(to: file)
        #expect(try PaperJSONLReader.readAll(contentsOf: file, options: options).count == data.count / line.count)
    }

    @Test("a read that fails (standard input is a folder) gives the system's words, not Foundation's error dump")
    func readFailureReason() throws {
        let folder = try SharedData.temporaryDirectory()
        let handle = try #require(FileHandle(forReadingAtPath: folder.path))
        let reader = PaperJSONLReader(fileHandle: handle, source: "<stdin>")
        #expect {
            _ = try reader.next()
        } throws: { error in
            let text = "\(error)"
            return text.contains("<stdin>") && text.contains("Is a directory") && !text.contains("NSCocoaErrorDomain")
        }
    }
}
