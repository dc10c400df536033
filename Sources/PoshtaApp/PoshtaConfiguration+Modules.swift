import Accounts
import Automations
import DKIM
import Foundation
import Delivery
import Intake
import SMTPProtocol
import SMTPServer
import ShopMail

/// The PoshtaApp module: turns `poshta.toml` into each module's
/// configuration, assembles the daemon from the modules, and holds the
/// logic of the `poshta` commands. The `poshta` executable only parses
/// arguments and calls in here.

extension PoshtaConfiguration {
    /// The SMTP server's share of the configuration.
    var smtpServer: SMTPServerConfiguration {
        var configuration = SMTPServerConfiguration(
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
        configuration.inboundMailboxes = InboundMailbox(unsubscribe.mailbox).map { [$0] } ?? []
        return configuration
    }

    /// What the shop's mail needs of the configuration: the daemon's, and
    /// the commands' that render what the daemon would.
    func shopMail(unsubscribeTokens: UnsubscribeTokens?) -> ShopMailSettings {
        ShopMailSettings(
            fromAddress: shop.from, fromName: shop.name, hostname: server.hostname,
            notifications: notifications.switches,
            coupons: coupons, eventsAddress: shop.eventsAddress, adminEmails: shop.adminEmails,
            adminProductURL: shop.adminProductURL, automations: marketing, unsubscribeMailbox: unsubscribe.mailbox,
            unsubscribeTokens: unsubscribeTokens, unsubscribeURL: unsubscribe.url)
    }

    var intake: Intake.Configuration {
        Intake.Configuration(hostname: server.hostname)
    }

    /// The `[[dkim.key]]` files read, each checked against its `algorithm`;
    /// nil when there are none.
    func dkimKeyring() throws -> DKIMKeyring? {
        guard !dkim.keys.isEmpty else { return nil }
        var signers: [DKIMSigner] = []
        for entry in dkim.keys {
            let key: DKIMKey
            do {
                key = try DKIMKey(pem: try String(contentsOfFile: entry.keyFile, encoding: .utf8))
            } catch {
                throw StartupError(
                    "[dkim] \(entry.selector)._domainkey.\(entry.domain): cannot read the key \(entry.keyFile): \(error) — make one with `poshta dkim keygen --domain \(entry.domain) --selector \(entry.selector)`")
            }
            guard key.algorithm == entry.algorithm else {
                throw StartupError(
                    "[dkim] \(entry.selector)._domainkey.\(entry.domain): \(entry.keyFile) holds an \(key.algorithm.rawValue) key, the configuration says \(entry.algorithm.rawValue)")
            }
            signers.append(
                DKIMSigner(
                    domain: entry.domain, selector: entry.selector, key: key,
                    headerCanonicalization: dkim.headerCanonicalization, bodyCanonicalization: dkim.bodyCanonicalization,
                    headers: dkim.headers, expiry: dkim.expiry))
        }
        return DKIMKeyring(signers: signers, envelopeFallback: dkim.envelopeFallback)
    }

    /// The queue manager's share; reads the relays' password files.
    func deliveryConfiguration(dkim keyring: DKIMKeyring? = nil) throws -> DeliveryConfiguration {
        var timeouts = SMTPClientTimeouts()
        timeouts.connect = .seconds(delivery.connectTimeout)
        timeouts.greeting = .seconds(delivery.commandTimeout)
        timeouts.command = .seconds(delivery.commandTimeout)
        timeouts.dataInitiation = .seconds(min(delivery.commandTimeout, 120))
        timeouts.dataBlock = .seconds(min(delivery.commandTimeout, 180))
        timeouts.dataTermination = .seconds(max(delivery.commandTimeout, min(600, delivery.commandTimeout * 2)))
        var politeness: [String: DeliveryConfiguration.Politeness] = [:]
        for domain in delivery.domains {
            politeness[domain.name] = DeliveryConfiguration.Politeness(
                concurrency: domain.concurrency ?? delivery.concurrency, rate: (domain.rate ?? delivery.rate)?.rate)
        }
        var configuration = DeliveryConfiguration(
            route: DeliveryConfiguration.Route(rawValue: delivery.route.rawValue) ?? .capture,
            suspended: delivery.suspended, hostname: server.hostname, minBackoff: delivery.minBackoff,
            maxBackoff: delivery.maxBackoff, maxLifetime: delivery.maxLifetime,
            relays: try delivery.relays.enumerated().map { try $1.relay(key: "delivery.relays[\($0 + 1)]") },
            fallbackRelays: try delivery.fallbackRelays.enumerated().map {
                try $1.relay(key: "delivery.fallback_relays[\($0 + 1)]")
            },
            caFile: delivery.caFile, nameserver: delivery.nameserver, mxPort: delivery.mxPort, timeouts: timeouts,
            defaultPoliteness: DeliveryConfiguration.Politeness(concurrency: delivery.concurrency, rate: delivery.rate?.rate),
            politeness: politeness, globalRate: delivery.globalRate?.rate,
            connectionCacheTime: Double(delivery.connectionCacheTime),
            delayWarning: delivery.delayWarning > 0 ? Double(delivery.delayWarning) : nil)
        configuration.dkim = keyring
        return configuration
    }

    /// The AUTH throttle's policy from `[auth]`.
    var throttlePolicy: AuthThrottle.Policy {
        AuthThrottle.Policy(
            maxFailures: auth.maxFailures, window: .seconds(auth.failureWindow), coolDown: .seconds(auth.coolDown))
    }

    /// True when some listener speaks TLS and so needs the certificate.
    var usesTLS: Bool { listeners.contains { $0.tls != .none } || admin.tls }
}

extension RateSpec {
    var rate: DeliveryConfiguration.Rate { DeliveryConfiguration.Rate(count: count, perSeconds: perSeconds) }
}

extension RelaySpec {
    /// The relay as delivery sees it, with the password read from its file
    /// (one line; the final line break is not part of it).
    func relay(key: String) throws -> DeliveryConfiguration.Relay {
        var credentials: NextHop.Credentials?
        if let username, let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile),
                let text = String(data: data, encoding: .utf8)
            else {
                throw StartupError("\(key).password_file: cannot read \(passwordFile)")
            }
            let password = text.trimmingCharacters(in: .newlines)
            guard !password.isEmpty else { throw StartupError("\(key).password_file: \(passwordFile) is empty") }
            credentials = NextHop.Credentials(username: username, password: password)
        }
        let policy: NextHop.TLSPolicy =
            switch tls {
            case .none: .none
            case .starttls: .required
            case .implicit: .implicit
            }
        return DeliveryConfiguration.Relay(host: host, port: port, tls: policy, credentials: credentials)
    }
}
