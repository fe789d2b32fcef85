import AtomicFiles
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

    /// Largest file read: ten times MiniLM-L6's 90 MB, the only checkpoint `convert` takes. A larger file is
    /// refused by its size before it is read (it would be read whole).
    static let maxBytes = 1 << 30

    init(contentsOf url: URL) throws(SentenceEncoderError) {
        name = url.path
        func fail(_ detail: String) -> SentenceEncoderError { .invalidSource(file: url.path, detail: detail) }
        data = try readCheckpointFile(url, maxBytes: Self.maxBytes, limitText: "this conversion reads")
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
        // As the reference library checks: the tensors' bytes follow one another from the header to the end of
        // the file, none overlapping, none missing (a name given twice in the header leaves a gap here).
        var next = 0
        for (key, tensor) in tensors.sorted(by: { ($0.value.range.lowerBound, $0.value.range.upperBound) < ($1.value.range.lowerBound, $1.value.range.upperBound) }) {
            guard tensor.range.lowerBound == next else {
                throw fail("tensor \"\(key)\" starts at byte \(tensor.range.lowerBound) of the data, expected \(next): tensors overlap or leave a gap")
            }
            next = tensor.range.upperBound
        }
        guard next == payloadSize else { throw fail("the tensors cover \(next) of the \(payloadSize) bytes after the header") }
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
        let values = data.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + tensor.range.lowerBound + 4 * $0, as: UInt32.self))) }
        }
        if let detail = EncoderWeights.nonFiniteDetail(values, tensor: key) { throw .invalidSource(file: name, detail: detail) }
        return values
    }
}

/// The bytes of checkpoint file `url`, refused by its size before it is read when over `maxBytes` (it would be
/// read whole), with every error naming the file in the system's words (Foundation reports a FIFO or a folder as
/// a permission problem).
func readCheckpointFile(_ url: URL, maxBytes: Int, limitText: String) throws(SentenceEncoderError) -> Data {
    func fail(_ detail: String) -> SentenceEncoderError { .invalidSource(file: url.path, detail: detail) }
    var info = stat()
    guard stat(url.path, &info) == 0 else { throw fail("cannot read: \(String(cString: strerror(errno)))") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw fail("it is not a regular file") }
    guard info.st_size <= maxBytes else { throw fail("it is \(info.st_size) bytes, over the \(maxBytes >> 20) MiB \(limitText)") }
    do { return try Data(contentsOf: url, options: .mappedIfSafe) } catch {
        throw fail("cannot read: \(SystemErrorText.reason(error))")
    }
}
