/// The DKIM module: RFC 6376 signatures over outgoing mail, as values.
///
/// Input: a finished message's bytes and a signing key. Output: the
/// `DKIM-Signature` field to put on top of it, and the DNS record that
/// publishes the key. Canonicalization and hashing are pure functions,
/// tested byte for byte against the RFCs' examples; the daemon signs at
/// spool time so that what is on the spool is final.

/// How header fields and the body are made canonical before hashing
/// (RFC 6376 §3.4): `simple` tolerates almost nothing, `relaxed` survives
/// the re-folding and whitespace changes mail systems commonly make.
public enum DKIMCanonicalization: String, Sendable, Hashable, CaseIterable {
    case simple, relaxed

    /// One header field, canonicalized, ending with CRLF. `field` is the
    /// whole field as it stands in the message (name, colon, value and its
    /// continuation lines, with its line break).
    public func header(_ field: ArraySlice<UInt8>) -> [UInt8] {
        switch self {
        case .simple:
            // As it is; a bare LF written as the CRLF it stands for.
            return Self.crlfLines(field)
        case .relaxed:
            return Self.relaxedHeader(field)
        }
    }

    /// The body, canonicalized (RFC 6376 §3.4.3, §3.4.4).
    public func body(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var lines = Self.lines(body)
        if self == .relaxed {
            lines = lines.map(Self.relaxedLine)
        }
        // Empty lines at the end are ignored.
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        if lines.isEmpty {
            // simple: an empty body is one CRLF; relaxed: nothing at all.
            return self == .simple ? [0x0D, 0x0A] : []
        }
        var output: [UInt8] = []
        output.reserveCapacity(body.count + 2)
        for line in lines {
            output += line
            output += [0x0D, 0x0A]
        }
        return output
    }

    // MARK: - Pieces

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// The lines of `bytes` without their line breaks (CRLF, or a bare LF);
    /// text after the last line break is a last line of its own.
    static func lines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                let end = index > start && bytes[index - 1] == 0x0D ? index - 1 : index
                lines.append(bytes[start..<end])
                start = index + 1
            }
            index += 1
        }
        if start < bytes.endIndex { lines.append(bytes[start..<bytes.endIndex]) }
        return lines
    }

    static func crlfLines(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 2)
        for line in lines(bytes) {
            output += line
            output += [0x0D, 0x0A]
        }
        return output
    }

    /// A body line, relaxed: whitespace at the end removed, runs of it made one space.
    static func relaxedLine(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var output: [UInt8] = []
        output.reserveCapacity(line.count)
        var pendingSpace = false
        for byte in line {
            if isWhitespace(byte) {
                pendingSpace = true
            } else {
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                output.append(byte)
            }
        }
        return output[...]
    }

    /// A header field, relaxed: the name in lower case, unfolded, runs of
    /// whitespace made one space, none at the end of the value or around
    /// the colon; then CRLF.
    static func relaxedHeader(_ field: ArraySlice<UInt8>) -> [UInt8] {
        guard let colon = field.firstIndex(of: 0x3A) else { return crlfLines(field) }
        var output: [UInt8] = []
        output.reserveCapacity(field.count)
        for byte in field[field.startIndex..<colon] where !isWhitespace(byte) {
            output.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
        }
        output.append(0x3A)
        var pendingSpace = false
        var started = false
        for byte in field[(colon + 1)...] {
            if byte == 0x0D || byte == 0x0A {
                // Unfolding: the line break goes; the whitespace after it counts as whitespace.
                continue
            }
            if isWhitespace(byte) {
                pendingSpace = started
            } else {
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                started = true
                output.append(byte)
            }
        }
        output += [0x0D, 0x0A]
        return output
    }
}
