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
            categories, the abstract wrapped to the terminal, and the model's guess. Keys: a digit or \
            the letter shown for each section, o off-topic, s skip, u undo the last answer, q quit. \
            Every answer is committed to the library at once, so quitting or a crash loses nothing and \
            the next run resumes with the papers still unlabelled. When standard input is not a \
            terminal, each input line is one key (for scripts); --from reads id<TAB>label lines instead.
            Examples:
              arxiv-digest label --library library.sqlite
              arxiv-digest label --library library.sqlite --from answers.tsv
            """
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var modelOptions: ModelLocationOptions
    @OptionGroup var libraryOptions: LibraryLocationOptions

    @Option(help: ArgumentHelp("Papers in JSON Lines to label (they are added to the library).", valueName: "file.jsonl"))
    var papers: String?

    @Option(help: ArgumentHelp("A saved arXiv API response (Atom XML) to label (its papers are added to the library).", valueName: "file.xml"))
    var feed: String?

    @Option(help: ArgumentHelp("Answers to record without asking: one id<TAB>label per line.", valueName: "answers.tsv"))
    var from: String?

    @Option(help: "How many papers of the review queue to show.")
    var count: Int = 20

    @Option(help: "Who is labelling (stored with each label).")
    var who: String = ProcessInfo.processInfo.environment["USER"] ?? "unknown"

    func validate() throws {
        if papers != nil && feed != nil { throw ValidationError("Give either --papers or --feed, not both.") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1.") }
    }

    func run() throws {
        let profile = try profileOptions.loadIfPresent()
        let model = try modelOptions.loadModel(profile: profile)
        let library = try libraryOptions.open(profile: profile)
        let sections = sectionLabels(profile: profile, model: model)
        let allowed = sections + [TopicRouting.offTopicLabel]
        var candidates: [Paper]? = nil
        if papers != nil || feed != nil {
            let loaded = try loadCandidates(papers: papers, feed: feed, library: library.url)
            try library.recordPapers(loaded, at: Date())
            let labelled = Set(try library.labelledPapers().map(\.id))
            candidates = loaded.filter { !labelled.contains($0.id) }
        }
        if let from {
            try recordAnswers(from: URL(fileURLWithPath: from), library: library, allowed: allowed)
            return
        }
        let queue = try ReviewQueue.rank(candidates ?? library.unlabelledPapers(), model: model, count: count)
        try Labeller(library: library, sections: sections, classes: model.classes, who: who).run(queue)
    }

    /// Records every line of an answers file, each committed at once; a bad line stops the run
    /// with its line number (the lines before it stay recorded).
    private func recordAnswers(from url: URL, library: PaperLibrary, allowed: [String]) throws {
        let text = String(decoding: try readFile(url), as: UTF8.self)
        var recorded = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let place = "\(url.path):\(index + 1)"
            guard fields.count >= 2, !fields[0].isEmpty else { throw CLIError("\(place): expected id<TAB>label, got \"\(trimmed)\"") }
            guard allowed.contains(fields[1]) else {
                throw CLIError("\(place): unknown label \"\(fields[1])\" (labels: \(allowed.joined(separator: ", ")))")
            }
            guard try library.paper(id: fields[0]) != nil else {
                throw CLIError("\(place): paper \(fields[0]) is not in the library \(library.url.path) (add it with --papers, --feed or digest --library)")
            }
            try library.addLabel(paperID: fields[0], label: fields[1], who: who, note: fields.count > 2 && !fields[2].isEmpty ? fields[2] : nil, at: Date())
            recorded += 1
        }
        logToStandardError("recorded \(recorded) label(s) in \(library.url.path)")
    }
}

/// The interactive loop: shows a paper, takes one key, commits the answer.
struct Labeller {
    let library: PaperLibrary
    let sections: [String]
    let classes: [String]
    let who: String

    /// Keys: digits 1…n, and a section's first letter when no other section or command shares it.
    var keys: [(key: Character, label: String)] {
        var result = sections.enumerated().compactMap { i, label -> (Character, String)? in i < 9 ? (Character("\(i + 1)"), label) : nil }
        let reserved: Set<Character> = ["o", "s", "u", "q"]
        for label in sections {
            guard let first = label.lowercased().first, !reserved.contains(first) else { continue }
            if sections.filter({ $0.lowercased().first == first }).count == 1 { result.append((first, label)) }
        }
        return result
    }

    func run(_ queue: [ReviewQueue.Pick]) throws {
        guard !queue.isEmpty else {
            try StandardStreams.write("Nothing to label: every paper in \(library.url.path) has a label.\n")
            return
        }
        let raw = TerminalRawMode()
        defer { raw?.restore() }
        let readKey: () -> Character? = {
            if let raw { return raw.readKey() }
            // Scripted input: one key per line.
            while let line = readLine() {
                if let key = line.trimmingCharacters(in: .whitespaces).first { return key }
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
            let lower = Character(key.lowercased())
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
            if lower == "o" { label = TopicRouting.offTopicLabel } else if let match = keys.first(where: { $0.key == lower }) { label = match.label } else {
                try StandardStreams.write("Unknown key \"\(key)\".\n")
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
        let width = max(40, terminalWidth())
        let paper = pick.paper
        let top = pick.probabilities.max() ?? 0
        var screen = "\n[\(number)/\(total)] \(paper.id)   model's guess: \(pick.label) (\(String(format: "%.0f%%", top * 100)))\n\n"
        screen += wrap(paper.title, width: width) + "\n"
        if let authors = paper.authors, !authors.isEmpty { screen += wrap(authors.joined(separator: ", "), width: width) + "\n" }
        if let categories = paper.categories, !categories.isEmpty { screen += categories.joined(separator: " ") + "\n" }
        screen += "\n" + wrap(paper.abstract, width: width) + "\n\n"
        let legend = keys.filter { $0.key.isNumber }.map { "\($0.key) \($0.label)" }
            + keys.filter { !$0.key.isNumber }.map { "\($0.key) \($0.label)" }
        screen += legend.joined(separator: "  ") + "  o off-topic  s skip  u undo  q quit\n> "
        try StandardStreams.write(screen)
    }
}

/// Greedy word wrap to `width` columns.
func wrap(_ text: String, width: Int) -> String {
    var lines: [String] = [], line = ""
    for word in text.split(whereSeparator: \.isWhitespace) {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
}
