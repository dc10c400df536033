import NIOCore
import Testing

@testable import SMTPProtocol

/// `SMTPServerFramer`: command lines, DATA with dot-unstuffing, the limits,
/// and SMTP smuggling. Every stream is fed in one chunk, byte by byte, and
/// cut in two at every position; the frames must be the same every time
/// (as swift-nio's `ByteToMessageDecoderVerifier` checks decoders).
@Suite("Server framer")
struct ServerFramerTests {
    typealias Frame = SMTPServerFramer.Frame

    /// The frames of `stream`, checked to be the same however it is cut.
    static func framesAnySplit(_ stream: String, maxMessageSize: Int = 1 << 20) -> [Frame] {
        framesAnySplit(bytes(stream), maxMessageSize: maxMessageSize)
    }

    static func framesAnySplit(_ stream: [UInt8], maxMessageSize: Int = 1 << 20) -> [Frame] {
        let whole = framesInOneChunk(stream, maxMessageSize: maxMessageSize)
        #expect(framesByteByByte(stream, maxMessageSize: maxMessageSize) == whole, "byte by byte")
        if stream.count <= 4096 {
            for position in 0...stream.count {
                let split = framesSplit(stream, at: position, maxMessageSize: maxMessageSize)
                if split != whole {
                    Issue.record("cut at \(position) gave \(split), in one chunk \(whole)")
                    break
                }
            }
        }
        return whole
    }

    static func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: count) }

    // MARK: Command lines

    @Test("a command line comes out without its CRLF")
    func commandLine() {
        #expect(Self.framesAnySplit("EHLO client.example.com\r\n") == [.command("EHLO client.example.com")])
    }

    @Test("pipelined commands in one chunk come out one by one, in order")
    func pipelinedCommands() {
        let stream =
            "MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.org>\r\nRCPT TO:<carol@example.org>\r\nNOOP\r\n"
        #expect(
            Self.framesAnySplit(stream) == [
                .command("MAIL FROM:<alice@example.com>"), .command("RCPT TO:<bob@example.org>"),
                .command("RCPT TO:<carol@example.org>"), .command("NOOP"),
            ])
    }

    @Test("bytes appended as a ByteBuffer are framed like the same bytes in an array")
    func byteBufferInput() {
        var framer = SMTPServerFramer()
        var buffer = ByteBuffer()
        buffer.writeString("junk")
        buffer.moveReaderIndex(forwardBy: 4)  // only the readable bytes count
        buffer.writeString("EHLO client.example.com\r\nNOOP\r\n")
        framer.append(buffer)
        #expect(framer.next() == .command("EHLO client.example.com"))
        #expect(framer.next() == .command("NOOP"))
        #expect(framer.next() == nil)
    }

    @Test("an incomplete line waits for its CRLF and stays buffered")
    func incompleteLine() {
        var framer = SMTPServerFramer()
        framer.append(bytes("NOOP"))
        #expect(framer.next() == nil)
        #expect(framer.bufferedByteCount == 4)
        framer.append(bytes("\r"))
        #expect(framer.next() == nil)
        framer.append(bytes("\n"))
        #expect(framer.next() == .command("NOOP"))
        #expect(framer.next() == nil)
        #expect(framer.bufferedByteCount == 0)
    }

    @Test("an empty line is an empty command")
    func emptyLine() {
        #expect(Self.framesAnySplit("\r\nQUIT\r\n") == [.command(""), .command("QUIT")])
    }

    @Test("a command line ending in a bare LF is refused and the next line is read normally")
    func bareLFInCommand() {
        #expect(Self.framesAnySplit("NOOP\nQUIT\r\n") == [.commandBareLineEnding, .command("QUIT")])
        #expect(Self.framesAnySplit("\nQUIT\r\n") == [.commandBareLineEnding, .command("QUIT")])
    }

    @Test("a bare CR inside a command line is refused")
    func bareCRInCommand() {
        #expect(Self.framesAnySplit("NO\rOP\r\nQUIT\r\n") == [.commandBareLineEnding, .command("QUIT")])
        #expect(Self.framesAnySplit("NOOP\r\r\n") == [.commandBareLineEnding])
        #expect(Self.framesAnySplit("\rMAIL FROM:<a@b>\r\n") == [.commandBareLineEnding])
    }

    @Test("a command line of exactly 512 octets including CRLF passes")
    func commandLimitExact() {
        let line = "NOOP " + Self.repeated("x", 505)
        #expect(line.utf8.count + 2 == SMTPDefaults.maxCommandLineLength)
        #expect(Self.framesAnySplit(line + "\r\n") == [.command(line)])
    }

    @Test("a command line of 513 octets is too long, and the next command is read normally")
    func commandLimitPlusOne() {
        let line = "NOOP " + Self.repeated("x", 506)
        #expect(line.utf8.count + 2 == 513)
        #expect(Self.framesAnySplit(line + "\r\nQUIT\r\n") == [.commandTooLong, .command("QUIT")])
    }

    @Test("a long line ending in a bare LF is one error, not two")
    func longLineBareLF() {
        #expect(Self.framesAnySplit(Self.repeated("x", 600) + "\nQUIT\r\n") == [.commandTooLong, .command("QUIT")])
    }

    @Test("a 10 MB line without a newline is dropped as it arrives, never buffered")
    func tenMegabyteLine() {
        var framer = SMTPServerFramer()
        let chunk = [UInt8](repeating: UInt8(ascii: "A"), count: 4096)
        var largest = 0
        for _ in 0..<(10 * 1024 * 1024 / chunk.count) {
            framer.append(chunk)
            #expect(framer.next() == nil)
            largest = max(largest, framer.bufferedByteCount)
        }
        #expect(largest <= SMTPDefaults.maxCommandLineLength)
        framer.append(bytes("\r\nQUIT\r\n"))
        #expect(framer.next() == .commandTooLong)
        #expect(framer.next() == .command("QUIT"))
        #expect(framer.next() == nil)
        #expect(framer.bufferedByteCount == 0)
    }

    @Test("a long line sent byte by byte never buffers more than a command line")
    func longLineByteByByte() {
        var framer = SMTPServerFramer()
        var largest = 0
        for _ in 0..<20_000 {
            framer.append([UInt8(ascii: "A")])
            #expect(framer.next() == nil)
            largest = max(largest, framer.bufferedByteCount)
        }
        #expect(largest <= SMTPDefaults.maxCommandLineLength)
        framer.append(bytes("\r\nQUIT\r\n"))
        #expect(framer.next() == .commandTooLong)
        #expect(framer.next() == .command("QUIT"))
    }

    @Test("after STARTTLS, plaintext pipelined behind it is thrown away")
    func discardBuffered() {
        var framer = SMTPServerFramer()
        framer.append(bytes("STARTTLS\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<x@example.org>\r\n"))
        #expect(framer.next() == .command("STARTTLS"))
        #expect(framer.bufferedByteCount > 0)
        framer.discardBuffered()
        #expect(framer.bufferedByteCount == 0)
        #expect(framer.next() == nil)
        framer.append(bytes("EHLO client.example.com\r\n"))
        #expect(framer.next() == .command("EHLO client.example.com"))
    }

    @Test("discarding also forgets a long line that was being dropped")
    func discardDuringLongLine() {
        var framer = SMTPServerFramer()
        framer.append([UInt8](repeating: UInt8(ascii: "A"), count: 600))
        #expect(framer.next() == nil)
        framer.discardBuffered()
        framer.append(bytes("EHLO x\r\n"))
        #expect(framer.next() == .command("EHLO x"))
    }

    // MARK: DATA

    @Test("bytes pipelined after DATA wait until the session switches to the message")
    func dataWaitsForBeginData() {
        var framer = SMTPServerFramer()
        framer.append(bytes("DATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n"))
        #expect(framer.next() == .command("DATA"))
        #expect(!framer.isReadingMessage)
        #expect(framer.bufferedByteCount == bytes("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n").count)
        framer.beginData(maxMessageSize: 1000)
        #expect(framer.isReadingMessage)
        #expect(framer.next() == .complete("Subject: hi\r\n\r\nbody\r\n"))
        #expect(!framer.isReadingMessage)
        #expect(framer.next() == .command("QUIT"))
        #expect(framer.next() == nil)
    }

    @Test("the message ends at CRLF.CRLF and keeps the CRLF before the dot")
    func messageEnds() {
        let stream = "DATA\r\nSubject: hello\r\n\r\nHello, world.\r\nSecond line\r\n.\r\n"
        #expect(
            Self.framesAnySplit(stream) == [
                .command("DATA"), .complete("Subject: hello\r\n\r\nHello, world.\r\nSecond line\r\n"),
            ])
    }

    @Test("a leading dot is removed: ..x becomes .x, .. becomes .")
    func dotUnstuffing() {
        let stream = "DATA\r\n..x\r\n..\r\n...\r\n.x\r\nend\r\n.\r\n"
        #expect(Self.framesAnySplit(stream) == [.command("DATA"), .complete(".x\r\n.\r\n..\r\nx\r\nend\r\n")])
    }

    @Test("dots that do not start a line are kept")
    func innerDots() {
        let stream = "DATA\r\na.b\r\n .\r\nend.\r\n.\r\n"
        #expect(Self.framesAnySplit(stream) == [.command("DATA"), .complete("a.b\r\n .\r\nend.\r\n")])
    }

    @Test("an empty message is the dot line alone")
    func emptyMessage() {
        #expect(Self.framesAnySplit("DATA\r\n.\r\nQUIT\r\n") == [.command("DATA"), .complete(""), .command("QUIT")])
    }

    @Test("a message of one empty line keeps its CRLF")
    func oneEmptyLine() {
        #expect(Self.framesAnySplit("DATA\r\n\r\n.\r\n") == [.command("DATA"), .complete("\r\n")])
    }

    @Test("CRLF.CRLF split across chunks at every position ends the message once")
    func endSplitEverywhere() {
        let stream = bytes("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n")
        let expected: [Frame] = [.command("DATA"), .complete("Subject: x\r\n\r\nbody\r\n"), .command("QUIT")]
        for first in 0...stream.count {
            for second in first...stream.count {
                let chunks = [Array(stream[..<first]), Array(stream[first..<second]), Array(stream[second...])]
                #expect(frames(chunks) == expected, "cut at \(first) and \(second)")
            }
        }
    }

    @Test("commands pipelined after the end of DATA come out as commands")
    func commandsAfterData() {
        let stream = "DATA\r\nbody\r\n.\r\nRSET\r\nMAIL FROM:<a@example.com>\r\nQUIT\r\n"
        #expect(
            Self.framesAnySplit(stream) == [
                .command("DATA"), .complete("body\r\n"), .command("RSET"), .command("MAIL FROM:<a@example.com>"),
                .command("QUIT"),
            ])
    }

    @Test("two messages in a row are framed independently")
    func twoMessages() {
        let stream = "DATA\r\none\r\n.\r\nDATA\r\n..two\r\n.\r\n"
        #expect(
            Self.framesAnySplit(stream) == [
                .command("DATA"), .complete("one\r\n"), .command("DATA"), .complete(".two\r\n"),
            ])
    }

    @Test("a DATA line that looks like a command stays in the message")
    func commandsInsideMessage() {
        let stream = "DATA\r\nQUIT\r\nRSET\r\n.\r\n"
        #expect(Self.framesAnySplit(stream) == [.command("DATA"), .complete("QUIT\r\nRSET\r\n")])
    }

    @Test("a text line of 998 octets passes")
    func textLine998() {
        let line = Self.repeated("a", 998)
        #expect(
            Self.framesAnySplit("DATA\r\n\(line)\r\n.\r\n") == [.command("DATA"), .complete("\(line)\r\n")])
    }

    @Test("a text line of 999 octets is lineTooLong, and the framer still reads to the end")
    func textLine999() {
        let line = Self.repeated("a", 999)
        #expect(
            Self.framesAnySplit("DATA\r\nok\r\n\(line)\r\nok\r\n.\r\nQUIT\r\n") == [
                .command("DATA"), .message(.lineTooLong), .command("QUIT"),
            ])
    }

    @Test("the last line before the end counts toward 998 octets too")
    func lastLineTooLong() {
        let line = Self.repeated("a", 999)
        #expect(Self.framesAnySplit("DATA\r\n\(line)\r\n.\r\n") == [.command("DATA"), .message(.lineTooLong)])
    }

    @Test("the dot added for transparency does not count toward 998 octets (RFC 5321 §4.5.3.1.6)")
    func stuffedDotNotCounted() {
        let content = "." + Self.repeated("a", 997)
        #expect(
            Self.framesAnySplit("DATA\r\n.\(content)\r\n.\r\n") == [.command("DATA"), .complete("\(content)\r\n")])
    }

    @Test("a message of exactly the size limit passes and one octet more is tooLarge")
    func sizeLimit() {
        let body = Self.repeated("abcdefgh\r\n", 10)  // 100 octets
        #expect(
            Self.framesAnySplit("DATA\r\n\(body).\r\n", maxMessageSize: 100) == [.command("DATA"), .complete(body)])
        #expect(
            Self.framesAnySplit("DATA\r\nx\(body).\r\nQUIT\r\n", maxMessageSize: 100) == [
                .command("DATA"), .message(.tooLarge), .command("QUIT"),
            ])
    }

    @Test("the size limit counts the message after dot-unstuffing")
    func sizeAfterUnstuffing() {
        let body = "..abcdef\r\n"  // 9 octets once unstuffed
        #expect(
            Self.framesAnySplit("DATA\r\n\(body).\r\n", maxMessageSize: 9) == [
                .command("DATA"), .complete(".abcdef\r\n"),
            ])
    }

    @Test("a 10 MB message without a newline never stays in the buffer")
    func hugeMessageBounded() {
        var framer = SMTPServerFramer()
        framer.append(bytes("DATA\r\n"))
        #expect(framer.next() == .command("DATA"))
        framer.beginData(maxMessageSize: 1 << 20)
        let chunk = [UInt8](repeating: UInt8(ascii: "A"), count: 64 * 1024)
        for _ in 0..<160 {
            framer.append(chunk)
            #expect(framer.next() == nil)
            #expect(framer.bufferedByteCount == 0)
        }
        framer.append(bytes("\r\n.\r\nQUIT\r\n"))
        #expect(framer.next() == .message(.tooLarge))
        #expect(framer.next() == .command("QUIT"))
    }

    @Test("a bare LF or bare CR inside a message is reported as bareLineEnding")
    func bareLineEndingsInMessage() {
        for body in ["a\nb\r\n", "a\rb\r\n", "a\r\r\n", "\n\r\n", "\r\r\n", "a\n", "a\r"] {
            #expect(
                Self.framesAnySplit("DATA\r\n\(body)\r\n.\r\nQUIT\r\n") == [
                    .command("DATA"), .message(.bareLineEnding), .command("QUIT"),
                ],
                "\(visible(body))")
        }
    }

    @Test("a bare line ending is reported even when the message is also too large or too long")
    func bareLineEndingWins() {
        let stream = "DATA\r\n" + Self.repeated("a", 1200) + "\nx\r\n.\r\n"
        #expect(Self.framesAnySplit(stream, maxMessageSize: 100) == [.command("DATA"), .message(.bareLineEnding)])
    }

    // MARK: SMTP smuggling

    /// The variants of a fake end of data (RFC 5321 §4.1.1.4; SEC Consult, 2023).
    static let smugglingVariants = ["\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\r\n.\n"]

    /// Where the fake end appears: right after DATA, mid-line, and at a line start.
    static let smugglingPrefixes = ["", "Subject: x\r\n\r\nhello", "hello\r\n", "hello\r\n\r\n"]

    struct Smuggling: Sendable, CustomTestStringConvertible {
        var prefix: String
        var variant: String
        var testDescription: String { "\(visible(variant)) after \"\(visible(prefix))\"" }
    }

    static let smugglingCases: [Smuggling] = smugglingPrefixes.flatMap { prefix in
        smugglingVariants.map { Smuggling(prefix: prefix, variant: $0) }
    }

    static let smuggledTransaction =
        "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled\r\n"

    @Test("a fake end of data does not end the message", arguments: smugglingCases)
    func smugglingDoesNotEnd(_ fixture: Smuggling) {
        var framer = SMTPServerFramer()
        framer.append(bytes("DATA\r\n"))
        #expect(framer.next() == .command("DATA"))
        framer.beginData(maxMessageSize: 1 << 20)
        framer.append(bytes(fixture.prefix + fixture.variant + Self.smuggledTransaction))
        #expect(framer.next() == nil)
        #expect(framer.isReadingMessage)
    }

    @Test(
        "after a fake end of data, the real CRLF.CRLF ends the message as bareLineEnding and nothing became a command",
        arguments: smugglingCases)
    func smugglingRefused(_ fixture: Smuggling) {
        let stream = "DATA\r\n" + fixture.prefix + fixture.variant + Self.smuggledTransaction + ".\r\nQUIT\r\n"
        #expect(
            Self.framesAnySplit(stream) == [.command("DATA"), .message(.bareLineEnding), .command("QUIT")])
    }

    @Test("a fake end of data right before the real one still is a bare line ending", arguments: smugglingVariants)
    func smugglingBeforeRealEnd(_ variant: String) {
        let stream = "DATA\r\nhello" + variant + "\r\n.\r\nQUIT\r\n"
        #expect(
            Self.framesAnySplit(stream) == [.command("DATA"), .message(.bareLineEnding), .command("QUIT")])
    }
}

@Suite("AUTH line lengths")
struct AuthLineLengthTests {
    func frames(_ text: String, longLineAllowed: Bool = false) -> [SMTPServerFramer.Frame] {
        var framer = SMTPServerFramer()
        framer.longLineAllowed = longLineAllowed
        framer.append(Array(text.utf8))
        var frames: [SMTPServerFramer.Frame] = []
        while let frame = framer.next() { frames.append(frame) }
        return frames
    }

    @Test("an AUTH line may be longer than 512 octets, up to 12288 (RFC 4954 §4)")
    func longAuthLine() {
        let response = String(repeating: "A", count: 5000)
        #expect(frames("AUTH PLAIN \(response)\r\n") == [.command(Array("AUTH PLAIN \(response)".utf8))])
        #expect(frames("auth plain \(response)\r\n").count == 1)
        let tooLong = String(repeating: "A", count: SMTPDefaults.maxAuthLineLength)
        #expect(frames("AUTH PLAIN \(tooLong)\r\n") == [.commandTooLong])
    }

    @Test("other commands keep the 512-octet limit")
    func otherCommands() {
        #expect(frames("NOOP \(String(repeating: "A", count: 600))\r\n") == [.commandTooLong])
    }

    @Test("a SASL response line may be long while the session allows it")
    func saslResponse() {
        let response = String(repeating: "B", count: 3000)
        #expect(frames("\(response)\r\n", longLineAllowed: true) == [.command(Array(response.utf8))])
        #expect(frames("\(response)\r\n") == [.commandTooLong])
    }
}
