extension DNSMessage {
    /// The MX records of the answer section, lowest preference first (ties keep their order).
    ///
    /// - SeeAlso: RFC 5321 §5.1; RFC 1035 §3.3.9
    public func mxRecords() -> [(preference: UInt16, exchange: DNSName)] {
        let found: [(preference: UInt16, exchange: DNSName)] = answers.compactMap { record in
            guard case .mx(let preference, let exchange) = record.data else { return nil }
            return (preference, exchange)
        }
        return found.enumerated()
            .sorted { ($0.element.preference, $0.offset) < ($1.element.preference, $1.offset) }
            .map(\.element)
    }

    /// True when the only MX answer has the root `"."` as exchange: the domain takes no mail.
    ///
    /// RFC 7505 §3 has publishers use preference 0; the exchange alone decides here.
    ///
    /// - SeeAlso: RFC 7505 §3, §4.1
    public var isNullMX: Bool {
        let mx = mxRecords()
        return mx.count == 1 && mx[0].exchange.isRoot
    }

    /// The A and AAAA answers as text, in answer order: `"192.0.2.1"`, `"2001:db8::1"`.
    ///
    /// - SeeAlso: RFC 1035 §3.4.1; RFC 3596 §2.2; RFC 5952 §4
    public func addresses() -> [String] {
        answers.compactMap(\.data.addressText)
    }

    /// Where `name` leads through the CNAME answers: the last name of the chain,
    /// or `name` itself. Stops after 16 steps or on a loop.
    ///
    /// - SeeAlso: RFC 1034 §3.6.2, §4.3.2 (CNAME chains in one answer)
    public func canonicalName(for name: DNSName) -> DNSName {
        var current = name
        var seen: Set<DNSName> = [name]
        for _ in 0..<16 {
            let next = answers.lazy.compactMap { record -> DNSName? in
                guard record.name == current, case .cname(let target) = record.data else { return nil }
                return target
            }.first
            guard let next, seen.insert(next).inserted else { break }
            current = next
        }
        return current
    }

    /// How long a negative answer (NXDOMAIN, or no records of the type) may be
    /// cached: the smaller of the SOA record's TTL and its MINIMUM field, from
    /// the first SOA of the authority section; nil without one.
    ///
    /// - SeeAlso: RFC 2308 §3, §5
    public var negativeCachingTTL: UInt32? {
        for record in authorities {
            if case .soa(_, _, _, _, _, _, let minimum) = record.data {
                return min(record.ttl, minimum)
            }
        }
        return nil
    }
}
