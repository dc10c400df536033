import DNS

extension DNSResolver {
    /// Most MX hosts whose addresses are looked up for one domain. A domain
    /// with more is unusual; the cap bounds the lookups one message can cause
    /// (Postfix stops at 5 addresses by default, `smtp_mx_address_limit`).
    static let maximumMailHosts = 16

    /// The hosts to deliver mail for `domain` to, in the order to try them.
    ///
    /// - MX records, lowest preference first, ties in answer order (RFC 5321
    ///   §5.1 suggests random order; a fixed one keeps delivery reproducible).
    /// - No MX records: the domain itself, if it has A or AAAA (implicit MX).
    /// - Each host's A and AAAA addresses; hosts whose lookups failed for now
    ///   are left out as long as another host resolved.
    /// - `[192.0.2.1]` and `[IPv6:…]` go to that address without DNS.
    ///
    /// CNAMEs in the answers are followed; names compare without regard to
    /// case; a final dot is allowed.
    ///
    /// - SeeAlso: RFC 5321 §5.1; RFC 7505 §3, §4; RFC 2308 §2.1, §2.2
    public func mailRoute(for domain: String) async -> MailRouteLookup {
        if domain.hasPrefix("[") {
            guard let literal = AddressLiteral(domain) else {
                return .unroutable("\(domain) is not an address literal we can deliver to")
            }
            return .hosts([MailHost(name: domain, preference: 0, addresses: [literal.address])])
        }
        guard let name = try? DNSName(domain), !name.isRoot else {
            return .unroutable("\"\(domain)\" is not a valid domain name")
        }
        let answer: DNSMessage
        do {
            answer = try await query(name, .mx)
        } catch {
            return .temporaryFailure(error.description)
        }
        if answer.responseCode == .nameError { return .noSuchDomain }
        let records = Self.exchanges(in: answer, for: name)
        if records.isEmpty {
            return await implicitRoute(for: name)
        }
        if records.allSatisfy(\.exchange.isRoot) { return .nullMX }
        return await route(through: records, of: name)
    }

    /// The MX records owned by `name` or by the end of its CNAME chain, lowest preference first.
    private static func exchanges(in answer: DNSMessage, for name: DNSName) -> [(preference: UInt16, exchange: DNSName)] {
        var own = answer
        let owner = answer.canonicalName(for: name)
        own.answers = answer.answers.filter { $0.name == owner }
        return own.mxRecords()
    }

    /// RFC 5321 §5.1: with no MX records, the domain is its own mail host.
    private func implicitRoute(for name: DNSName) async -> MailRouteLookup {
        switch await addresses(of: name) {
        case .found(let addresses):
            return .hosts([MailHost(name: name.description, preference: 0, addresses: addresses)])
        case .none:
            return .unroutable("\(name) has no MX and no A or AAAA records")
        case .failed(let reason):
            return .temporaryFailure(reason)
        }
    }

    /// The MX hosts with their addresses, looked up side by side.
    private func route(
        through records: [(preference: UInt16, exchange: DNSName)], of name: DNSName
    ) async -> MailRouteLookup {
        // RFC 7505 §4.3: a "." among real exchanges is not a host. A name listed twice is tried once.
        var seen: Set<DNSName> = []
        let hosts = records.filter { !$0.exchange.isRoot && seen.insert($0.exchange).inserted }
            .prefix(Self.maximumMailHosts)
        let lookups = await withTaskGroup(of: (Int, HostAddresses).self) { group in
            for (index, host) in hosts.enumerated() {
                group.addTask { (index, await self.addresses(of: host.exchange)) }
            }
            var results = [HostAddresses](repeating: .none, count: hosts.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        var found: [MailHost] = []
        var failure: String?
        for (host, lookup) in zip(hosts, lookups) {
            switch lookup {
            case .found(let addresses):
                found.append(MailHost(name: host.exchange.description, preference: Int(host.preference), addresses: addresses))
            case .failed(let reason):
                failure = failure ?? reason
            case .none:
                break
            }
        }
        if !found.isEmpty {
            if let failure { logger.debug("some MX hosts left out for now", metadata: ["domain": "\(name)", "reason": "\(failure)"]) }
            return .hosts(found)
        }
        if let failure { return .temporaryFailure(failure) }
        let names = hosts.map(\.exchange.description).joined(separator: ", ")
        return .unroutable("no MX host of \(name) has an A or AAAA record (\(names))")
    }
}
