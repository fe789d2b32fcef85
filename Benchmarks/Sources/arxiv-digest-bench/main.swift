// arxiv-digest-bench: measures ArxivDigest on one train/test split in this process and prints one
// JSON line per stage (the interface of anchors/bench_common.py). Driven by Benchmarks/run.py.
import Foundation
import TextFeatures

func defaultSetting(_ model: BenchOptions.Model) -> Double {
    switch model {
    case .logreg: 1.0
    case .mnb, .cnb: 1.0
    }
}

/// The candidate with the best mean macro-F1 over stratified folds of the first `cvMaxDocs` training
/// documents (ties: the earlier candidate).
func chooseByCrossValidation(_ options: BenchOptions, train: Split) throws -> (Double, [String: Double]) {
    let sample = train.prefix(options.cvMaxDocs)
    let folds = Scoring.stratifiedFolds(sample.labels, k: options.cvFolds)
    var totals = [Double](repeating: 0, count: options.grid.count)
    for fold in 0..<options.cvFolds {
        let fitRows = sample.rows(folds.indices.filter { folds[$0] != fold })
        let heldOut = sample.rows(folds.indices.filter { folds[$0] == fold })
        let pipelines = try Pipeline.train(fitRows, model: options.model, settings: options.grid,
                                           ngramMax: options.ngramMax, maxIterations: options.maxIterations, lbfgsHistory: options.lbfgsHistory,
                                           lbfgsPrecision: options.lbfgsPrecision, preconditioned: options.preconditioned)
        for (c, pipeline) in pipelines.enumerated() {
            totals[c] += Scoring.macroF1(truth: heldOut.labels, predicted: try pipeline.predict(heldOut.texts))
        }
    }
    var scores: [String: Double] = [:]
    var best = options.grid[0], bestScore = -Double.infinity
    for (c, candidate) in options.grid.enumerated() {
        let score = totals[c] / Double(options.cvFolds)
        scores[String(candidate)] = score
        if score > bestScore { best = candidate; bestScore = score }
    }
    return (best, scores)
}

func run(_ options: BenchOptions) throws {
    let train = try Split(path: options.train)
    var setting = options.grid.first ?? defaultSetting(options.model)
    if options.grid.count > 1 || (options.selectOnly && !options.grid.isEmpty) {
        let (seconds, choice) = try Measurement.time { try chooseByCrossValidation(options, train: train) }
        setting = choice.0
        Measurement.emit("model_selection", seconds: seconds, docs: min(train.count, options.cvMaxDocs),
                         extra: ["chosen": setting, "cv_macro_f1": choice.1])
    }
    if options.selectOnly { return }
    if options.scanLimit {
        // The texts are already in memory, as for the fit that follows.
        let vectorizer = TfidfVectorizer(options: Pipeline.tfidfOptions(ngramMax: options.ngramMax))
        let (seconds, terms) = Measurement.time { vectorizer.scanTermCounts(train.texts) }
        Measurement.emit("one_pass_scan", seconds: seconds, docs: train.count, extra: ["chunk_terms": terms])
    }

    let pipeline = try Pipeline.train(train, model: options.model, settings: [setting], ngramMax: options.ngramMax,
                                      maxIterations: options.maxIterations, lbfgsHistory: options.lbfgsHistory,
                                      lbfgsPrecision: options.lbfgsPrecision, preconditioned: options.preconditioned,
                                      fitRepeats: options.fitRepeats) { seconds, features in
        Measurement.emit("vectorizer_fit_transform", seconds: seconds, docs: train.count, extra: ["features": features])
    }[0]
    Measurement.emit("model_fit", seconds: pipeline.classifierSeconds, docs: train.count, extra: pipeline.fitFacts)
    guard !options.fitOnly, let testPath = options.test else { return }

    let test = try Split(path: testPath)
    let transform = Measurement.median(repeats: options.repeats) { pipeline.transform(test.texts) }
    Measurement.emit("vectorizer_transform", seconds: transform.seconds, docs: test.count,
                     extra: ["repeat_seconds": transform.all])

    let cpuBefore = Measurement.cpuSeconds()
    let prediction = try Measurement.median(repeats: options.repeats) { try pipeline.predict(test.texts) }
    let predicted = prediction.result
    Measurement.emit("predict_end_to_end", seconds: prediction.seconds, docs: test.count,
                     extra: ["cpu_seconds": (Measurement.cpuSeconds() - cpuBefore) / Double(options.repeats),
                             "repeat_seconds": prediction.all])
    if let path = options.predictions {
        try Data(predicted.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
    }

    // Single-document latency: each text alone from raw text to label, after a warm-up.
    let latencyTexts = Array(test.texts.prefix(options.latencyDocs))
    for text in latencyTexts.prefix(50) { _ = try pipeline.predict([text]) }
    var samples: [Double] = []
    samples.reserveCapacity(latencyTexts.count)
    for text in latencyTexts {
        let (seconds, _) = try Measurement.time { try pipeline.predict([text]) }
        samples.append(seconds * 1000)
    }
    samples.sort()
    Measurement.emit("latency", seconds: nil, docs: latencyTexts.count,
                     extra: ["p50_ms": Measurement.percentile(samples, 50) ?? NSNull(),
                             "p99_ms": Measurement.percentile(samples, 99) ?? NSNull()])
}

do {
    try run(BenchOptions.parse(Array(CommandLine.arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("arxiv-digest-bench: \(error)\n".utf8))
    exit(1)
}
