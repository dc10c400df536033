import Metrics
import Spool

/// What delivery counts, in swift-metrics (exported by the admin API's
/// `/metrics`): recipient outcomes, the delay from arrival to a final
/// outcome, outbound connections and their TLS failures. Looked up at each
/// use, so that they always reach the factory the daemon bootstrapped.
enum DeliveryMetrics {
    static let outbound = [("direction", "outbound")]

    /// One recipient's outcome; `delay` (seconds since arrival) for final ones.
    static func recorded(_ state: RecipientState, delay: Double) {
        let name: String
        switch state {
        case .delivered: name = "poshta_recipients_delivered_total"
        case .deferred: name = "poshta_recipients_deferred_total"
        case .bounced: name = "poshta_recipients_bounced_total"
        case .expired: name = "poshta_recipients_expired_total"
        case .queued, .active, .hold, .deleted: return
        }
        Counter(label: name).increment()
        if state != .deferred {
            Timer(label: "poshta_delivery_delay_seconds").recordNanoseconds(Int64(max(0, delay) * 1e9))
        }
    }

    static func connectionOpened() {
        Counter(label: "poshta_smtp_connections_total", dimensions: outbound).increment()
        Meter(label: "poshta_smtp_connections_open", dimensions: outbound).increment()
    }

    static func connectionClosed() {
        Meter(label: "poshta_smtp_connections_open", dimensions: outbound).decrement()
    }

    static func tlsHandshakeFailed() {
        Counter(label: "poshta_tls_handshake_failures_total", dimensions: outbound).increment()
    }
}
