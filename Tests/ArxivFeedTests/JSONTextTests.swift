import ArxivFeed
import Foundation
import Testing

@Suite("JSON text")
struct JSONTextTests {
    /// Finite doubles of every kind: edges, integers, powers of ten at the switch to exponent form,
    /// subnormals, probabilities, and random bit patterns.
    static func samples() -> [Double] {
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 0.1, 1.0 / 3, 2.0 / 3, 100, 1e15, 1e16, 1e17, 1e-4, 1e-5, 9.999e-5,
                                123456789012345678, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                .leastNormalMagnitude, .leastNonzeroMagnitude, .ulpOfOne, 1 + .ulpOfOne, 5e-324]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0..<100_000 {
            let bits = Double(bitPattern: next())
            if bits.isFinite { values.append(bits) }
            // Probabilities as classify writes them: exp of a log-probability.
            values.append(exp(-Double(next() >> 11) / Double(1 << 53) * 40))
        }
        return values
    }

    @Test("numbers are written as Double.description, shortest round trip")
    func numbersMatchDescription() {
        for value in Self.samples() {
            var bytes: [UInt8] = [UInt8(ascii: "[")]
            JSONText.appendNumber(value, to: &bytes)
            #expect(bytes == Array("[\(value.description)".utf8), "\(value.bitPattern)")
            #expect(Double(JSONText.number(value)) == value)
        }
        #expect(JSONText.number(.nan) == "null" && JSONText.number(.infinity) == "null" && JSONText.number(-.infinity) == "null")
        #expect(JSONText.number(1e-5) == "1e-05" && JSONText.number(0.25) == "0.25")
    }
}
