import Spool

/// One message and those of its claimed recipients that share a destination:
/// what one delivery agent sends in one transaction.
struct DeliveryJob: Sendable {
    var message: SpooledMessage
    /// A recipient domain (route `mx`), `relay`, or `capture`.
    var destination: String
    /// When the queue manager claimed it, for `delays=`.
    var claimed: Double

    /// Splits claimed messages into jobs, one per message and destination.
    static func split(_ messages: [SpooledMessage], route: DeliveryConfiguration.Route, now: Double) -> [DeliveryJob] {
        var jobs: [DeliveryJob] = []
        for message in messages {
            switch route {
            case .capture, .relay:
                jobs.append(DeliveryJob(message: message, destination: route.rawValue, claimed: now))
            case .mx:
                var order: [String] = []
                var byDomain: [String: [SpooledRecipient]] = [:]
                for recipient in message.recipients {
                    let domain = Self.domain(of: recipient.address)
                    if byDomain[domain] == nil { order.append(domain) }
                    byDomain[domain, default: []].append(recipient)
                }
                for domain in order {
                    var part = message
                    part.recipients = byDomain[domain] ?? []
                    jobs.append(DeliveryJob(message: part, destination: domain, claimed: now))
                }
            }
        }
        return jobs
    }

    static func domain(of address: String) -> String { recipientDomain(address) }
}
