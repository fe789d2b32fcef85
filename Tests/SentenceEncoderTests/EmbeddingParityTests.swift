import Foundation
import ModelStore
import SentenceEncoder
import TestSupport
import Testing

@Suite struct EmbeddingParityTests {
    @Test func embeddingsMatchTheNumpyReferenceOn50Abstracts() throws {
        let encoder = try EncoderFixtures.encoder()
        let texts = try EncoderFixtures.trainingTexts(50)
        let vectors = encoder.encode(texts)
        let expected = try EncoderFixtures.reference("embed", texts, as: [[Double]].self)
        try #require(expected.count == texts.count)
        var worstCosine = 1.0, maxAbsDifference = 0.0
        for (vector, reference) in zip(vectors, expected) {
            try #require(vector.count == 384 && reference.count == 384)
            var dot = 0.0, norm = 0.0, referenceNorm = 0.0
            for (a, b) in zip(vector, reference) {
                dot += Double(a) * b; norm += Double(a) * Double(a); referenceNorm += b * b
                maxAbsDifference = max(maxAbsDifference, abs(Double(a) - b))
            }
            #expect(abs(norm.squareRoot() - 1) < 1e-5, "unit length")
            worstCosine = min(worstCosine, dot / (norm * referenceNorm).squareRoot())
        }
        print("embedding parity on \(texts.count) abstracts (sgemm: \(encoderBackend)): worst cosine \(worstCosine), max |Δ| \(maxAbsDifference)")
        #expect(worstCosine >= 0.9999)
        #expect(maxAbsDifference < 1e-4)
    }

    @Test func vectorsDoNotDependOnThreadsOrBatchMates() throws {
        let encoder = try EncoderFixtures.encoder()
        let texts = try EncoderFixtures.trainingTexts(6)
        let together = encoder.encode(texts, threads: 2)
        let alone = try texts.reversed().map { try #require(encoder.encode([$0], threads: 1).first) }.reversed()
        #expect(together.map { $0.map(\.bitPattern) } == alone.map { $0.map(\.bitPattern) })
        #expect(together[0] != together[1], "different texts, different vectors")
    }

    /// The shipped model reproduces on another machine only if its embeddings do, so OpenBLAS's
    /// kernels are pinned wherever they can run (this machine's own would be Cooper Lake or Zen ones).
    @Test func openBLASRunsTheHaswellKernelsOnAnyProcessorWithAVX2AndFMA() throws {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") })
            .split(separator: ":")[1].split(separator: " "))
        try #require(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "Haswell" == "Haswell",
                     "this test checks the default choice; OPENBLAS_CORETYPE is set to something else")
        if flags.contains("avx2") && flags.contains("fma") {
            #expect(encoderBackend == "OpenBLAS (libopenblas.so.0, Haswell kernels)")
        } else {
            #expect(!encoderBackend.contains("Haswell"))
        }
    }

    var encoderBackend: String { SentenceEncoder.matrixLibrary }
}
