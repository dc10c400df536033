import Foundation

/// The on-disk form of one accepted message in a segment file.
///
/// ```
/// "PSR1" | header length (u32 LE) | body length (u64 LE) | header (JSON envelope) | body | CRC-32 (u32 LE)
/// ```
/// The CRC covers everything after the magic and before itself. A record
/// that is cut short or whose CRC does not match was never acknowledged (the
/// 250 is sent only after the record is fdatasync'ed), so recovery drops it.
enum SegmentRecord {
    static let magic: [UInt8] = Array("PSR1".utf8)
    /// Magic and the two lengths.
    static let prefixLength = 16
    /// Prefix and the CRC.
    static let overhead = prefixLength + 4

    /// The whole record for this envelope and message.
    static func encode(_ envelope: SpoolEnvelope, message: [UInt8]) throws -> (bytes: [UInt8], headerLength: Int) {
        let header = try JSONEncoder().encode(envelope)
        var bytes = [UInt8]()
        bytes.reserveCapacity(overhead + header.count + message.count)
        bytes += magic
        append(UInt32(header.count), to: &bytes)
        append(UInt64(message.count), to: &bytes)
        bytes += header
        bytes += message
        let crc = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        append(crc, to: &bytes)
        return (bytes, header.count)
    }

    /// A record found by a scan: its envelope and where it is.
    struct Scanned {
        var envelope: SpoolEnvelope
        /// The envelope as stored, for the index (no second encoding).
        var envelopeJSON: String
        var offset: Int
        var headerLength: Int
        var bodyLength: Int
    }

    /// Why a scan stopped before the end of a file.
    enum ScanStop: Equatable {
        case endOfFile
        case damaged(reason: String)
    }

    /// Reads records from `offset` until the end or the first damaged one.
    /// Returns what it found and the offset where valid data ends.
    static func scan(_ file: SegmentFile, from start: Int) throws -> (records: [Scanned], validEnd: Int, stop: ScanStop) {
        var records: [Scanned] = []
        var offset = start
        let size = try file.size()
        while offset < size {
            guard size - offset >= overhead else { return (records, offset, .damaged(reason: "a record is cut short")) }
            let prefix = try file.read(at: offset, count: prefixLength)
            guard Array(prefix[0..<4]) == magic else { return (records, offset, .damaged(reason: "bad record magic")) }
            let headerLength = Int(readUInt32(prefix, at: 4))
            let bodyLength64 = readUInt64(prefix, at: 8)
            guard bodyLength64 < UInt64(Int.max / 2), size - offset - overhead >= headerLength + Int(bodyLength64) else {
                return (records, offset, .damaged(reason: "a record is cut short"))
            }
            let bodyLength = Int(bodyLength64)
            let total = overhead + headerLength + bodyLength
            let record = try file.read(at: offset, count: total)
            let expected = readUInt32(record, at: total - 4)
            let actual = record.withUnsafeBytes {
                CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[4..<(total - 4)]))
            }
            guard expected == actual else { return (records, offset, .damaged(reason: "checksum mismatch")) }
            let header = Data(record[prefixLength..<(prefixLength + headerLength)])
            guard let envelope = try? JSONDecoder().decode(SpoolEnvelope.self, from: header) else {
                return (records, offset, .damaged(reason: "unreadable envelope"))
            }
            records.append(
                Scanned(
                    envelope: envelope, envelopeJSON: String(decoding: header, as: UTF8.self), offset: offset,
                    headerLength: headerLength, bodyLength: bodyLength))
            offset += total
        }
        return (records, offset, .endOfFile)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    private static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}
