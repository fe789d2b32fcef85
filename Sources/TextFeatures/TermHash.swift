/// A fast 64-bit hash of a term's UTF-8 bytes (8 bytes per step, then a murmur3 finaliser).
/// Only used inside hash tables; never persisted, so it may change freely.
@inline(__always)
func termHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    guard let base = bytes.baseAddress else { return mix(h) }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= bytes.count {
        let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        i += 8
    }
    // The last 0–7 bytes in at most three loads (4, 2, 1 bytes) rather than one step per byte.
    var tail: UInt64 = 0, shift: UInt64 = 0
    if bytes.count - i >= 4 {
        tail = UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)); shift = 32; i += 4
    }
    if bytes.count - i >= 2 {
        tail |= UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self)) << shift; shift += 16; i += 2
    }
    if i < bytes.count { tail |= UInt64(base[i]) << shift }
    return mix(h ^ tail)
}

@inline(__always)
private func mix(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
}
