// In your Package.swift (with ArxivDigest checked out beside your package):
//   dependencies: [.package(path: "../ArxivDigest")],
//   .executableTarget(name: "my-tool", dependencies: [
//       .product(name: "TopicModel", package: "ArxivDigest"), .product(name: "ArxivFeed", package: "ArxivDigest"),
//       .product(name: "DigestProfile", package: "ArxivDigest"), .product(name: "DigestRendering", package: "ArxivDigest")])
import ArxivFeed
import DigestProfile
import DigestRendering
import Foundation
import TopicModel

/// Sorts one paper into a topic with a trained model, e.g. the shipped `Models/topics.model`.
func classify(modelFile: URL) throws -> (label: String, probabilities: [String: Double]) {
    let model = try TopicModel.read(from: modelFile)  // checks the checksum, layout and every dimension
    let paper = Paper(
        id: "2601.00001",
        title: "A memristor crossbar for in-memory computing",
        abstract: "We fabricate an RRAM crossbar array and use its conductance states as synaptic weights on chip.",
        published: "2026-01-01")
    let label = try model.predictLabels([paper])[0]  // one of model.classes
    let probabilities = try model.probabilities([paper])[0]  // every class, summing to 1
    return (label, probabilities)
}

/// A whole digest page from a saved arXiv response, laid out as a profile says.
func digestPage(profileFile: URL, atomFile: URL, runTime: String) throws -> String {
    let profile = try DigestProfile.load(from: profileFile)  // errors name the file, line and key
    let model = try TopicModel.read(from: profile.modelURL)
    let papers = try AtomFeed.parse(Data(contentsOf: atomFile), source: atomFile.path).papers
    let layout = DigestLayout(
        title: profile.page.title, intro: profile.page.intro,
        sections: profile.sections.map { DigestLayout.Section(label: $0.label, heading: $0.heading) },
        fallback: profile.fallback)
    return try DigestRenderer.render(papers: papers, labels: model.predictLabels(papers), runTime: runTime, layout: layout)
}
