import ArgumentParser
import ArxivFeed
import DigestProfile
import Foundation
import PaperLibrary
import TopicModel

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label papers, one key each, straight into the paper library.",
        discussion: """
            Shows the papers of the review queue (the unlabelled papers the model is least sure \
            about; --papers or --feed to label other papers) one at a time: title, authors, \
            categories, the abstract wrapped to the terminal, and the model's guess. Keys: the digit \
            (first nine sections) or the letter shown for each section, o off-topic, s skip, u undo \
            the last answer, q quit; Ctrl-C ends the run and puts the terminal back as it was. \
            Every answer is committed to the library at once, so quitting or a crash loses nothing and \
            the next run resumes with the papers still unlabelled. When standard input is not a \
            terminal, each input line is one key (for scripts); --from reads id<TAB>label lines instead, \
            checks them all, then records them in one transaction (a bad line records nothing). The \
            library is created when missing; an existing file that is not a paper library is refused.
            Examples:
              arxiv-digest label --library library.sqlite
              arxiv-digest label --library library.sqlite --from answers.tsv
            """
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var modelOptions: ModelLocationOptions
    @OptionGroup var libraryOptions: RecordingLibraryOptions

    @Option(help: ArgumentHelp("Papers in JSON Lines to label (they are added to the library); repeat to combine several files.", valueName: "file.jsonl"))
    var papers: [String] = []

    @Option(help: ArgumentHelp("A saved arXiv API response (Atom XML) to label (its papers are added to the library); repeat to combine several.", valueName: "file.xml"))
    var feed: [String] = []

    @Option(help: ArgumentHelp("Answers to record without asking: one id<TAB>label[<TAB>note] per line (LF or CRLF); all or nothing is recorded.", valueName: "answers.tsv"))
    var from: String?

    @Option(parsing: .unconditional, help: "How many papers of the review queue to show.")
    var count: Int = 20

    @Option(help: "Who is labelling (stored with each label).")
    var who: String = ProcessInfo.processInfo.environment["USER"] ?? "unknown"

    func validate() throws {
        try InputFile.refuseEmpty(papers, option: "--papers")
        try InputFile.refuseEmpty(feed, option: "--feed")
        if !papers.isEmpty && !feed.isEmpty { throw ValidationError("Give either --papers or --feed, not both.") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1.") }
    }

    func run() throws {
        let profile = try profileOptions.loadIfPresent()
        // Answers from a file need only the labels, the profile's sections: a new field records its first
        // labels before it has a model (or the encoder weights the model reads). The model is loaded to rank
        // papers, to name the labels when there is no profile, or to be checked when --model names one.
        func checkedModel() throws -> TopicModel {
            let url = modelOptions.resolvedModelURL(profile: profile)
            // A new field's first labels come before its first model: say how to go on without one.
            if profile != nil, modelOptions.model == nil, !FileManager.default.fileExists(atPath: url.path) {
                throw CLIError("""
                    label picks and ranks papers with the profile's model, \(url.path), which does not exist yet. \
                    Record labels without a model from an answers file (--from answers.tsv: one id<TAB>label line per \
                    paper), then train it: arxiv-digest train --profile <profile.toml> --library <library>
                    """)
            }
            let model = try modelOptions.loadModel(profile: profile)
            try requireModelClassesAreSections(model, file: url, profile: profile)
            return model
        }
        let model = from == nil || profile == nil || modelOptions.model != nil ? try checkedModel() : nil
        let sections = try profile?.labels ?? sectionLabels(profile: nil, model: model ?? checkedModel())
        let libraryURL = libraryOptions.resolvedURL(profile: profile)
        // Every input is read and checked before the library is opened, so a bad one leaves no new
        // library file behind and writes nothing to an existing one.
        let loaded = try loadPapers(papers: papers, feed: feed)
        if let from {
            let answers = try AnswersFile.read(URL(fileURLWithPath: from), allowed: sections + [DigestProfile.offTopicLabel])
            try recordAnswers(answers, papers: loaded ?? [], library: libraryURL)
            return
        }
        guard let model else { preconditionFailure("the model is loaded whenever there is no --from") }
        let keys = try LabelKeys(sections: sections)
        if let loaded, loaded.isEmpty {
            try StandardStreams.write("Nothing to label: \((feed + papers).joined(separator: ", ")) hold\(feed.count + papers.count == 1 ? "s" : "") no papers.\n")
            return
        }
        guard loaded != nil || FileManager.default.fileExists(atPath: libraryURL.path) else {
            throw CLIError("\(libraryURL.path): no paper library there; give --papers or --feed to label new papers, or --library FILE")
        }
        let library = try PaperLibrary(url: libraryURL, access: .record)
        var candidates: [Paper]
        if let loaded {
            try library.recordPapers(loaded, at: Date())
            let labelled = try library.labelledPaperIDs()
            candidates = loaded.filter { !labelled.contains($0.id) }
        } else {
            candidates = try library.unlabelledPapers()
        }
        let queue = try ReviewQueue.rank(candidates, model: model, count: count)
        try Labeller(library: library, keys: keys, who: who).run(queue)
    }

    /// Records every answer in one transaction, after checking that each names a paper the library
    /// holds or `papers` brings: a bad answer leaves the library as it was (and creates none).
    private func recordAnswers(_ answers: [AnswersFile.Line], papers: [Paper], library url: URL) throws {
        let exists = FileManager.default.fileExists(atPath: url.path)
        guard !answers.isEmpty || !papers.isEmpty || exists else {
            logToStandardError("recorded 0 label(s); no library created at \(url.path)")
            return
        }
        // Read first, without changing the file (an older library is upgraded in memory only): a bad answer
        // must leave it as the older build wrote it.
        let known = Set(papers.map(\.id)).union(exists ? try PaperLibrary(url: url, access: .read).paperIDs() : [])
        // An id copied with its version (2401.01234v2, as arXiv's pages show it) names the paper kept without one.
        let answers = answers.map { line in
            let id = line.answer.paperID, base = Paper.idWithoutVersion(id)
            guard !known.contains(id), base != id, known.contains(base) else { return line }
            var answer = line.answer
            answer.paperID = base
            return AnswersFile.Line(place: line.place, answer: answer)
        }
        if let unknown = answers.first(where: { !known.contains($0.answer.paperID) }) {
            throw CLIError("\(unknown.place): paper \(unknown.answer.paperID) is not in the library \(url.path) (add it with --papers, --feed or digest --library)")
        }
        // Opened for writing (created, or upgraded) only now, when every answer names a known paper.
        let library = try PaperLibrary(url: url, access: .record)
        let stored = try library.record(papers: papers, answers: answers.map(\.answer), who: who, at: Date())
        let repeated = answers.count - stored
        logToStandardError("recorded \(stored) label(s) in \(library.url.path)" + (repeated > 0 ? " (\(repeated) already had that label)" : ""))
    }
}

/// An answers file: one `id<TAB>label[<TAB>note]` per line; blank lines and `#` comments are
/// skipped. LF or CRLF line ends, with or without a UTF-8 byte order mark. One answer per paper: the
/// same answer twice is taken once, two different labels (or notes) for one paper are an error.
enum AnswersFile {
    struct Line {
        /// `file:line`, for messages.
        let place: String
        let answer: PaperLibrary.Answer
    }

    /// Reads and checks every line; the first bad one is named by file and line.
    static func read(_ url: URL, allowed: [String]) throws -> [Line] {
        var data = try readFile(url, limit: .textPage)
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        var answers: [Line] = []
        var firstAnswer: [String: Line] = [:]
        for (index, bytes) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let place = "\(url.path):\(index + 1)"
            // Checked line by line, so that the message can name the line (a note is stored as text).
            guard let line = String(data: Data(bytes), encoding: .utf8) else { throw CLIError("\(place): not valid UTF-8") }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            // Messages reach the terminal through StandardStreams.log, which shows control characters as symbols;
            // the whole line is shown with `safe` as well, so that its tabs show (␉) and the fields can be counted.
            guard (2...3).contains(fields.count) else {
                throw CLIError("\(place): expected id<TAB>label or id<TAB>label<TAB>note, got \(fields.count) field(s): \"\(TerminalText.safe(trimmed))\"")
            }
            guard !fields[0].isEmpty else { throw CLIError("\(place): the paper id (the first field) is empty: \"\(TerminalText.safe(trimmed))\"") }
            guard allowed.contains(fields[1]) else {
                throw CLIError("\(place): unknown label \"\(fields[1])\" (labels: \(allowed.joined(separator: ", ")))")
            }
            let note = fields.count > 2 && !fields[2].isEmpty ? fields[2] : nil
            let answer = Line(place: place, answer: PaperLibrary.Answer(paperID: fields[0], label: fields[1], note: note))
            let paper = Paper.idWithoutVersion(fields[0])
            if let earlier = firstAnswer[paper] {
                guard earlier.answer.label == answer.answer.label else {
                    throw CLIError("\(place): paper \(fields[0]) is labelled \"\(fields[1])\" here but \"\(earlier.answer.label)\" at \(earlier.place); give one answer per paper")
                }
                guard earlier.answer.note == answer.answer.note else {
                    throw CLIError("\(place): paper \(fields[0]) has a note here that differs from its answer at \(earlier.place); give one answer per paper")
                }
                continue
            }
            firstAnswer[paper] = answer
            answers.append(answer)
        }
        return answers
    }
}

/// The interactive loop: shows a paper, takes one key, commits the answer.
struct Labeller {
    let library: PaperLibrary
    let keys: LabelKeys
    let who: String

    func run(_ queue: [ReviewQueue.Pick]) throws {
        guard !queue.isEmpty else {
            try StandardStreams.write("Nothing to label: every paper in \(library.url.path) has a label.\n")
            return
        }
        let raw = TerminalRawMode()
        defer { raw?.restore() }
        let readKey: () -> String? = {
            if let raw { return raw.readKey() }
            // Scripted input: one key per line (a longer line is an unknown key, not its first letter).
            while let line = readLine() {
                let key = line.trimmingCharacters(in: .whitespaces)
                if !key.isEmpty { return key }
            }
            return nil
        }
        var position = 0
        var done: [(position: Int, labelID: Int64, paperID: String)] = []
        var labelled = 0
        while position < queue.count {
            let pick = queue[position]
            try show(pick, number: position + 1, of: queue.count)
            guard let key = readKey() else { break }
            let lower = key.lowercased()
            if lower == "q" { break }
            if lower == "s" { position += 1; continue }
            if lower == "u" {
                guard let last = done.popLast() else { try StandardStreams.write("Nothing to undo.\n"); continue }
                try library.removeLabel(id: last.labelID)
                logToStandardError("undid the label of \(last.paperID)")
                labelled -= 1
                position = last.position
                continue
            }
            let label: String
            if lower == "o" { label = DigestProfile.offTopicLabel } else if let match = keys.label(for: key) { label = match } else {
                try StandardStreams.write(key == TerminalRawMode.escapeSequence
                    ? "Unknown key (an arrow, function key or pasted text); use the keys below.\n"
                    : "Unknown key \"\(TerminalText.safe(key))\".\n")
                continue
            }
            let id = try library.addLabel(paperID: pick.paper.id, label: label, who: who, at: Date())
            logToStandardError("labelled \(pick.paper.id) as \(label)")
            done.append((position, id, pick.paper.id))
            labelled += 1
            position += 1
        }
        try StandardStreams.write("\(labelled) label(s) recorded in \(library.url.path).\n")
    }

    private func show(_ pick: ReviewQueue.Pick, number: Int, of total: Int) throws {
        // A floor only against a width of 0 or 1: a narrow terminal gets narrow lines (a longer word its own).
        let width = max(10, terminalWidth())
        let paper = pick.paper
        let top = pick.probabilities.max() ?? 0
        // The paper's text is data: its control characters are shown, never sent to the terminal as such.
        let safe = TerminalText.safe
        var screen = "\n[\(number)/\(total)] \(safe(paper.id))   model's guess: \(safe(pick.label)) (\(String(format: "%.0f%%", top * 100)))\n\n"
        screen += wrap(safe(paper.title), width: width) + "\n"
        if let authors = paper.authors, !authors.isEmpty { screen += wrap(safe(authors.joined(separator: ", ")), width: width) + "\n" }
        if let categories = paper.categories, !categories.isEmpty { screen += safe(categories.joined(separator: " ")) + "\n" }
        screen += "\n" + wrap(safe(paper.abstract), width: width) + "\n\n"
        screen += wrap(keys.legendItems, width: width, separator: "  ") + "\n> "
        try StandardStreams.write(screen)
    }
}

/// Greedy word wrap to `width` terminal columns (`TerminalText.columns`: a CJK character takes two).
func wrap(_ text: String, width: Int) -> String {
    wrap(text.split(whereSeparator: \.isWhitespace).map(String.init), width: width, separator: " ")
}

/// `words` on lines of at most `width` columns, `separator` between two on one line; a word wider than
/// `width` has a line of its own.
func wrap(_ words: [String], width: Int, separator: String) -> String {
    var lines: [String] = [], line = "", used = 0
    let gap = TerminalText.columns(separator)
    for word in words {
        let columns = TerminalText.columns(word)
        if !line.isEmpty && used + gap + columns > width {
            lines.append(line)
            (line, used) = ("", 0)
        }
        if !line.isEmpty { (line, used) = (line + separator, used + gap) }
        (line, used) = (line + word, used + columns)
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
}
