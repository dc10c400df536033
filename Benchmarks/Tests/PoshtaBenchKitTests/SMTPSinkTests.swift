import NIOCore
import NIOPosix
import Testing

@testable import PoshtaBenchKit

/// The `e2e` mode's sink, driven by the intake client directly (no MTA in between).
@Suite(.serialized) struct SMTPSinkTests {
    @Test(arguments: [[], ["--reuse"], ["--no-pipelining"], ["--reuse", "--no-pipelining"]])
    func countsTransactionsConnectionsAndForeignMessages(extra: [String]) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        // Another run's ID: every message the intake client sends is foreign to this sink.
        let sink = try SMTPSink(host: "127.0.0.1", port: 0, runID: "ffffffff", messages: 40, group: group)
        defer { sink.close() }
        let options = try IntakeOptions(arguments: [
            "--target", "127.0.0.1:\(sink.port)", "--messages", "40", "--sessions", "4", "--size", "3000",
            "--time-limit", "30",
        ] + extra)
        let report = try IntakeBenchmark.run(options)
        #expect(report.stats.accepted == 40)
        #expect(report.stats.failed == 0)
        #expect(sink.transactions.load(ordering: .relaxed) == 40)
        #expect(sink.arrived.load(ordering: .relaxed) == 0)
        let records = sink.snapshot()
        #expect(records.foreign == 40)
        #expect(records.recipients == 40)
        #expect(records.resets == (extra.contains("--reuse") ? 36 : 0))
        #expect(sink.connectionsOpened.load(ordering: .relaxed) == (extra.contains("--reuse") ? 4 : 40))
    }

    @Test func recognisesThisRunsMessagesAndDuplicates() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let sink = try SMTPSink(host: "127.0.0.1", port: 0, runID: "0badcafe", messages: 10, group: group)
        defer { sink.close() }
        let template = MessageTemplate(size: 1024, from: "a@shop.example", to: "b@example.net", runID: "0badcafe")
        var dialogue = "EHLO relay.test\r\n"
        for number in [3, 7, 3] {
            var id = ByteBuffer()
            template.writeIDLine(number, into: &id)
            var tail = template.tail
            dialogue += "MAIL FROM:<a@shop.example> SIZE=1024\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<c@example.net>\r\nDATA\r\n"
            dialogue += "Received: from somewhere\r\n\tby relay.test; today\r\n"
            dialogue += id.readString(length: id.readableBytes)! + tail.readString(length: tail.readableBytes)!
        }
        dialogue += "QUIT\r\n"
        let replies = try SinkClient.exchange(port: sink.port, sending: dialogue, group: group)
        #expect(replies.hasPrefix("220 "))
        #expect(replies.contains("250-PIPELINING\r\n"))
        #expect(replies.split(separator: "\r\n").filter { $0.hasPrefix("354 ") }.count == 3)
        #expect(replies.hasSuffix("221 2.0.0 Bye\r\n"))
        #expect(sink.arrived.load(ordering: .relaxed) == 2)
        let records = sink.snapshot()
        #expect(records.duplicates == 1)
        #expect(records.foreign == 0)
        #expect(records.recipients == 6)
        #expect(records.arrivalByIndex[3] > 0 && records.arrivalByIndex[7] > 0 && records.arrivalByIndex[0] == 0)
    }

    @Test func refusesDataWithoutRecipients() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let sink = try SMTPSink(host: "127.0.0.1", port: 0, runID: "00000000", messages: 1, group: group)
        defer { sink.close() }
        let replies = try SinkClient.exchange(
            port: sink.port, sending: "MAIL FROM:<a@b>\r\nHELO x\r\nRCPT TO:<b@c>\r\nMAIL FROM:<a@b>\r\nDATA\r\nNOOP\r\nQUIT\r\n",
            group: group
        )
        #expect(replies == "220 sink.poshta-bench.test ESMTP poshta-bench sink\r\n503 5.5.1 Error: send HELO/EHLO first\r\n"
            + "250 sink.poshta-bench.test\r\n503 5.5.1 Error: need MAIL command\r\n250 2.1.0 Ok\r\n"
            + "554 5.5.1 Error: no valid recipients\r\n250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n")
        #expect(sink.transactions.load(ordering: .relaxed) == 0)
    }
}

/// Writes a whole dialogue at once and collects everything the sink says until it closes.
private final class SinkClient: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private var received = ""
    private let done: EventLoopPromise<String>

    init(done: EventLoopPromise<String>) { self.done = done }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        received += buffer.readString(length: buffer.readableBytes) ?? ""
    }

    func channelInactive(context: ChannelHandlerContext) { done.succeed(received) }

    static func exchange(port: Int, sending text: String, group: any EventLoopGroup) throws -> String {
        let done = group.next().makePromise(of: String.self)
        let channel = try ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SinkClient(done: done))
                }
            }
            .connect(host: "127.0.0.1", port: port).wait()
        try channel.writeAndFlush(ByteBuffer(string: text)).wait()
        return try done.futureResult.wait()
    }
}
