import ArxivFeed
import Classifiers
import DigestProfile
import Foundation
import LinearAlgebra
import PaperLibrary
import TopicModel

extension DigestCommand {
    /// Sorts `papers` into sections with the learning-loop options: papers the model is unsure
    /// about (below `--min-confidence`) go to the fallback section, papers it calls off-topic are
    /// left out (and named on standard error), and `--new-only` drops papers an earlier run showed.
    /// Nothing is written to the library here: the run is returned for `LibraryRecord.commit(writing:_:)`,
    /// which records it around the writing of the pages, so a failed write never marks papers as shown.
    /// - Parameter model: nil for the keyword rules (which never abstain).
    /// - Returns: the papers to show, their section labels, and what to record in the library (nil without one).
    /// - Throws: when no paper is left to show (all shown before or off-topic) and `--allow-empty` is not given.
    func sortIntoSections(_ papers: [Paper], model: TopicModel?, modelSHA256: String, profile: DigestProfile, now: Date = Date()) throws -> (papers: [Paper], labels: [String], record: LibraryRecord?) {
        let minConfidence = loop.minConfidence ?? profile.minConfidence
        let fallback = loop.fallback ?? profile.fallback
        let decisions: [TopicDecision]
        let probabilities: DenseMatrix?
        if let model {
            let p = try model.predictProbabilities(papers)
            probabilities = p
            decisions = TopicRouting.decide(probabilities: p, classes: model.classes, minConfidence: minConfidence, fallback: fallback,
                                            offTopicLabel: DigestProfile.offTopicLabel)
        } else {
            let rules = profile.keywordRules
            probabilities = nil
            decisions = papers.map { paper in
                let label = rules.classify(title: paper.title, abstract: paper.abstract)
                return TopicDecision(predicted: label, confidence: 1, abstained: false, section: label)
            }
        }

        // The library is written only when asked for (--library, or --new-only which needs its
        // memory), so a plain digest run leaves no file behind. An existing one is opened now, for what
        // earlier runs showed; a new one is created only once the run is sure to be recorded, so a run that
        // fails below leaves no empty library behind either.
        let wantedLibrary = libraryURL(profile: profile)
        var library = try wantedLibrary.flatMap { url in
            FileManager.default.fileExists(atPath: url.path) ? try PaperLibrary(url: url, access: .record) : nil
        }
        let shownBefore = loop.newOnly ? try library?.shownPaperIDs() ?? [] : []
        var kept: [(paper: Paper, decision: TopicDecision)] = []
        for (paper, decision) in zip(papers, decisions) where !shownBefore.contains(paper.id) { kept.append((paper, decision)) }
        if loop.newOnly { logToStandardError("\(papers.count - kept.count) of \(papers.count) papers were shown by an earlier run; left out (--new-only)") }

        let offTopic = kept.filter { $0.decision.isOffTopic }.map(\.paper.id)
        if !offTopic.isEmpty { logToStandardError("left out \(offTopic.count) off-topic paper(s): \(offTopic.joined(separator: " "))") }
        let abstained = kept.filter(\.decision.abstained).count
        if abstained > 0 { logToStandardError("\(abstained) paper(s) below the minimum confidence \(minConfidence!) went to \(fallback)") }

        let shown = kept.filter { !$0.decision.isOffTopic }
        if shown.isEmpty && !allowEmpty {
            // Like an empty fetch: nothing new must not replace the last digest with "No new papers".
            throw CLIError("no papers left to show: \(papers.count - kept.count) of \(papers.count) shown by an earlier run, \(offTopic.count) off-topic; "
                           + "the existing digest is kept and no run is recorded (--allow-empty writes an empty digest)")
        }
        if library == nil, let url = wantedLibrary { library = try PaperLibrary(url: url, access: .record) }
        var record: LibraryRecord?
        if let library {
            var predictions: [PaperLibrary.Prediction]?
            if let model, let probabilities {
                predictions = papers.indices.map { i in
                    PaperLibrary.Prediction(
                        paperID: papers[i].id, label: decisions[i].predicted, confidence: decisions[i].confidence,
                        probabilities: Dictionary(uniqueKeysWithValues: zip(model.classes, probabilities.row(i))))
                }
            }
            record = LibraryRecord(library: library, run: PaperLibrary.DigestRun(
                time: now, profile: profile.name, modelSHA256: modelSHA256, papers: papers, predictions: predictions,
                placements: kept.map { PaperLibrary.RunPaper(paperID: $0.paper.id, section: $0.decision.section, abstained: $0.decision.abstained) },
                unshownOnly: loop.newOnly))
        }
        return (shown.map(\.paper), shown.map { $0.decision.section! }, record)
    }

    /// The library this run reads and records in: `--library`, else with `--new-only` (which needs its
    /// memory) the profile's; nil otherwise, so a plain digest run leaves no file behind.
    func libraryURL(profile: DigestProfile) -> URL? {
        loop.library.map { URL(fileURLWithPath: $0) } ?? (loop.newOnly ? profile.libraryURL : nil)
    }
}

/// One digest run as the paper library keeps it: the papers seen, the model's predictions and where each
/// paper went, recorded in one transaction around the writing of the pages (``PaperLibrary/record(_:around:)``).
struct LibraryRecord {
    let library: PaperLibrary
    let run: PaperLibrary.DigestRun

    /// Records the run while `pages` are written to temporary files, then puts them in place: a library
    /// that cannot be written (locked, read-only, a full disk at commit) is reported before any page is
    /// replaced, a failed page write records nothing, and a page that cannot be put in place removes the run
    /// again (so its papers are shown by the next run).
    func commit(writing pages: DigestTargets, _ texts: [String]) throws {
        let runID = try library.record(run, around: { try pages.prepare(texts) }, publish: { try $0.publish() })
        logToStandardError("recorded run \(runID) in \(library.url.path): \(run.papers.count) papers seen, \(run.placements.filter { $0.section != nil }.count) shown")
    }
}
