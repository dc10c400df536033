import DNS

/// What the A and AAAA lookups of one host gave.
enum HostAddresses: Sendable, Hashable {
    /// IPv4 first, then IPv6.
    case found([String])
    /// NXDOMAIN or no address records: the host has no address.
    case none
    /// Neither lookup gave an address and at least one failed for now; the reason is a log sentence.
    case failed(String)
}

extension DNSResolver {
    /// The A and AAAA addresses of `host`, asked at once, following CNAMEs.
    ///
    /// One family failing while the other answers is not a failure: the
    /// addresses found are enough to try.
    ///
    /// - SeeAlso: RFC 5321 §5.1 (both families); RFC 1034 §3.6.2 (CNAME)
    func addresses(of host: DNSName) async -> HostAddresses {
        async let v4 = addresses(of: host, type: .a)
        async let v6 = addresses(of: host, type: .aaaa)
        let results = await [v4, v6]
        let addresses = results.flatMap { result -> [String] in
            if case .found(let addresses) = result { return addresses }
            return []
        }
        if !addresses.isEmpty { return .found(addresses) }
        for case .failed(let reason) in results { return .failed(reason) }
        return .none
    }

    private func addresses(of host: DNSName, type: DNSRecordType) async -> HostAddresses {
        let answer: DNSMessage
        do {
            answer = try await query(host, type)
        } catch {
            return .failed(error.description)
        }
        guard answer.responseCode == .noError else { return .none }
        let owner = answer.canonicalName(for: host)
        let addresses = answer.answers
            .filter { $0.name == owner && $0.type == type }
            .compactMap(\.data.addressText)
        return addresses.isEmpty ? .none : .found(addresses)
    }
}
