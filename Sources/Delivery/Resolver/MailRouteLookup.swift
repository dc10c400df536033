/// Where mail for a recipient domain goes, as DNS says, and what delivery
/// does when it cannot go anywhere.
///
/// - SeeAlso: RFC 5321 §5.1; RFC 7505 (null MX); RFC 3463 (the status codes below)
public enum MailRouteLookup: Sendable, Hashable {
    /// The hosts to try, lowest preference first; ties keep the answer's
    /// order. Only hosts with at least one address are listed.
    case hosts([MailHost])
    /// The domain publishes a null MX: it accepts no mail. Bounce with 5.1.10.
    ///
    /// - SeeAlso: RFC 7505 §3, §4.2; RFC 7505 §5 (5.1.10)
    case nullMX
    /// NXDOMAIN: the domain does not exist. Bounce with 5.1.2.
    case noSuchDomain
    /// The domain exists but has no MX and no address, or none of its MX
    /// hosts has an address. Bounce with 5.4.4 and this reason.
    case unroutable(String)
    /// DNS did not answer usefully now (SERVFAIL, REFUSED, timeout, network
    /// error). Defer with 4.4.3; the text is one sentence for the log.
    case temporaryFailure(String)
}
