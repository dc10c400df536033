import Accounts
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
                    trustedNetworks: listener.trustedNetworks,
                    tls: SMTPServerConfiguration.TLSMode(rawValue: listener.tls.rawValue) ?? .none,
                    authWithoutTLS: listener.allowPlaintextAuth)
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

    /// The AUTH throttle's policy from `[auth]`.
    var throttlePolicy: AuthThrottle.Policy {
        AuthThrottle.Policy(
            maxFailures: auth.maxFailures, window: .seconds(auth.failureWindow), coolDown: .seconds(auth.coolDown))
    }

    /// True when some listener speaks TLS and so needs the certificate.
    var usesTLS: Bool { listeners.contains { $0.tls != .none } }
}
