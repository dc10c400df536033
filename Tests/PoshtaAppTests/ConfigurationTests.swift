import Automations
import Foundation
@testable import PoshtaApp
import SMTPServer
import ShopStore
import Testing

@Suite("Configuration")
struct ConfigurationTests: ConfigurationParsing {


    private static let localNetworks = ["127.0.0.0/8", "::1/128"].compactMap(IPNetwork.init)

    // MARK: - Defaults

    @Test("an empty file gives every default and one relay listener on 127.0.0.1:25")
    func emptyFileDefaults() throws {
        let configuration = try parse("")
        #expect(configuration.file == Self.path)
        #expect(configuration.warnings.isEmpty)

        #expect(configuration.server.hostname == ServerSection.defaultHostname)
        #expect(configuration.server.spool == "/srv/poshta/spool")
        #expect(configuration.server.shutdownTimeout == 30)

        #expect(configuration.listeners.count == 1)
        let listener = try #require(configuration.listeners.first)
        #expect(listener.address == "127.0.0.1:25")
        #expect(listener.host == "127.0.0.1")
        #expect(listener.port == 25)
        #expect(listener.mode == .relay)
        #expect(listener.trustedNetworks == Self.localNetworks)
        #expect(listener.tls == ListenerTLSMode.none)

        #expect(configuration.tls.certificate == "/srv/poshta/conf/tls/cert.pem")
        #expect(configuration.tls.key == "/srv/poshta/conf/tls/key.pem")

        #expect(configuration.limits.maxMessageSize == 26_214_400)
        #expect(configuration.limits.maxRecipients == 100)
        #expect(configuration.limits.maxConnections == 1000)
        #expect(configuration.limits.idleTimeout == 300)
        #expect(configuration.limits.maxErrors == 10)

        #expect(configuration.auth.usersFile == "/srv/poshta/conf/users")

        #expect(configuration.delivery.route == .capture)
        #expect(configuration.delivery.relays.isEmpty)
        #expect(configuration.delivery.fallbackRelays.isEmpty)
        #expect(configuration.delivery.caFile == nil)
        #expect(configuration.delivery.nameserver == nil)
        #expect(configuration.delivery.mxPort == 25)
        #expect(configuration.delivery.minBackoff == 300)
        #expect(configuration.delivery.maxBackoff == 3600)
        #expect(configuration.delivery.maxLifetime == 432_000)
        #expect(configuration.delivery.domains.isEmpty)

        #expect(configuration.admin.address == "127.0.0.1:8025")
        #expect(configuration.admin.host == "127.0.0.1")
        #expect(configuration.admin.port == 8025)
        #expect(configuration.admin.tokenFile == "/srv/poshta/conf/admin.token")
    }

    @Test("sections left out, or keys left out of a section, take their defaults")
    func missingSectionsDefault() throws {
        let configuration = try parse("""
            [server]
            hostname = "mx.example.org"

            [limits]
            max_recipients = 5
            """)
        #expect(configuration.server.hostname == "mx.example.org")
        #expect(configuration.server.shutdownTimeout == 30)
        #expect(configuration.limits.maxRecipients == 5)
        #expect(configuration.limits.maxErrors == 10)
        #expect(configuration == (try parse("""
            server.hostname = "mx.example.org"
            limits = { max_recipients = 5 }
            """)))
        let empty = try parse("")
        #expect(configuration.delivery == empty.delivery)
        #expect(configuration.listeners == empty.listeners)
    }

    @Test("the default host name is a valid domain name")
    func defaultHostname() {
        #expect(ConfigurationSyntax.isDomainName(ServerSection.defaultHostname))
    }

    // MARK: - Every key

    @Test("every key of every section is read")
    func everyKey() throws {
        let configuration = try parse("""
            [server]
            hostname = "mail.shop.example"
            spool = "/var/spool/poshta"
            shutdown_timeout = 5

            [[listener]]
            address = "0.0.0.0:2525"
            mode = "relay"
            trusted_networks = ["10.0.0.0/8", "192.168.1.7", "fd00::/8"]
            tls = "starttls"

            [[listener]]
            address = "[::1]:587"
            mode = "submission"
            trusted_networks = []
            tls = "implicit"

            [tls]
            certificate = "certs/mail.pem"
            key = "/etc/ssl/private/mail.key"

            [limits]
            max_message_size = 1048576
            max_recipients = 7
            max_connections = 20
            idle_timeout = 60
            max_errors = 3

            [auth]
            users_file = "../secrets/users"

            [delivery]
            route = "relay"
            relays = [
              { host = "smtp.example.net", port = 2587, tls = "starttls", username = "u", password_file = "relay.secret" },
              { host = "10.0.0.9", tls = "none" },
            ]
            fallback_relays = [ { host = "backup.example.net", port = 465, tls = "implicit" } ]
            ca_file = "ca.pem"
            nameserver = "[::1]:5353"
            mx_port = 2525
            min_backoff = 10
            max_backoff = 10
            max_lifetime = 600

            [[delivery.domain]]
            name = "Gmail.com"
            rate = "60/m"
            concurrency = 4

            [[delivery.domain]]
            name = "example.org"
            rate = "5/s"

            [[delivery.domain]]
            name = "example.net"
            rate = "1000/h"

            [admin]
            address = "[::1]:0"
            token_file = "/run/poshta/admin.token"
            """)

        #expect(configuration.server == ServerSection(
            hostname: "mail.shop.example", spool: "/var/spool/poshta", shutdownTimeout: 5, logLevel: .info
        ))

        #expect(configuration.listeners.count == 2)
        let first = configuration.listeners[0]
        #expect(first.address == "0.0.0.0:2525")
        #expect(first.host == "0.0.0.0")
        #expect(first.port == 2525)
        #expect(first.mode == .relay)
        #expect(first.trustedNetworks.map(\.description) == ["10.0.0.0/8", "192.168.1.7/32", "fd00::/8"])
        #expect(first.tls == .starttls)
        let second = configuration.listeners[1]
        #expect(second.address == "[::1]:587")
        #expect(second.host == "::1")
        #expect(second.port == 587)
        #expect(second.mode == .submission)
        #expect(second.trustedNetworks.isEmpty)
        #expect(second.tls == .implicit)

        #expect(configuration.tls.certificate == "/srv/poshta/conf/certs/mail.pem")
        #expect(configuration.tls.key == "/etc/ssl/private/mail.key")

        #expect(configuration.limits.maxMessageSize == 1_048_576)
        #expect(configuration.limits.maxRecipients == 7)
        #expect(configuration.limits.maxConnections == 20)
        #expect(configuration.limits.idleTimeout == 60)
        #expect(configuration.limits.maxErrors == 3)

        #expect(configuration.auth.usersFile == "/srv/poshta/secrets/users")

        let delivery = configuration.delivery
        #expect(delivery.route == .relay)
        #expect(delivery.relays == [
            RelaySpec(host: "smtp.example.net", port: 2587, tls: .starttls, username: "u",
                      passwordFile: "/srv/poshta/conf/relay.secret"),
            RelaySpec(host: "10.0.0.9", port: 587, tls: .none, username: nil, passwordFile: nil),
        ])
        #expect(delivery.fallbackRelays == [
            RelaySpec(host: "backup.example.net", port: 465, tls: .implicit, username: nil, passwordFile: nil),
        ])
        #expect(delivery.caFile == "/srv/poshta/conf/ca.pem")
        #expect(delivery.nameserver == "[::1]:5353")
        #expect(delivery.mxPort == 2525)
        #expect(delivery.minBackoff == 10)
        #expect(delivery.maxBackoff == 10)
        #expect(delivery.maxLifetime == 600)
        #expect(delivery.domains == [
            DomainPolicySpec(name: "gmail.com", rate: RateSpec(count: 60, perSeconds: 60), concurrency: 4),
            DomainPolicySpec(name: "example.org", rate: RateSpec(count: 5, perSeconds: 1), concurrency: nil),
            DomainPolicySpec(name: "example.net", rate: RateSpec(count: 1000, perSeconds: 3600), concurrency: nil),
        ])

        #expect(configuration.admin.address == "[::1]:0")
        #expect(configuration.admin.host == "::1")
        #expect(configuration.admin.port == 0)
        #expect(configuration.admin.tokenFile == "/run/poshta/admin.token")

        // The submission listener has TLS, so there is nothing to warn about.
        #expect(configuration.warnings.isEmpty)
    }

    @Test("a listener on port 0 (pick a free port) is accepted, twice")
    func portZero() throws {
        let configuration = try parse("""
            [[listener]]
            address = "127.0.0.1:0"
            [[listener]]
            address = "127.0.0.1:0"
            mode = "submission"
            """)
        #expect(configuration.listeners.map(\.port) == [0, 0])
        #expect(configuration.listeners[0].trustedNetworks == Self.localNetworks)
        // Submission without TLS is allowed, with a warning naming the line.
        #expect(configuration.warnings.count == 1)
        #expect(configuration.warnings.first?.hasPrefix("/srv/poshta/conf/poshta.toml:3: listener[2].tls:") == true)
    }

    @Test("[shop] and [notifications]: defaults from the hostname, values checked")
    func shop() throws {
        let defaults = try parse("""
            [server]
            hostname = "mail.shop.example"
            """)
        #expect(defaults.shop.from == "shop@mail.shop.example")
        #expect(defaults.shop.url == "https://mail.shop.example")
        #expect(defaults.shop.email == defaults.shop.from)
        #expect(defaults.shop.currency == "EUR" && defaults.shop.defaultLocale == "en")
        #expect(defaults.shop.templates == "/srv/poshta/conf/templates")
        #expect(defaults.notifications.customer && defaults.notifications.admin)
        #expect(!defaults.notifications.unfinishedOrderReminders)

        let set = try parse("""
            [shop]
            name = "Чаена къща Ромашка"
            currency = "bgn"
            default_locale = "BG"
            admin_emails = ["orders@romashka.example"]
            [notifications]
            disabled = ["order_item_added"]
            """)
        #expect(set.shop.name == "Чаена къща Ромашка" && set.shop.currency == "BGN" && set.shop.defaultLocale == "bg")
        #expect(set.shop.adminEmails == ["orders@romashka.example"])
        #expect(set.notifications.disabled == ["order_item_added"])

        #expect(throws: ConfigurationError.self) { try parse("[shop]\ncurrency = \"leva\"\n") }
        do {
            _ = try parse("[shop]\nadmin_emails = [\"ok@shop.example\", \"not an address\"]\n")
            Issue.record("a bad admin address was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("shop.admin_emails[2]: \"not an address\" is not an address"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("[coupons.KEY]: pool or generated, percent or amount, and what is wrong named")
    func coupons() throws {
        let configuration = try parse("""
            [shop]
            currency = "BGN"
            [coupons.abandoned_cart]
            source = "generate"
            percent = 10
            prefix = "CART-"
            validity_days = 14
            [coupons.order_paid]
            when_pool_empty = "generate"
            amount = 5
            """)
        #expect(configuration.coupons["abandoned_cart"] == CouponPolicy(source: .generate, value: .percent(10), prefix: "CART-", validityDays: 14))
        #expect(configuration.coupons["order_paid"] == CouponPolicy(source: .pool, value: .fixed(5, currency: "BGN"), generateWhenPoolEmpty: true))
        for (text, message) in [
            ("[coupons.welcome]\nsource = \"generate\"\n", "coupons.welcome.percent: a generated coupon needs percent or amount"),
            ("[coupons.welcome]\npercent = 150\n", "coupons.welcome.percent: 150.0 is not a percentage"),
            ("[coupons.welcome]\npercent = 5\namount = 5\n", "coupons.welcome.amount: give percent or amount, not both"),
            ("[coupons.welcome]\npercent = 5\ncolour = 1\n", "unknown key \"colour\" in [coupons.welcome]"),
        ] {
            do {
                _ = try parse(text)
                Issue.record("accepted: \(text)")
            } catch let error as ConfigurationError {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    @Test("[dkim]: no keys by default; keys with their default files beside the configuration; what is wrong named")
    func dkim() throws {
        #expect(try parse("").dkim.keys.isEmpty)
        let configuration = try parse("""
            [dkim]
            canonicalization = "relaxed/simple"
            expiry = "7d"
            envelope_fallback = false
            [[dkim.key]]
            domain = "Romashka.example"
            selector = "mail2026"
            [[dkim.key]]
            domain = "romashka.example"
            selector = "ed2026"
            algorithm = "ed25519-sha256"
            key_file = "/etc/poshta/ed.key"
            """)
        let dkim = configuration.dkim
        #expect(dkim.headerCanonicalization == .relaxed && dkim.bodyCanonicalization == .simple && dkim.expiry == 604_800)
        #expect(!dkim.envelopeFallback && dkim.headers.first == "From")
        #expect(dkim.keys.map(\.domain) == ["romashka.example", "romashka.example"])
        #expect(dkim.keys[0].algorithm == .rsaSHA256 && dkim.keys[0].keyFile.hasSuffix("/dkim/romashka.example.mail2026.key"))
        #expect(dkim.keys[1].algorithm == .ed25519SHA256 && dkim.keys[1].keyFile == "/etc/poshta/ed.key")
        #expect(configuration.summary.contains("dkim: mail2026._domainkey.romashka.example (rsa-sha256), ed2026._domainkey.romashka.example (ed25519-sha256); relaxed/simple"))
        for (text, message) in [
            ("[dkim]\ncanonicalization = \"loose\"\n", "dkim.canonicalization: \"loose\" is not one"),
            ("[dkim]\nheaders = [\"To\"]\n", "dkim.headers: From must be signed"),
            ("[dkim]\nexpiry = \"soon\"\n", "dkim.expiry"),
            ("[[dkim.key]]\ndomain = \"localhost\"\nselector = \"s\"\n", "is not a domain name"),
            ("[[dkim.key]]\ndomain = \"a.example\"\nselector = \"s 1\"\n", "is not a selector"),
            ("[[dkim.key]]\ndomain = \"a.example\"\nselector = \"s\"\nalgorithm = \"dsa\"\n", "dkim.key[1].algorithm"),
            ("[[dkim.key]]\ndomain = \"a.example\"\nselector = \"s\"\n[[dkim.key]]\ndomain = \"a.example\"\nselector = \"s\"\n", "configured twice"),
        ] {
            do {
                _ = try parse(text)
                Issue.record("accepted: \(text)")
            } catch let error as ConfigurationError {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    @Test("[marketing]: off by default; the switch, order_related, each automation's switch and delay, and what is wrong named")
    func marketing() throws {
        #expect(try parse("").marketing == AutomationSettings(enabled: false))
        let configuration = try parse("""
            [marketing]
            enabled = true
            [marketing.order_related]
            mode = "separate"
            [marketing.abandoned_cart]
            delay = "3 hours"
            [marketing.loyalty_thanks]
            enabled = false
            """)
        #expect(configuration.marketing == AutomationSettings(
            enabled: true, disabled: [.loyaltyThanks], delays: [.abandonedCart: AutomationDelay(3, .hours)], orderRelatedMode: .separate))
        let manners = try parse("""
            [shop]
            time_zone = "Europe/Skopje"
            [marketing]
            default_consent = false
            max_per_day = 2
            quiet_hours = "22:00-07:30"
            """).marketing
        #expect(!manners.defaultConsent && manners.frequencyCap == FrequencyCap(maxPerDay: 2))
        #expect(manners.quietHours == QuietHours(start: 22 * 60, end: 7 * 60 + 30) && manners.timeZone.identifier == "Europe/Skopje")
        #expect(try parse("").summary.hasSuffix("\nmarketing: off\ndkim: no keys (mail goes unsigned)"))
        let summary = try parse("""
            [shop]
            time_zone = "Europe/Sofia"
            [marketing]
            enabled = true
            quiet_hours = "21:00-08:00"
            [marketing.loyalty_thanks]
            enabled = false
            [marketing.abandoned_cart]
            delay = "3h"
            """).summary
        #expect(summary.contains("marketing: on; default_consent=true max_per_day=1 quiet_hours=21:00-08:00 time_zone=Europe/Sofia"), "\(summary)")
        #expect(summary.contains("  abandoned_cart: on, 3h (after a cart with an email was last changed, unless an order follows)"), "\(summary)")
        #expect(summary.contains("  loyalty_thanks: off") && summary.contains("  order_related: merged into the order confirmation"), "\(summary)")
        for (text, message) in [
            ("[marketing]\nquiet_hours = \"late\"\n", "marketing.quiet_hours: \"late\" is not a window of the day"),
            ("[marketing]\nmax_per_day = -1\n", "marketing.max_per_day"),
            ("[shop]\ntime_zone = \"Mars/Olympus\"\n", "shop.time_zone: \"Mars/Olympus\" is not a time zone"),
            ("[marketing.abandoned_cart]\ndelay = \"soon\"\n", "marketing.abandoned_cart.delay: \"soon\" is not a delay"),
            ("[marketing.order_related]\nmode = \"both\"\n", "marketing.order_related.mode"),
            ("[marketing.black_friday]\ndelay = \"1d\"\n", "unknown key \"black_friday\" in [marketing]"),
            ("[marketing.abandoned_cart]\ncoupon = true\n", "unknown key \"coupon\" in [marketing.abandoned_cart]"),
        ] {
            do {
                _ = try parse(text)
                Issue.record("accepted: \(text)")
            } catch let error as ConfigurationError {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    @Test("the admin address off loopback needs tls = true (the console's passwords and cookies); with it, a warning naming the line")
    func adminOffLoopback() throws {
        do {
            _ = try parse("""
                [admin]
                address = "0.0.0.0:8025"
                """)
            Issue.record("plain HTTP off loopback was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("admin.address: 0.0.0.0:8025 is not a loopback address: beyond loopback the console and API need tls = true"), "\(error)")
        }
        let configuration = try parse("""
            [admin]
            address = "0.0.0.0:8025"
            tls = true
            """)
        #expect(configuration.admin.host == "0.0.0.0" && configuration.admin.tls)
        #expect(configuration.usesTLS)
        #expect(configuration.warnings.count == 1)
        #expect(configuration.warnings.first?.contains("admin.address: 0.0.0.0 is not a loopback address: the console and the admin API") == true)
    }

    @Test("rates are N per second, minute or hour")
    func rates() {
        #expect(RateSpec("60/m") == RateSpec(count: 60, perSeconds: 60))
        #expect(RateSpec("5/s") == RateSpec(count: 5, perSeconds: 1))
        #expect(RateSpec("1000/h") == RateSpec(count: 1000, perSeconds: 3600))
        for bad in ["0/m", "-1/m", "60", "60/d", "/m", "60/", "60/m/s", " 60/m", "1.5/s"] {
            #expect(RateSpec(bad) == nil, "\(bad)")
        }
    }

    // MARK: - Paths

    @Test("relative paths resolve against the file's folder, absolute ones stay, and .. is normalized")
    func relativePaths() throws {
        let configuration = try parse("""
            [server]
            spool = "../data/./spool/"
            [tls]
            certificate = "/etc/ssl//certs/../mail.pem"
            key = "tls/../../keys/mail.key"
            [delivery]
            ca_file = "./ca.pem"
            relays = [ { host = "relay.example.net", username = "u", password_file = "secrets/relay" } ]
            """, path: "/srv/poshta/conf/../etc/./poshta.toml")
        #expect(configuration.file == "/srv/poshta/etc/poshta.toml")
        #expect(configuration.server.spool == "/srv/poshta/data/spool")
        #expect(configuration.tls.certificate == "/etc/ssl/mail.pem")
        #expect(configuration.tls.key == "/srv/poshta/keys/mail.key")
        #expect(configuration.delivery.caFile == "/srv/poshta/etc/ca.pem")
        #expect(configuration.delivery.relays.first?.passwordFile == "/srv/poshta/etc/secrets/relay")
    }

    @Test("a relative file name is made absolute against the working directory")
    func relativeFileName() throws {
        let configuration = try parse("", path: "conf/poshta.toml")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(configuration.file == URL(fileURLWithPath: cwd).appendingPathComponent("conf/poshta.toml").standardized.path)
        #expect(configuration.server.spool == URL(fileURLWithPath: cwd).appendingPathComponent("spool").standardized.path)
    }

    @Test("an empty ca_file or nameserver means none")
    func emptyOptionals() throws {
        let configuration = try parse("""
            [delivery]
            ca_file = ""
            nameserver = ""
            """)
        #expect(configuration.delivery.caFile == nil)
        #expect(configuration.delivery.nameserver == nil)
    }

    // MARK: - Files

    @Test("load reads a file; a missing file is an error naming it")
    func loadFile() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("poshta-configuration-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let file = folder.appendingPathComponent("poshta.toml").path
        try "[server]\nhostname = \"file.example\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = try PoshtaConfiguration.load(path: file)
        #expect(configuration.server.hostname == "file.example")
        #expect(configuration.file == URL(fileURLWithPath: file).standardized.path)

        let missing = folder.appendingPathComponent("missing.toml").path
        #expect(throws: ConfigurationError.self) { try PoshtaConfiguration.load(path: missing) }
        do {
            _ = try PoshtaConfiguration.load(path: missing)
        } catch {
            #expect(error.file == missing)
            #expect(error.description.hasPrefix(missing + ": "))
            #expect(error.description.contains("No such file"))
        }
    }

    @Test("conf/poshta.toml from the repository parses to the documented defaults")
    func repositoryFile() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("conf/poshta.toml").path
        let configuration = try PoshtaConfiguration.load(path: file)
        let defaults = try parse("", path: file)

        #expect(configuration.file == file)
        #expect(configuration.warnings.isEmpty)
        #expect(configuration.server.hostname == "localhost")
        #expect(configuration.server.spool == root.appendingPathComponent("spool").path)
        #expect(configuration.server.shutdownTimeout == defaults.server.shutdownTimeout)

        #expect(configuration.listeners.map(\.address) == ["127.0.0.1:25", "[::1]:25"])
        #expect(configuration.listeners.map(\.host) == ["127.0.0.1", "::1"])
        for listener in configuration.listeners {
            #expect(listener.port == 25)
            #expect(listener.mode == .relay)
            #expect(listener.trustedNetworks == Self.localNetworks)
            #expect(listener.tls == ListenerTLSMode.none)
        }

        #expect(configuration.tls == defaults.tls)
        #expect(configuration.limits == defaults.limits)
        #expect(configuration.auth == defaults.auth)
        #expect(configuration.delivery == defaults.delivery)
        #expect(configuration.delivery.route == .capture)
        #expect(configuration.admin == defaults.admin)
    }
}
