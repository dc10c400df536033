import Metrics

/// What the SMTP server counts, in swift-metrics (exported by the admin
/// API's `/metrics`). Metrics are looked up at each use rather than kept,
/// so that they always reach the factory the daemon bootstrapped.
enum ServerMetrics {
    static let inbound = [("direction", "inbound")]

    static func connectionOpened() {
        Counter(label: "poshta_smtp_connections_total", dimensions: inbound).increment()
        Meter(label: "poshta_smtp_connections_open", dimensions: inbound).increment()
    }

    static func connectionClosed() {
        Meter(label: "poshta_smtp_connections_open", dimensions: inbound).decrement()
    }

    static func tlsHandshakeFailed() {
        Counter(label: "poshta_tls_handshake_failures_total", dimensions: inbound).increment()
    }

    static func authenticationFailed() {
        Counter(label: "poshta_auth_failures_total").increment()
    }
}
