import Foundation
import Metrics
import Prometheus
public import Spool

/// The process's metrics in Prometheus text format, for `GET /metrics`.
///
/// The modules count with swift-metrics (`poshta_messages_received_total`
/// in Intake, the delivery outcomes in the queue manager, connections, TLS
/// and AUTH failures in the SMTP server and client); this bootstraps
/// swift-metrics onto one Prometheus registry, once per process, and adds
/// the queue's size by state, read from the spool index at each scrape.
public final class MetricsExporter: Sendable {
    /// The one exporter of this process; the first use bootstraps swift-metrics.
    public static let shared = MetricsExporter()

    /// Delivery delay (arrival to final outcome) buckets: mail is measured in
    /// seconds to days, not in the milliseconds of swift-prometheus' defaults.
    static let delayBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(30), .seconds(60), .seconds(300), .seconds(1800), .seconds(3600),
        .seconds(4 * 3600), .seconds(24 * 3600), .seconds(5 * 24 * 3600),
    ]

    private let registry = PrometheusCollectorRegistry()
    private let recipients: [RecipientState: Prometheus.Gauge]
    private let messages: Prometheus.Gauge

    private init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["poshta_delivery_delay_seconds"] = Self.delayBuckets
        MetricsSystem.bootstrap(factory)
        var recipients: [RecipientState: Prometheus.Gauge] = [:]
        for state in RecipientState.pending {
            recipients[state] = registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "poshta", subsystem: "queue", metricName: "recipients", unitName: "",
                    helpText: "Recipients waiting in the queue, by state."),
                labels: [("state", state.rawValue)])
        }
        self.recipients = recipients
        messages = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "poshta", subsystem: "queue", metricName: "messages", unitName: "",
                helpText: "Messages with at least one recipient still to deliver."))
    }

    /// Makes sure swift-metrics is bootstrapped before the modules make their metrics.
    public func bootstrap() {}

    /// The text exposition, with the queue gauges refreshed from `spool`.
    public func scrape(_ spool: Spool) async throws -> [UInt8] {
        let stats = try await spool.inspector.stats(
            now: Date.now.timeIntervalSince1970, topDestinations: 0, latestErrors: 0)
        for (state, gauge) in recipients { gauge.set(to: Double(stats.recipients[state.rawValue] ?? 0)) }
        messages.set(to: Double(stats.messages))
        return registry.emitToBuffer()
    }
}
