import Foundation
import Testing
import TestSupport
@testable import ModelStore

@Suite("SHA-256")
struct SHA256Tests {
    /// Known answers from FIPS 180-4's examples and the NIST test vectors.
    @Test("matches the published test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownVectors(message: String, expected: String) {
        #expect(SHA256.hash(Array(message.utf8)).hexString == expected)
    }

    @Test("one million 'a' (the long NIST vector), fed in uneven pieces")
    func millionA() {
        var hasher = SHA256()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var fed = 0
        while fed < 1_000_000 {
            let n = min(piece.count, 1_000_000 - fed)
            hasher.update(piece[0..<n])
            fed += n
        }
        #expect(hasher.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("every length around the padding boundaries agrees with Python's hashlib")
    func agreesWithPython() throws {
        let script = """
        import hashlib
        for n in range(0, 300):
            print(hashlib.sha256(bytes((i * 7 + 3) % 256 for i in range(n))).hexdigest())
        """
        let python = try #require(ProcessRunner.which("python3"))
        let result = try ProcessRunner.run(python, ["-c", script])
        #expect(result.status == 0)
        let expected = result.stdoutText.split(separator: "\n").map(String.init)
        try #require(expected.count == 300)
        for n in 0..<300 {
            let message = (0..<n).map { UInt8(($0 * 7 + 3) % 256) }
            #expect(SHA256.hash(message).hexString == expected[n], "length \(n)")
        }
    }

    @Test("hashing in pieces gives the one-shot digest, wherever the message is split")
    func incremental() {
        let message = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        let whole = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(message[0..<split])
            hasher.update(Data(message[split...]))
            #expect(hasher.finalize() == whole, "split at \(split)")
        }
    }
}
