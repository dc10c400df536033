import Synchronization

/// The Spool module: where accepted mail is kept until it is delivered.
///
/// Input: finished messages and their envelopes from Intake; delivery
/// outcomes from Delivery. Output: durable records (append-only segment
/// files, fdatasync'ed in group commits), a SQLite index with per-recipient
/// state, and recovery after a crash. It never talks SMTP and never decides
/// where mail goes.

/// A message's name on the spool and in every log line about it.
///
/// Eleven characters of Crockford base32 over 55 bits: milliseconds since
/// 2024-01-01 and a 12-bit sequence, so ids sort by arrival time and are
/// unique within a spool (the generator never goes back, also across
/// restarts: it starts after the newest id on the spool).
public struct QueueID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let value: UInt64

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    static let length = 11
    /// 2024-01-01T00:00:00Z in milliseconds since 1970.
    static let epochMilliseconds: UInt64 = 1_704_067_200_000
    static let sequenceBits: UInt64 = 12

    public init(value: UInt64) { self.value = value }

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == Self.length else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard let digit = Self.alphabet.firstIndex(of: byte) else { return nil }
            value = value << 5 | UInt64(digit)
        }
        self.value = value
    }

    public var description: String {
        var digits = [UInt8](repeating: 0, count: Self.length)
        var rest = value
        for index in stride(from: Self.length - 1, through: 0, by: -1) {
            digits[index] = Self.alphabet[Int(rest & 31)]
            rest >>= 5
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// Milliseconds since 1970 when the id was made.
    public var milliseconds: UInt64 { (value >> Self.sequenceBits) + Self.epochMilliseconds }

    public static func < (lhs: QueueID, rhs: QueueID) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = QueueID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad queue id \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Makes queue ids: monotonic, thread-safe.
public final class QueueIDGenerator: Sendable {
    private let last: Mutex<UInt64>
    private let now: @Sendable () -> UInt64

    /// - Parameters:
    ///   - after: ids will be greater than this one (the newest on the spool).
    ///   - now: milliseconds since 1970.
    public init(after: QueueID? = nil, now: @escaping @Sendable () -> UInt64 = QueueIDGenerator.wallClockMilliseconds) {
        self.last = Mutex(after?.value ?? 0)
        self.now = now
    }

    public func next() -> QueueID {
        let milliseconds = now()
        let base = (milliseconds > QueueID.epochMilliseconds ? milliseconds - QueueID.epochMilliseconds : 0)
            << QueueID.sequenceBits
        return last.withLock { last in
            last = max(base, last + 1)
            return QueueID(value: last)
        }
    }

    public static func wallClockMilliseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
