#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The message every transaction sends: exactly `size` bytes of RFC 5322 text (CRLF line ends,
/// no line over 78 characters), of which only the `Message-ID` differs between messages.
///
/// On the wire it is `idLine(n)` then `tail`: the rest of the header, the body dot-stuffed
/// (every tenth body line begins with a dot, to exercise the server's unstuffing) and the
/// terminating `CRLF.CRLF`.
struct MessageTemplate: Sendable {
    /// Content bytes per message, before dot-stuffing: the `--size` asked for, or the smallest possible.
    let size: Int
    /// Everything after the `Message-ID` line, dot-stuffed, ending with `"\r\n.\r\n"`.
    let tail: ByteBuffer
    /// Distinguishes this run's Message-IDs from another's.
    let runID: String

    static let idDigits = 10
    static let lineWidth = 76

    init(size requested: Int, from: String, to: String, runID: String, date: String = MessageTemplate.rfc5322Now()) {
        self.runID = runID
        let idLineLength = Self.idLine(0, runID: runID).utf8.count
        let header = [
            "From: <\(from)>",
            "To: <\(to)>",
            "Subject: poshta-bench \(requested) B",
            "Date: \(date)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=us-ascii",
        ].map { $0 + "\r\n" }.joined() + "\r\n"
        var remaining = requested - idLineLength - header.utf8.count
        var body: [String] = []
        var lineNumber = 0
        let filler = Array("The quick brown fox jumps over the lazy dog; Pack my box with five dozen jugs. ".utf8)
        while remaining > 0 || body.isEmpty {
            lineNumber += 1
            // A line costs its text plus CRLF; the last one takes what is left (at least one character).
            let width = min(Self.lineWidth, max(remaining - 2, 1))
            var bytes = [UInt8]()
            bytes.reserveCapacity(width)
            if lineNumber % 10 == 0 {
                bytes.append(UInt8(ascii: "."))
            }
            var k = (lineNumber * 7) % filler.count
            while bytes.count < width {
                bytes.append(filler[k])
                k = (k + 1) % filler.count
            }
            body.append(String(decoding: bytes, as: UTF8.self))
            remaining -= width + 2
        }
        size = idLineLength + header.utf8.count + body.reduce(0) { $0 + $1.utf8.count + 2 }
        var wire = header
        for line in body {
            wire += line.hasPrefix(".") ? "." + line : line
            wire += "\r\n"
        }
        wire += ".\r\n"
        tail = ByteBuffer(string: wire)
    }

    /// A given message (header and body; LF or CRLF line ends), sent after
    /// its own Message-ID line: a shop's template message for the intake
    /// benchmark of the shop path. A Message-ID of the file is dropped.
    init(file: [UInt8], runID: String) {
        self.runID = runID
        // By bytes: in a Swift String, CRLF is one Character and would not split on "\n".
        var lines = file.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        lines.removeAll { $0.lowercased().hasPrefix("message-id:") }
        var wire = ""
        for line in lines {
            wire += line.hasPrefix(".") ? "." + line : line
            wire += "\r\n"
        }
        size = Self.idLine(0, runID: runID).utf8.count + wire.utf8.count
        wire += ".\r\n"
        tail = ByteBuffer(string: wire)
    }

    /// `Message-ID: <0000000042.RUN@bench.poshta.test>` with CRLF; fixed width so every message has `size` bytes.
    static func idLine(_ number: Int, runID: String) -> String {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, idDigits - digits.count)) + digits
        return "Message-ID: <\(padded).\(runID)@bench.poshta.test>\r\n"
    }

    /// Writes message `number`'s Message-ID line into `buffer`.
    func writeIDLine(_ number: Int, into buffer: inout ByteBuffer) {
        buffer.writeString(Self.idLine(number, runID: runID))
    }

    /// Today's date as RFC 5322 wants it, in UTC: `Mon, 23 Nov 2026 06:40:00 +0000`.
    static func rfc5322Now() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S +0000", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The bytes of a file, or nil when it cannot be read.
func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count > 0 { bytes += chunk[..<count] }
        if count < chunk.count { return ferror(file) == 0 ? bytes : nil }
    }
}
