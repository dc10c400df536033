public import Foundation

extension DeliveryStatusNotification {
    /// What happened to one recipient: one per-recipient block of the
    /// `message/delivery-status` part and one entry of the human explanation.
    ///
    /// - SeeAlso: RFC 3464 §2.3
    public struct RecipientReport: Sendable, Hashable {
        /// The `Action` field. A report with any failed recipient is a bounce;
        /// one with only delayed recipients is a delay warning.
        ///
        /// - SeeAlso: RFC 3464 §2.3.3
        public enum Action: String, Sendable, Hashable {
            case failed, delayed
        }

        /// Why: the `Diagnostic-Code` field and the sentence in the explanation.
        ///
        /// - SeeAlso: RFC 3464 §2.3.6
        public enum Diagnostic: Sendable, Hashable {
            /// The remote server's reply, e.g. `550 5.1.1 <bob@example.org>: User unknown`
            /// → `Diagnostic-Code: smtp; 550 5.1.1 …`. Line breaks of a multi-line reply become spaces.
            case smtp(String)
            /// Our own explanation when no server answered, e.g. `Host or domain name not found`
            /// → `Diagnostic-Code: X-Poshta; …` (Postfix writes `X-Postfix;`).
            case local(String)
        }

        /// The envelope recipient (RCPT TO), ASCII or UTF-8 (SMTPUTF8).
        public var finalRecipient: String
        public var action: Action
        /// Enhanced status code `class.subject.detail` (RFC 3463), e.g. `5.1.1`.
        /// Anything else is reported as `5.0.0` (failed) or `4.0.0` (delayed).
        public var status: String
        /// The host that answered, e.g. `mx.example.org` → `Remote-MTA: dns; mx.example.org`.
        public var remoteMTA: String?
        public var diagnostic: Diagnostic?
        public var lastAttemptDate: Date?
        /// When the queue gives up; written for delayed recipients only.
        public var willRetryUntil: Date?

        public init(
            finalRecipient: String,
            action: Action,
            status: String,
            remoteMTA: String? = nil,
            diagnostic: Diagnostic? = nil,
            lastAttemptDate: Date? = nil,
            willRetryUntil: Date? = nil
        ) {
            self.finalRecipient = finalRecipient
            self.action = action
            self.status = status
            self.remoteMTA = remoteMTA
            self.diagnostic = diagnostic
            self.lastAttemptDate = lastAttemptDate
            self.willRetryUntil = willRetryUntil
        }

        /// `status` when it is a well-formed enhanced status code, else the generic one for the action.
        ///
        /// status-code = DIGIT "." 1*3DIGIT "." 1*3DIGIT (RFC 3464 §2.3.4; class 2, 4 or 5, RFC 3463 §2)
        var validStatus: String {
            let parts = status.split(separator: ".", omittingEmptySubsequences: false)
            let wellFormed =
                parts.count == 3 && ["2", "4", "5"].contains(parts[0])
                && parts[1...].allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }
            if wellFormed { return status }
            return action == .failed ? "5.0.0" : "4.0.0"
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
