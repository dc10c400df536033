import PoshtaTestSupport
import SMTPProtocol
import Testing

/// Checks that a refused message left no trace: no recipient in the index,
/// no byte in a segment file, no file in the outbox.
func expectNothingQueued(_ server: TestDaemon, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    #expect(try await server.spooledRecipientCount() == 0, "recipients on the spool", sourceLocation: sourceLocation)
    #expect(server.segmentBytes() == 0, "bytes in segment files", sourceLocation: sourceLocation)
    #expect(server.outbox().isEmpty, "files in the outbox", sourceLocation: sourceLocation)
}

/// Sends one good message in a session that is past EHLO and between
/// transactions, then waits until the outbox holds it and checks that it
/// is the only file there: whatever was refused before it never arrives.
func expectOnlyControlMessageDelivered(
    _ server: TestDaemon, _ client: TestSMTPClient, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    try await client.beginData(from: "control@shop.example", to: ["control@example.net"])
    try await client.send("Subject: control\r\n\r\nthe control message\r\n.\r\n")
    let reply = try await client.reply()
    let id = try #require(reply.queueID, "control message refused: \(reply)", sourceLocation: sourceLocation)
    let files = try await server.waitForOutbox(count: 1)
    #expect(Array(files.keys) == ["\(id).eml"], sourceLocation: sourceLocation)
    #expect(try await server.spooledRecipientCount() == 1, sourceLocation: sourceLocation)
}

extension String {
    /// The message with CRLF line ends, as a byte array.
    var bytes: [UInt8] { Array(utf8) }
}
