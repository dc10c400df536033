public import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts the byte stream a client sends into command lines and message bodies.
///
/// It is the one place where line endings are judged, so that a message
/// can never end, and a command never start, anywhere but after `CRLF.CRLF`
/// (SMTP smuggling). The owner (the session) feeds it bytes in order, takes
/// frames with `next()`, and switches it to DATA mode after answering 354;
/// bytes that were pipelined after DATA wait in the buffer until then, so the
/// same bytes are never read as both commands and message.
///
/// Memory stays bounded whatever the client sends: a command line longer
/// than 512 octets is dropped as it arrives, and a message stops being kept
/// once it exceeds the size limit.
///
/// - SeeAlso: RFC 5321 §2.3.8 (lines end in CRLF), §4.1.1.4 (DATA), §4.5.2 (transparency), §4.5.3.1
public struct SMTPServerFramer: Sendable {
    /// What the session gets from the stream.
    public enum Frame: Hashable, Sendable {
        /// A command line without its CRLF (not yet parsed).
        case command([UInt8])
        /// A command line longer than 512 octets, dropped whole.
        case commandTooLong
        /// A command line that ended in a bare LF or held a bare CR.
        case commandBareLineEnding
        /// DATA ended with `CRLF.CRLF`.
        case message(MessageOutcome)
    }

    /// How the message of a DATA command ended.
    public enum MessageOutcome: Hashable, Sendable {
        /// The content, dot-unstuffed, ending with the CRLF before the final dot.
        case complete([UInt8])
        /// More than the size limit; the content was not kept.
        case tooLarge
        /// A line longer than 998 octets.
        case lineTooLong
        /// A CR not followed by LF, or an LF not preceded by CR.
        case bareLineEnding
    }

    private var pending: [UInt8] = []
    private var readIndex = 0
    private var inData = false

    // Command mode: dropping the rest of an over-long line.
    private var discardingLongLine = false

    // DATA mode state.
    private var body: [UInt8] = []
    private var maxMessageSize = 0
    private var bodySize = 0
    private var atLineStart = true
    private var lineIsDotOnly = false
    private var previousWasCR = false
    private var lineLength = 0
    private var sawBareLineEnding = false
    private var sawLongLine = false

    public init() {}

    /// The next command line may be as long as an AUTH line: the session
    /// sets it while a SASL exchange waits for the client's response.
    public var longLineAllowed = false

    /// Bytes that arrived and were not consumed yet.
    public var bufferedByteCount: Int { pending.count - readIndex }

    /// True between `beginData` and the end of the message.
    public var isReadingMessage: Bool { inData }

    /// Adds bytes read from the connection.
    public mutating func append(_ buffer: ByteBuffer) {
        pending.append(contentsOf: buffer.readableBytesView)
    }

    /// Adds bytes read from the connection.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        pending.append(contentsOf: bytes)
    }

    /// Switches to reading a message; call after sending 354.
    public mutating func beginData(maxMessageSize: Int) {
        inData = true
        self.maxMessageSize = maxMessageSize
        body = []
        body.reserveCapacity(min(maxMessageSize, 16 * 1024))
        bodySize = 0
        atLineStart = true
        lineIsDotOnly = false
        previousWasCR = false
        lineLength = 0
        sawBareLineEnding = false
        sawLongLine = false
    }

    /// Throws away everything buffered: after STARTTLS, what the client sent
    /// in plaintext beyond the command must never be read (CVE-2011-0411).
    public mutating func discardBuffered() {
        pending.removeAll(keepingCapacity: false)
        readIndex = 0
        discardingLongLine = false
    }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        defer { compact() }
        return inData ? nextMessageEnd() : nextCommand()
    }

    private mutating func compact() {
        if readIndex == pending.count {
            pending.removeAll(keepingCapacity: pending.capacity <= 64 * 1024)
            readIndex = 0
        } else if readIndex > 16 * 1024 {
            pending.removeFirst(readIndex)
            readIndex = 0
        }
    }

    private mutating func nextCommand() -> Frame? {
        let limit =
            longLineAllowed || startsWithAUTH()
            ? SMTPDefaults.maxAuthLineLength : SMTPDefaults.maxCommandLineLength
        guard let lf = pending[readIndex...].firstIndex(of: 0x0A) else {
            // No line end yet: if the partial line is already too long, drop
            // it now rather than keeping it.
            if discardingLongLine || pending.count - readIndex > limit {
                discardingLongLine = true
                readIndex = pending.count
            }
            return nil
        }
        let start = readIndex
        readIndex = lf + 1
        if discardingLongLine {
            discardingLongLine = false
            return .commandTooLong
        }
        guard lf - start + 1 <= limit else { return .commandTooLong }
        guard lf > start, pending[lf - 1] == 0x0D else { return .commandBareLineEnding }
        let line = pending[start..<(lf - 1)]
        if line.contains(0x0D) { return .commandBareLineEnding }
        return .command(Array(line))
    }

    /// Whether the pending line is an AUTH command, whose initial response
    /// may be longer than other commands (RFC 4954 §4).
    private func startsWithAUTH() -> Bool {
        guard !discardingLongLine, pending.count - readIndex >= 5 else { return false }
        let word: [UInt8] = Array("auth ".utf8)
        for offset in 0..<5 where lowercased(pending[readIndex + offset]) != word[offset] { return false }
        return true
    }

    private mutating func nextMessageEnd() -> Frame? {
        let cr: UInt8 = 0x0D
        let lf: UInt8 = 0x0A
        let dot: UInt8 = 0x2E
        var index = readIndex
        var runStart = index  // bytes [runStart, index) are content still to copy
        var ended = false
        let input = pending
        input.withUnsafeBufferPointer { bytes in
            while index < bytes.count {
                if !previousWasCR && !atLineStart, let base = bytes.baseAddress {
                    // Inside a line, bytes other than CR and LF need no decision:
                    // skip to the next CR or LF with memchr and only count them.
                    let start = UnsafeRawPointer(base)
                    let crIndex = memchr(start + index, Int32(cr), bytes.count - index)
                        .map { start.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
                    let stop = memchr(start + index, Int32(lf), crIndex - index)
                        .map { start.distance(to: UnsafeRawPointer($0)) } ?? crIndex
                    if stop > index {
                        lineIsDotOnly = false
                        lineLength += stop - index
                        if lineLength > SMTPDefaults.maxTextLineLength { sawLongLine = true }
                        index = stop
                        continue
                    }
                }
                let byte = bytes[index]
                if previousWasCR {
                    previousWasCR = false
                    if byte == lf {
                        if lineIsDotOnly {
                            // "CRLF . CRLF": the end. The dot and its CRLF are not content.
                            index += 1
                            runStart = index
                            ended = true
                            return
                        }
                        atLineStart = true
                        lineLength = 0
                        index += 1
                        continue
                    }
                    // A bare CR: never a line end, so what follows is not
                    // at a line start (no ".\r\n" end, no unstuffing).
                    sawBareLineEnding = true
                    lineIsDotOnly = false
                    atLineStart = false
                }
                if byte == cr {
                    previousWasCR = true
                    if lineIsDotOnly {
                        // Hold the CR back: if LF follows, this line is the end.
                        keep(bytes, from: runStart, to: index)
                        runStart = index + 1
                    }
                    index += 1
                    continue
                }
                if byte == lf {
                    // An LF without CR: never a line end, always an error;
                    // a dot after it does not start a line.
                    sawBareLineEnding = true
                    lineIsDotOnly = false
                    atLineStart = false
                    index += 1
                    continue
                }
                if atLineStart {
                    atLineStart = false
                    if byte == dot {
                        // Transparency: drop the leading dot (RFC 5321 §4.5.2).
                        keep(bytes, from: runStart, to: index)
                        runStart = index + 1
                        lineIsDotOnly = true
                        index += 1
                        continue
                    }
                }
                lineIsDotOnly = false
                lineLength += 1
                if lineLength > SMTPDefaults.maxTextLineLength { sawLongLine = true }
                index += 1
            }
        }
        if ended {
            readIndex = index
            inData = false
            let outcome: MessageOutcome
            if sawBareLineEnding {
                outcome = .bareLineEnding
            } else if bodySize > maxMessageSize {
                outcome = .tooLarge
            } else if sawLongLine {
                outcome = .lineTooLong
            } else {
                outcome = .complete(body)
            }
            body = []
            return .message(outcome)
        }
        // Everything read is consumed; a held-back CR of a dot line stays
        // pending in `previousWasCR`. If no LF follows it, that CR was bare
        // and the message is refused, so the dropped CR is never missed.
        input.withUnsafeBufferPointer { keep($0, from: runStart, to: index) }
        readIndex = index
        return nil
    }

    /// Copies content bytes into the body while it is within the size limit.
    private mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard end > start else { return }
        bodySize += end - start
        if bodySize <= maxMessageSize {
            body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        } else if !body.isEmpty {
            body = []
        }
    }
}
