import NIOCore
import NIOPosix
import Synchronization

/// The `e2e` mode's own SMTP sink: a SwiftNIO server that accepts every transaction, keeps
/// nothing but counts, and notes when each of this run's messages arrived.
///
/// Dialogue: `220` greeting; `EHLO` (PIPELINING, 8BITMIME, SIZE, ENHANCEDSTATUSCODES) or
/// `HELO`; `MAIL`, `RCPT` (after MAIL), `DATA` (after at least one RCPT, else `554`), the
/// message up to `CRLF.CRLF` answered `250`; `RSET`, `NOOP`, `VRFY` (`252`), `QUIT` (`221`,
/// then close); anything else `502`; a command out of order `503`. Replies to pipelined
/// commands go out together at the end of each read.
///
/// A message counts as arrived at its final dot (before the `250` is written). Its
/// `Message-ID` (in the header, wherever the relaying MTA put its `Received:` lines) names
/// the run and the message number: a message of another run (left over in a queue) is
/// counted as foreign, a second copy of the same number as a duplicate.
final class SMTPSink: Sendable {
    /// Where it listens.
    let port: Int
    let runID: [UInt8]
    let messages: Int
    private let channel: any Channel

    let connectionsOpened = Atomic<Int>(0)
    let connectionsOpen = Atomic<Int>(0)
    let peakConnectionsOpen = Atomic<Int>(0)
    /// Distinct messages of this run that arrived.
    let arrived = Atomic<Int>(0)
    /// Every transaction completed (with a final dot), ours or not, duplicates included.
    let transactions = Atomic<Int>(0)
    private let records: Mutex<Records>

    struct Records {
        /// Arrival time (monotonic nanoseconds) of message `i` of this run; 0: not yet.
        var arrivalByIndex: [UInt64]
        /// Arrival times of distinct messages, in order.
        var arrivals: [UInt64] = []
        var duplicates = 0
        /// Transactions whose Message-ID is not this run's (or missing).
        var foreign = 0
        /// Recipients over all transactions (an MTA may group several per transaction).
        var recipients = 0
        /// RSETs seen (connection reuse between messages).
        var resets = 0
    }

    /// Binds `host:port` at once (throws if the port is taken) on `group`.
    init(host: String, port: Int, runID: String, messages: Int, group: any EventLoopGroup) throws {
        self.runID = Array(runID.utf8)
        self.messages = messages
        self.records = Mutex(Records(arrivalByIndex: [UInt64](repeating: 0, count: messages)))
        let box = SinkBox()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let sink = box.sink else { throw ChannelError.ioOnClosedChannel }
                    try channel.pipeline.syncOperations.addHandler(SinkHandler(sink: sink))
                }
            }
        channel = try bootstrap.bind(host: host, port: port).wait()
        self.port = channel.localAddress?.port ?? port
        box.sink = self
    }

    func close() {
        try? channel.close().wait()
    }

    func snapshot() -> Records {
        records.withLock { $0 }
    }

    // MARK: Calls from the connections

    func connectionOpened() {
        connectionsOpened.add(1, ordering: .relaxed)
        let open = connectionsOpen.add(1, ordering: .relaxed).newValue
        var peak = peakConnectionsOpen.load(ordering: .relaxed)
        while open > peak {
            let (exchanged, original) = peakConnectionsOpen.compareExchange(
                expected: peak, desired: open, ordering: .relaxed
            )
            if exchanged { break }
            peak = original
        }
    }

    func connectionClosed() {
        connectionsOpen.subtract(1, ordering: .relaxed)
    }

    func reset() {
        records.withLock { $0.resets += 1 }
    }

    /// A transaction ended with its final dot; `index` is the message number if the
    /// Message-ID was this run's.
    func messageArrived(index: Int?, recipients: Int) {
        let now = NIODeadline.now().uptimeNanoseconds
        transactions.add(1, ordering: .relaxed)
        let fresh: Bool = records.withLock { r in
            r.recipients += recipients
            guard let index, index < r.arrivalByIndex.count else {
                r.foreign += 1
                return false
            }
            guard r.arrivalByIndex[index] == 0 else {
                r.duplicates += 1
                return false
            }
            r.arrivalByIndex[index] = now
            r.arrivals.append(now)
            return true
        }
        if fresh { arrived.add(1, ordering: .relaxed) }
    }
}

/// Lets the child initializer reach the sink, which exists only once the bind succeeded.
private final class SinkBox: @unchecked Sendable {
    // Written once before the first connection can be accepted (the bind's completion
    // happens-before any child channel's initializer).
    var sink: SMTPSink?
}

/// One connection to the sink.
final class SinkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let maxLine = 4096
    static let maxHeaderLine = 998

    private let sink: SMTPSink
    private var line: [UInt8] = []
    private var lineTooLong = false
    private var out: ByteBuffer?
    private var closeAfterFlush = false

    // Transaction state.
    private var greeted = false
    private var inMail = false
    private var recipients = 0
    private var queued = 0

    // DATA state.
    private var inData = false
    /// Bytes of the current data line seen so far (only kept while in the header).
    private var dataLine: [UInt8] = []
    private var dataLineLength = 0
    private var inHeader = true
    private var messageIndex: Int?

    init(sink: SMTPSink) {
        self.sink = sink
    }

    func channelActive(context: ChannelHandlerContext) {
        sink.connectionOpened()
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: "220 sink.poshta-bench.test ESMTP poshta-bench sink\r\n")), promise: nil)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.connectionClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closeAfterFlush else { return }
        let buffer = Self.unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { bytes in
            var i = 0
            let count = bytes.count
            while i < count, !closeAfterFlush {
                if inData {
                    i = consumeData(bytes, from: i, context: context)
                } else {
                    let byte = bytes[i]
                    i += 1
                    if byte == UInt8(ascii: "\n") {
                        if line.last == UInt8(ascii: "\r") { line.removeLast() }
                        let tooLong = lineTooLong
                        let command = line
                        line.removeAll(keepingCapacity: true)
                        lineTooLong = false
                        if tooLong {
                            reply(context, "500 5.5.2 Line too long\r\n")
                        } else {
                            handle(command, context: context)
                        }
                    } else if line.count < Self.maxLine {
                        line.append(byte)
                    } else {
                        lineTooLong = true
                    }
                }
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushReplies(context)
        context.fireChannelReadComplete()
    }

    // MARK: Commands

    private func handle(_ command: [UInt8], context: ChannelHandlerContext) {
        let verb = Self.verb(of: command)
        switch verb {
        case "EHLO":
            greeted = true
            resetTransaction()
            reply(context, "250-sink.poshta-bench.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 104857600\r\n250 ENHANCEDSTATUSCODES\r\n")
        case "HELO":
            greeted = true
            resetTransaction()
            reply(context, "250 sink.poshta-bench.test\r\n")
        case "MAIL":
            if !greeted {
                reply(context, "503 5.5.1 Error: send HELO/EHLO first\r\n")
            } else if inMail {
                reply(context, "503 5.5.1 Error: nested MAIL command\r\n")
            } else if !Self.hasPrefix(command, "MAIL FROM:") {
                reply(context, "501 5.5.4 Syntax: MAIL FROM:<address>\r\n")
            } else {
                inMail = true
                recipients = 0
                reply(context, "250 2.1.0 Ok\r\n")
            }
        case "RCPT":
            if !inMail {
                reply(context, "503 5.5.1 Error: need MAIL command\r\n")
            } else if !Self.hasPrefix(command, "RCPT TO:") {
                reply(context, "501 5.5.4 Syntax: RCPT TO:<address>\r\n")
            } else {
                recipients += 1
                reply(context, "250 2.1.5 Ok\r\n")
            }
        case "DATA":
            if !inMail {
                reply(context, "503 5.5.1 Error: need RCPT command\r\n")
            } else if recipients == 0 {
                reply(context, "554 5.5.1 Error: no valid recipients\r\n")
            } else {
                reply(context, "354 End data with <CR><LF>.<CR><LF>\r\n")
                inData = true
                inHeader = true
                dataLine.removeAll(keepingCapacity: true)
                dataLineLength = 0
                messageIndex = nil
            }
        case "RSET":
            resetTransaction()
            sink.reset()
            reply(context, "250 2.0.0 Ok\r\n")
        case "NOOP":
            reply(context, "250 2.0.0 Ok\r\n")
        case "VRFY":
            reply(context, "252 2.0.0 Cannot VRFY user\r\n")
        case "QUIT":
            reply(context, "221 2.0.0 Bye\r\n")
            closeAfterFlush = true
        default:
            reply(context, "502 5.5.2 Error: command not recognized\r\n")
        }
    }

    private func resetTransaction() {
        inMail = false
        recipients = 0
    }

    // MARK: Data

    /// Consumes message bytes from `from` on; returns where it stopped (after the final
    /// dot's line, or the end of `bytes`). A line is "." alone: the end; a line starting
    /// with "." is dot-stuffed (nothing to keep here). Header lines are kept until the
    /// blank line, to find the Message-ID.
    private func consumeData(_ bytes: UnsafeRawBufferPointer, from start: Int, context: ChannelHandlerContext) -> Int {
        var i = start
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            i += 1
            if byte == UInt8(ascii: "\n") {
                // End of a data line: dataLine holds it (without LF) if short and kept.
                let length = dataLineLength
                let isDot = length == 2 && dataLine.count == 2 && dataLine[0] == UInt8(ascii: ".") && dataLine[1] == UInt8(ascii: "\r")
                    || length == 1 && dataLine.count == 1 && dataLine[0] == UInt8(ascii: ".")
                if isDot {
                    endOfData(context)
                    return i
                }
                if inHeader {
                    if length <= 1 { // "" or "\r": the blank line ends the header
                        inHeader = false
                    } else if messageIndex == nil {
                        messageIndex = parseMessageID(dataLine)
                    }
                }
                dataLine.removeAll(keepingCapacity: true)
                dataLineLength = 0
            } else {
                dataLineLength += 1
                // Keep header lines (to read the Message-ID) and the first bytes of body
                // lines (enough to see a lone dot).
                if inHeader ? dataLine.count < Self.maxHeaderLine : dataLine.count < 2 {
                    dataLine.append(byte)
                }
            }
        }
        return i
    }

    private func endOfData(_ context: ChannelHandlerContext) {
        inData = false
        sink.messageArrived(index: messageIndex, recipients: recipients)
        queued += 1
        resetTransaction()
        reply(context, "250 2.0.0 Ok: queued as \(queued)\r\n")
    }

    /// `Message-ID: <0000000042.RUNID@…>` → 42 if RUNID is this run's.
    private func parseMessageID(_ line: [UInt8]) -> Int? {
        let name = Array("message-id:".utf8)
        guard line.count > name.count else { return nil }
        for k in 0..<name.count where Self.lower(line[k]) != name[k] { return nil }
        var i = name.count
        while i < line.count, line[i] == UInt8(ascii: " ") || line[i] == UInt8(ascii: "\t") { i += 1 }
        guard i < line.count, line[i] == UInt8(ascii: "<") else { return nil }
        i += 1
        var number = 0
        var digits = 0
        while i < line.count, line[i] >= UInt8(ascii: "0"), line[i] <= UInt8(ascii: "9"), digits < 12 {
            number = number * 10 + Int(line[i] - UInt8(ascii: "0"))
            digits += 1
            i += 1
        }
        guard digits > 0, i < line.count, line[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        let run = sink.runID
        guard i + run.count < line.count, Array(line[i..<(i + run.count)]) == run,
              line[i + run.count] == UInt8(ascii: "@") else { return nil }
        return number
    }

    // MARK: Replies

    private func reply(_ context: ChannelHandlerContext, _ text: String) {
        if out == nil { out = context.channel.allocator.buffer(capacity: 256) }
        out!.writeString(text)
    }

    private func flushReplies(_ context: ChannelHandlerContext) {
        if let buffer = out, buffer.readableBytes > 0 {
            out = nil
            if closeAfterFlush {
                context.writeAndFlush(Self.wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            } else {
                context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
            }
        } else if closeAfterFlush {
            context.close(promise: nil)
        }
    }

    // MARK: Helpers

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// The first word, upper-cased (at most 4 letters matter).
    private static func verb(of command: [UInt8]) -> String {
        var word: [UInt8] = []
        for byte in command {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || word.count == 8 { break }
            word.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte)
        }
        return String(decoding: word, as: UTF8.self)
    }

    /// Case-insensitive prefix test.
    private static func hasPrefix(_ command: [UInt8], _ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        guard command.count >= p.count else { return false }
        for k in 0..<p.count where lower(command[k]) != lower(p[k]) { return false }
        return true
    }
}

@available(*, unavailable)
extension SinkHandler: Sendable {}
