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
    /// left out (and named on standard error), `--new-only` drops papers an earlier run showed,
    /// and with `--library` the papers, the model's predictions and the run are recorded.
    /// - Parameter model: nil for the keyword rules (which never abstain).
    /// - Returns: the papers to show and their section labels.
    func sortIntoSections(_ papers: [Paper], model: TopicModel?, modelSHA256: String, profile: DigestProfile, now: Date = Date()) throws -> (papers: [Paper], labels: [String]) {
        let minConfidence = loop.minConfidence ?? profile.minConfidence
        let fallback = loop.fallback ?? profile.fallback
        let decisions: [TopicDecision]
        let probabilities: DenseMatrix?
        if let model {
            let p = try model.predictProbabilities(papers)
            probabilities = p
            decisions = TopicRouting.decide(probabilities: p, classes: model.classes, minConfidence: minConfidence, fallback: fallback)
        } else {
            let rules = profile.keywordRules
            probabilities = nil
            decisions = papers.map { paper in
                let label = rules.classify(title: paper.title, abstract: paper.abstract)
                return TopicDecision(predicted: label, confidence: 1, abstained: false, section: label)
            }
        }

        // The library is written only when asked for (--library, or --new-only which needs its
        // memory), so a plain digest run leaves no file behind.
        let libraryURL = loop.library.map { URL(fileURLWithPath: $0) } ?? (loop.newOnly ? profile.libraryURL : nil)
        let library = try libraryURL.map { try PaperLibrary(url: $0, access: .record) }
        let shownBefore = loop.newOnly ? try library?.shownPaperIDs() ?? [] : []
        var kept: [(paper: Paper, decision: TopicDecision)] = []
        for (paper, decision) in zip(papers, decisions) where !shownBefore.contains(paper.id) { kept.append((paper, decision)) }
        if loop.newOnly { logToStandardError("\(papers.count - kept.count) of \(papers.count) papers were shown by an earlier run; left out (--new-only)") }

        let offTopic = kept.filter { $0.decision.isOffTopic }.map(\.paper.id)
        if !offTopic.isEmpty { logToStandardError("left out \(offTopic.count) off-topic paper(s): \(offTopic.joined(separator: " "))") }
        let abstained = kept.filter(\.decision.abstained).count
        if abstained > 0 { logToStandardError("\(abstained) paper(s) below the minimum confidence \(minConfidence!) went to \(fallback)") }

        if let library {
            try library.recordPapers(papers, at: now)
            if let model, let probabilities {
                let predictions = papers.indices.map { i in
                    PaperLibrary.Prediction(
                        paperID: papers[i].id, label: decisions[i].predicted, confidence: decisions[i].confidence,
                        probabilities: Dictionary(uniqueKeysWithValues: zip(model.classes, probabilities.row(i))))
                }
                try library.recordPredictions(predictions, modelSHA256: modelSHA256, at: now)
            }
            let runID = try library.recordRun(time: now, profile: profile.name, modelSHA256: modelSHA256, papers: kept.map {
                PaperLibrary.RunPaper(paperID: $0.paper.id, section: $0.decision.section, abstained: $0.decision.abstained)
            })
            logToStandardError("recorded run \(runID) in \(library.url.path): \(papers.count) papers seen, \(kept.count - offTopic.count) shown")
        }
        let shown = kept.filter { !$0.decision.isOffTopic }
        return (shown.map(\.paper), shown.map { $0.decision.section! })
    }
}
