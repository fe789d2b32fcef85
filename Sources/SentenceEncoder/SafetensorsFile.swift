import Foundation

/// A `.safetensors` file read directly: an 8-byte little-endian header length, a JSON header
/// `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`, then the raw
/// little-endian tensor bytes (offsets relative to the end of the header).
struct SafetensorsFile {
    struct Tensor {
        var dtype: String
        var shape: [Int]
        var range: Range<Int>
    }

    let name: String
    let data: Data
    let tensors: [String: Tensor]
    private let dataStart: Int

    init(contentsOf url: URL) throws(SentenceEncoderError) {
        name = url.path
        func fail(_ detail: String) -> SentenceEncoderError { .invalidSource(file: url.path, detail: detail) }
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw fail("cannot read: \(error.localizedDescription)")
        }
        guard data.count >= 8 else { throw fail("shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else { throw fail("header length \(headerLength) runs past the end of the file") }
        dataStart = 8 + Int(headerLength)
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<dataStart)) } catch {
            throw fail("header is not JSON: \(error.localizedDescription)")
        }
        guard let header = object as? [String: Any] else { throw fail("header is not a JSON object") }
        var tensors: [String: Tensor] = [:]
        let payloadSize = data.count - dataStart
        for (key, value) in header where key != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
                  offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= payloadSize
            else { throw fail("tensor \"\(key)\": malformed entry or offsets outside the file") }
            tensors[key] = Tensor(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.tensors = tensors
    }

    /// Tensor `key` as float32 values, checked against `shape`.
    func floats(_ key: String, shape: [Int]) throws(SentenceEncoderError) -> [Float] {
        guard let tensor = tensors[key] else { throw .invalidSource(file: name, detail: "no tensor \"\(key)\"") }
        guard tensor.dtype == "F32" else {
            throw .invalidSource(file: name, detail: "tensor \"\(key)\" is \(tensor.dtype); the encoder reads F32")
        }
        guard tensor.shape == shape else {
            throw .invalidSource(file: name, detail: "tensor \"\(key)\" has shape \(tensor.shape), expected \(shape)")
        }
        let count = shape.reduce(1, *)
        guard tensor.range.count == 4 * count else {
            throw .invalidSource(file: name, detail: "tensor \"\(key)\" holds \(tensor.range.count) bytes, expected \(4 * count)")
        }
        return data.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + tensor.range.lowerBound + 4 * $0, as: UInt32.self))) }
        }
    }
}
