// libFuzzer target: the model-file container reader on arbitrary bytes.
//
// A random file almost never carries a correct SHA-256, so each input is decoded twice: as given
// (structure checks, then the checksum) and with its last 32 bytes replaced by the SHA-256 of the rest
// (so the header and section checks after the checksum are reached too). Contract checked:
// - `ModelFile.decode` returns a model or throws `ModelFileError` (nothing else, no crash);
// - a decoded model encodes to bytes that decode to an equal model, and encoding is deterministic;
// - every section reads back through its typed accessor with its stored count.
import Foundation
import ModelStore

private func check(_ bytes: Data) {
    let model: ModelFile
    do {
        model = try ModelFile.decode(bytes, fileName: "fuzz.model")
    } catch let error as ModelFileError {
        guard !error.description.isEmpty else { fatalError("ModelFileError with an empty description") }
        return
    } catch {
        fatalError("ModelFile.decode threw an untyped error: \(error)")
    }
    let encoded = model.encoded()
    if encoded != model.encoded() { fatalError("encoding is not deterministic") }
    guard let again = try? ModelFile.decode(encoded, fileName: "fuzz.model") else {
        fatalError("a decoded model's own encoding does not decode")
    }
    if again != model { fatalError("decode(encode(model)) differs from model") }
    for name in model.sectionNames {
        guard let payload = model.section(name) else { fatalError("listed section \(name) is missing") }
        let count: Int?
        switch payload.type {
        case .float64: count = try? model.doubles(name, count: payload.count).count
        case .int32: count = try? model.int32s(name, count: payload.count).count
        case .int64: count = try? model.int64s(name, count: payload.count).count
        case .strings: count = try? model.strings(name, count: payload.count).count
        case .bytes: count = try? model.bytes(name, count: payload.count).count
        }
        if count != payload.count { fatalError("section \(name) does not read back through its accessor") }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    check(bytes)
    let checksumSize = ModelFileFormat.checksumSize
    if size >= checksumSize {
        var sealed = bytes
        let digest = SHA256.hash(bytes.prefix(size - checksumSize))
        sealed.replaceSubrange((size - checksumSize)..<size, with: digest.bytes)
        check(sealed)
    }
    return 0
}
