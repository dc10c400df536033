import MIME

/// A small seeded generator, so that "random" test data is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

extension [UInt8] {
    /// The bytes as text, for readable expectations.
    var text: String { String(decoding: self, as: UTF8.self) }

    /// The lines, split at CRLF (the last one empty when the bytes end with CRLF).
    var crlfLines: [String] { text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init) }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
