import SMTPProtocol

/// Turns a destination into the servers to try, in order — MX hosts by
/// preference (or the relays), then the fallback relays — or into a
/// verdict that needs no server at all.
struct RoutePlanner: Sendable {
    enum Plan: Sendable {
        /// Try these in order. `reason` explains why only fallbacks are
        /// left, when the primary route failed before any connection.
        case hops([NextHop], primaryFailure: RecipientFailure?)
        /// Every recipient fails with this, now (NXDOMAIN, null MX, …).
        case fail(RecipientFailure)
    }

    /// A status code and a sentence, for a verdict reached without a server.
    struct RecipientFailure: Sendable {
        var status: EnhancedStatusCode
        var text: String
        var isPermanent: Bool { status.statusClass == 5 }
    }

    /// How many addresses of a destination are tried in one attempt, MX
    /// hosts and their addresses together (Postfix's smtp_mx_address_limit).
    static let maxAddresses = 10

    let configuration: DeliveryConfiguration
    let resolver: DNSResolver?

    func plan(for destination: String) async -> Plan {
        let fallbacks = configuration.fallbackRelays.map { Self.hop($0, isFallback: true) }
        switch configuration.route {
        case .capture:
            return .hops([], primaryFailure: nil)
        case .relay:
            return .hops(configuration.relays.map { Self.hop($0, isFallback: false) } + fallbacks, primaryFailure: nil)
        case .mx:
            guard let resolver else {
                return .fail(RecipientFailure(status: .init(4, 3, 5), text: "no DNS resolver configured"))
            }
            switch await resolver.mailRoute(for: destination) {
            case .hosts(let hosts):
                let hops = hosts.flatMap { host in
                    host.addresses.map {
                        NextHop(host: host.name, address: $0, port: configuration.mxPort, tls: .opportunistic)
                    }
                }
                return .hops(Array(hops.prefix(Self.maxAddresses)) + fallbacks, primaryFailure: nil)
            case .nullMX:
                return .fail(RecipientFailure(
                    status: .init(5, 1, 10), text: "Domain \(destination) does not accept mail (null MX, RFC 7505)"))
            case .noSuchDomain:
                return .fail(RecipientFailure(
                    status: .init(5, 1, 2),
                    text: "Host or domain name not found. Name service error for name=\(destination) type=MX: Host not found"))
            case .unroutable(let reason):
                return .fail(RecipientFailure(status: .init(5, 4, 4), text: reason))
            case .temporaryFailure(let reason):
                let failure = RecipientFailure(status: .init(4, 4, 3), text: reason)
                return fallbacks.isEmpty ? .fail(failure) : .hops(fallbacks, primaryFailure: failure)
            }
        }
    }

    static func hop(_ relay: DeliveryConfiguration.Relay, isFallback: Bool) -> NextHop {
        NextHop(
            host: relay.host, address: IPAddressCheck.isIPAddress(relay.host) ? relay.host : nil, port: relay.port,
            tls: relay.tls, credentials: relay.credentials, isFallback: isFallback)
    }
}
