public import Foundation
public import SMTPProtocol

/// A message a `SinkServer` accepted.
public struct SinkMessage: Sendable, Hashable {
    /// The MAIL FROM address without brackets; empty for the null path `<>`.
    public var sender: String
    /// The accepted RCPT TO addresses, in order, without brackets (`Postmaster`
    /// for `<Postmaster>`).
    public var recipients: [String]
    /// SIZE=, BODY=, SMTPUTF8 and any others the client gave with MAIL.
    public var mailParameters: MailParameters
    /// The message as the client meant it: dot-unstuffed, each line with its
    /// CRLF, without the terminating `.CRLF` (a message sent as `a\r\nb\r\n`
    /// comes back as exactly that).
    public var data: [UInt8]
    /// The EHLO or HELO name.
    public var heloName: String
    /// True after EHLO, false after HELO.
    public var usedEHLO: Bool
    /// `TLSv1.2` or `TLSv1.3` when the message came over TLS.
    public var tlsVersion: String?
    /// The user who authenticated with AUTH on this connection.
    public var authUser: String?
    public var receivedAt: ContinuousClock.Instant
    public var receivedDate: Date
    /// 1 for the sink's first connection, and so on.
    public var connection: Int
    /// 1 for the sink's first MAIL command, and so on (refused ones included).
    public var transaction: Int
    /// The id in the 250 reply: `250 2.0.0 Ok: queued as <queueID>`.
    public var queueID: String

    public var usedTLS: Bool { tlsVersion != nil }

    /// The data as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// A command line a `SinkServer` read, with what it knew when reading it.
public struct SinkCommand: Sendable, Hashable {
    public var connection: Int
    /// The line without CRLF; AUTH responses and initial responses redacted.
    public var line: String
    /// The parsed command; nil when the line did not parse or was an answer
    /// to an AUTH challenge.
    public var command: SMTPCommand?
    /// Commands with the same batch number on a connection were read before
    /// the sink answered any of them: more than one command in a batch means
    /// the client pipelined (RFC 2920).
    public var batch: Int
    /// Read inside TLS.
    public var inTLS: Bool
    /// Read after a successful AUTH.
    public var authenticated: Bool

    /// The upper-cased verb (`MAIL`), or the line's first word.
    public var verb: String {
        command?.verb ?? String(line.prefix { $0 != " " }).uppercased()
    }
}

/// One line of a sink's dialogue.
public struct SinkTranscriptLine: Sendable, Hashable, CustomStringConvertible {
    public enum Direction: Sendable, Hashable {
        /// From the client.
        case received
        /// From the sink.
        case sent
        /// Something the sink noted: connect, TLS, close, a message.
        case event
    }

    public var connection: Int
    public var direction: Direction
    public var text: String

    /// `3 C: MAIL FROM:<a@b.test>`, `3 S: 250 2.1.0 Ok`, `3 *: TLSv1.3`.
    public var description: String {
        let arrow =
            switch direction {
            case .received: "C:"
            case .sent: "S:"
            case .event: "*:"
            }
        return "\(connection) \(arrow) \(text)"
    }
}

/// Something a `SinkServer` could not do or did not see in time.
public struct SinkServerError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
