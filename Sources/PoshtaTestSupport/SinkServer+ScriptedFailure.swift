public import SMTPProtocol

extension SinkBehavior {
    /// A step of the SMTP dialogue that the sink fails on purpose.
    ///
    /// ```swift
    /// behavior.failures = [
    ///     .temporary(at: .dataEnd, times: 2),          // 451 4.3.0 for the first 2 messages, then 250
    ///     .unknownRecipient(localPart: "nobody"),      // 550 5.1.1 to RCPT TO:<nobody@…>
    ///     .refuseConnections(times: 1),                // 421 4.7.0 instead of the greeting, then close
    ///     .acceptWithoutReply(times: 1),               // keep the message, close without the 250
    ///     ScriptedFailure(at: .mail, .reply(SMTPReply(452, "4.3.1", "Insufficient system storage"))),
    /// ]
    /// ```
    ///
    /// `times` counts units, not replies: at the connection steps
    /// (`.connect`, `.helo`, `.startTLS`, `.auth`) a unit is a connection; at
    /// the others it is a mail transaction (from MAIL to the end of DATA), so
    /// `times: 2` at `.rcpt` fails every RCPT of the first two transactions
    /// that match.
    public struct ScriptedFailure: Sendable {
        /// Where in the dialogue the failure answers.
        public enum Stage: Sendable, Hashable {
            /// Instead of the greeting.
            case connect
            /// EHLO or HELO.
            case helo
            case startTLS
            /// The AUTH command, before any challenge.
            case auth
            case mail
            case rcpt
            /// The DATA command (instead of 354).
            case data
            /// After the message's final dot (instead of 250).
            case dataEnd
        }

        /// Which commands the failure applies to.
        public enum Match: Sendable, Hashable {
            case any
            /// RCPT: this recipient; `.mail`: never; `.data`/`.dataEnd`: a
            /// transaction with this recipient. Compared without case.
            case recipientLocalPart(String)
            /// The whole address, e.g. `nobody@example.net`, compared without case.
            case recipient(String)
            /// The MAIL FROM address (empty for `<>`), compared without case;
            /// at RCPT and DATA, the transaction's sender.
            case sender(String)
        }

        /// What the sink does instead of its normal answer.
        public enum Response: Sendable, Hashable {
            /// Answers this and carries on.
            case reply(SMTPReply)
            /// Answers this, then closes the connection.
            case replyAndDisconnect(SMTPReply)
            /// Closes without an answer (the server crashed). At `.dataEnd`
            /// the message is not kept.
            case disconnect
            /// At `.dataEnd`: keeps the message as accepted, then closes without
            /// the 250, as if the reply were lost (at-least-once tests).
            /// Elsewhere the same as `.disconnect`.
            case acceptWithoutReply
            /// Never answers again on this connection and ignores what comes;
            /// the client must time out. At `.dataEnd` the message is not kept.
            case hang
        }

        public var stage: Stage
        public var match: Match
        /// Fails the first `times` units (connections or transactions) that
        /// match, then lets them through; nil: always.
        public var times: Int?
        public var response: Response

        public init(at stage: Stage, matching match: Match = .any, times: Int? = nil, _ response: Response) {
            self.stage = stage
            self.match = match
            self.times = times
            self.response = response
        }

        /// `451 4.3.0` at the stage (default: the end of DATA).
        public static func temporary(at stage: Stage = .dataEnd, matching match: Match = .any, times: Int? = nil)
            -> ScriptedFailure
        {
            ScriptedFailure(
                at: stage, matching: match, times: times,
                .reply(SMTPReply(451, "4.3.0", "Temporary failure, try again later")))
        }

        /// `550 5.1.1` to RCPT for this local part.
        public static func unknownRecipient(localPart: String) -> ScriptedFailure {
            ScriptedFailure(
                at: .rcpt, matching: .recipientLocalPart(localPart),
                .reply(SMTPReply(550, "5.1.1", "Recipient address rejected: User unknown")))
        }

        /// `421 4.7.0` instead of the greeting, then the connection is closed.
        public static func refuseConnections(times: Int? = nil) -> ScriptedFailure {
            ScriptedFailure(
                at: .connect, times: times,
                .replyAndDisconnect(SMTPReply(421, "4.7.0", "Service not available, closing connection")))
        }

        /// The message is kept, but the connection closes before the 250.
        public static func acceptWithoutReply(times: Int? = 1) -> ScriptedFailure {
            ScriptedFailure(at: .dataEnd, times: times, .acceptWithoutReply)
        }

        /// Whether the failure concerns this step (ignoring `times`).
        func matches(_ stage: Stage, sender: String?, recipients: [String]) -> Bool {
            guard stage == self.stage else { return false }
            switch match {
            case .any:
                return true
            case .sender(let address):
                return sender?.lowercased() == address.lowercased()
            case .recipient(let address):
                return recipients.contains { $0.lowercased() == address.lowercased() }
            case .recipientLocalPart(let localPart):
                return recipients.contains { recipient in
                    let local = recipient.split(separator: "@", omittingEmptySubsequences: false).dropLast().joined(
                        separator: "@")
                    return local.lowercased() == localPart.lowercased()
                }
            }
        }
    }
}
