public import DNS

/// Why a DNS lookup got no usable answer: every try of every nameserver
/// timed out, failed on the network, or was answered with an error code
/// such as SERVFAIL or REFUSED. Always temporary for mail: the caller defers.
///
/// NXDOMAIN is not an error: it is an answer, and ``DNSResolver/query(_:_:)`` returns it.
///
/// - SeeAlso: RFC 1035 §4.1.1 (RCODE); RFC 5321 §5.1 (temporary DNS failures defer mail)
public struct DNSResolverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong in one try.
    public enum Reason: Sendable, Hashable {
        /// No matching answer within the per-try timeout.
        case timedOut
        /// The nameserver answered with this RCODE (not NOERROR, not NXDOMAIN).
        case responseCode(DNSResponseCode)
        /// The socket or the TCP connection failed, or the answer could not be read.
        case network(String)
    }

    /// One try: which nameserver, what happened.
    public struct Failure: Sendable, Hashable {
        public var nameserver: Nameserver
        public var reason: Reason

        public init(nameserver: Nameserver, reason: Reason) {
            self.nameserver = nameserver
            self.reason = reason
        }
    }

    /// What was asked.
    public var question: DNSQuestion
    /// Every try, in order.
    public var failures: [Failure]

    public init(question: DNSQuestion, failures: [Failure]) {
        self.question = question
        self.failures = failures
    }

    /// True when every try timed out.
    public var isTimeout: Bool {
        !failures.isEmpty && failures.allSatisfy { $0.reason == .timedOut }
    }

    /// One sentence for the log and for the deferral reason:
    /// `DNS lookup of MX for example.com timed out (127.0.0.1:5353)`;
    /// different outcomes are listed apart, each with its nameservers.
    public var description: String {
        var outcomes: [(phrase: String, nameservers: [Nameserver])] = []
        for failure in failures {
            let phrase = failure.reason.phrase
            if let index = outcomes.firstIndex(where: { $0.phrase == phrase }) {
                if !outcomes[index].nameservers.contains(failure.nameserver) {
                    outcomes[index].nameservers.append(failure.nameserver)
                }
            } else {
                outcomes.append((phrase, [failure.nameserver]))
            }
        }
        let listed = outcomes.map { outcome in
            "\(outcome.phrase) (\(outcome.nameservers.map(\.description).joined(separator: ", ")))"
        }
        let what = "DNS lookup of \(question.type) for \(question.name)"
        return listed.isEmpty ? "\(what) failed" : "\(what) " + listed.joined(separator: "; ")
    }
}

extension DNSResolverError.Reason {
    /// `timed out`, `failed with SERVFAIL`, `failed: connection refused`.
    var phrase: String {
        switch self {
        case .timedOut: "timed out"
        case .responseCode(let code): "failed with \(code.mnemonic)"
        case .network(let text): "failed: \(text)"
        }
    }
}

extension DNSResponseCode {
    /// The name dig and the RFCs use: `SERVFAIL`, `REFUSED`.
    ///
    /// - SeeAlso: RFC 6895 §2.3 (the RCODE registry)
    var mnemonic: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        case .other(let code): "RCODE \(code)"
        }
    }
}
