import Delivery
import Intake
import SMTPServer

/// The PoshtaApp module: turns `poshta.toml` into each module's
/// configuration, assembles the daemon from the modules, and holds the
/// logic of the `poshta` commands. The `poshta` executable only parses
/// arguments and calls in here.

extension PoshtaConfiguration {
    /// The SMTP server's share of the configuration.
    var smtpServer: SMTPServerConfiguration {
        SMTPServerConfiguration(
            hostname: server.hostname,
            listeners: listeners.map { listener in
                SMTPServerConfiguration.Listener(
                    host: listener.host, port: listener.port,
                    mode: listener.mode == .relay ? .relay : .submission,
                    trustedNetworks: listener.trustedNetworks)
            },
            maxMessageSize: limits.maxMessageSize, maxRecipients: limits.maxRecipients,
            maxConnections: limits.maxConnections, idleTimeout: limits.idleTimeout, maxErrors: limits.maxErrors,
            shutdownTimeout: server.shutdownTimeout)
    }

    var intake: Intake.Configuration {
        Intake.Configuration(hostname: server.hostname)
    }

    var deliveryConfiguration: DeliveryConfiguration {
        DeliveryConfiguration(
            route: DeliveryConfiguration.Route(rawValue: delivery.route.rawValue) ?? .capture,
            suspended: delivery.suspended, minBackoff: delivery.minBackoff, maxBackoff: delivery.maxBackoff,
            maxLifetime: delivery.maxLifetime)
    }
}
