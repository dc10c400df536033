import NIOCore
import NIOSSL
import SMTPProtocol

/// One sink connection: greeting, then frames into `SinkDialogue` and its
/// steps out as replies until QUIT, a scripted close, or the sink stopping.
///
/// Replies to pipelined commands are collected and written together once
/// the input read so far is used up (RFC 2920 §3.2); each write ends a
/// batch (see `SinkCommand.batch`).
struct SinkSession {
    let connection: NIOAsyncChannel<SinkInput, ByteBuffer>
    let number: Int
    let recorder: SinkRecorder

    /// What the loop tracks besides the dialogue.
    private struct Progress {
        var pending: [UInt8] = []
        var batch = 1
        /// STARTTLS answered: what is read until the handshake is plaintext to drop.
        var awaitingTLS = false
        /// A scripted `.hang`: read and ignore everything.
        var silent = false
    }

    func run() async {
        do {
            try await connection.executeThenClose { inbound, _ in
                var dialogue = SinkDialogue(connection: number, recorder: recorder)
                var progress = Progress()
                var inputs = inbound.makeAsyncIterator()
                // The batch of the commands completed by the latest read: replies written meanwhile
                // (a reply delay flushes each one) do not split what the client sent together.
                var readBatch = progress.batch
                if case .implicit = recorder.behavior.tls {
                    // The greeting goes out once TLS is up, so that a refusal is not lost in the handshake.
                    while let input = try await inputs.next() {
                        if case .tlsEstablished(let version) = input {
                            dialogue.tlsStarted(version: version)
                            recorder.note(number, .event, version)
                            break
                        }
                    }
                    guard dialogue.tlsVersion != nil else { return }
                }
                let behavior = recorder.behavior
                if try await !perform(dialogue.greeting(behavior), &dialogue, &progress, behavior: behavior) {
                    return
                }
                try await flush(&progress)
                while let input = try await inputs.next() {
                    switch input {
                    case .bytes(let bytes):
                        // After STARTTLS, plaintext sent before the handshake is never read (CVE-2011-0411).
                        if progress.awaitingTLS || progress.silent { continue }
                        dialogue.framer.append(bytes)
                        readBatch = progress.batch
                    case .tlsEstablished(let version):
                        progress.awaitingTLS = false
                        dialogue.tlsStarted(version: version)
                        recorder.note(number, .event, version)
                    }
                    while !progress.awaitingTLS && !progress.silent {
                        dialogue.framer.longLineAllowed = dialogue.sasl != nil
                        guard let frame = dialogue.framer.next() else { break }
                        let behavior = recorder.behavior
                        let step = dialogue.receive(frame, behavior: behavior, batch: readBatch)
                        guard try await perform(step, &dialogue, &progress, behavior: behavior) else { return }
                    }
                    try await flush(&progress)
                }
                if dialogue.framer.isReadingMessage { recorder.note(number, .event, "connection lost in DATA") }
            }
        } catch {
            recorder.note(number, .event, "connection ended: \(error)")
        }
    }

    /// Carries out a step; false when the connection must close now.
    private func perform(
        _ step: SinkDialogue.Step, _ dialogue: inout SinkDialogue, _ progress: inout Progress, behavior: SinkBehavior
    ) async throws -> Bool {
        switch step {
        case .reply(let reply):
            try await queue(reply, &progress, behavior: behavior)
            return true
        case .replyAndReadMessage(let reply):
            try await queue(reply, &progress, behavior: behavior)
            try await flush(&progress)
            dialogue.framer.beginData(maxMessageSize: behavior.size ?? Int.max)
            return true
        case .replyAndStartTLS(let reply):
            try await queue(reply, &progress, behavior: behavior)
            try await startTLS(&progress)
            dialogue.framer.discardBuffered()
            progress.awaitingTLS = true
            return true
        case .replyAndClose(let reply):
            try await queue(reply, &progress, behavior: behavior)
            try await flush(&progress)
            return false
        case .close:
            // Replies already due still go out; then the connection drops.
            try await flush(&progress)
            recorder.note(number, .event, "closing without a reply (scripted)")
            return false
        case .hang:
            try await flush(&progress)
            recorder.note(number, .event, "no more replies (scripted hang)")
            progress.silent = true
            return true
        }
    }

    private func queue(_ reply: SMTPReply, _ progress: inout Progress, behavior: SinkBehavior) async throws {
        if behavior.replyDelay > .zero {
            try await flush(&progress)
            try await Task.sleep(for: behavior.replyDelay)
        }
        for line in reply.encoded.split(separator: 0x0A) {
            recorder.note(number, .sent, String(decoding: line.dropLast(), as: UTF8.self))
        }
        progress.pending.append(contentsOf: reply.encoded)
    }

    /// Writes the replies collected so far, and waits until they are written.
    private func flush(_ progress: inout Progress) async throws {
        guard !progress.pending.isEmpty else { return }
        let bytes = ByteBuffer(bytes: progress.pending)
        progress.pending = []
        progress.batch += 1
        try await connection.channel.writeAndFlush(bytes)
    }

    /// Sends the 220 for STARTTLS and puts TLS first in the pipeline in one
    /// event-loop turn, so that nothing sent after it is read in clear.
    private func startTLS(_ progress: inout Progress) async throws {
        guard let context = recorder.configuration.tlsContext else {
            throw SinkServerError(description: "STARTTLS without a TLS context")
        }
        let bytes = ByteBuffer(bytes: progress.pending)
        progress.pending = []
        progress.batch += 1
        let channel = connection.channel
        try await channel.eventLoop.submit {
            channel.writeAndFlush(bytes, promise: nil)
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context), position: .first)
        }.get()
    }
}
