import Foundation
@testable import PoshtaApp
import SMTPServer
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    static let path = "/srv/poshta/conf/poshta.toml"

    private func parse(_ text: String, path: String = Self.path) throws -> PoshtaConfiguration {
        try PoshtaConfiguration.parse(text, path: path)
    }

    /// The error `text` is rejected with.
    private func failure(_ text: String, path: String = Self.path) -> ConfigurationError? {
        do {
            _ = try PoshtaConfiguration.parse(text, path: path)
            return nil
        } catch {
            return error
        }
    }

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

    // MARK: - Errors

    @Test("an unknown key is named, with its line and the valid keys")
    func unknownKey() throws {
        let error = try #require(failure("""
            [server]
            hostname = "a.example"

            shutdown_timout = 3
            """))
        #expect(error.key == "server.shutdown_timout")
        #expect(error.line == 4)
        #expect(error.message.contains("hostname, spool, shutdown_timeout"))
        #expect(error.description.hasPrefix("/srv/poshta/conf/poshta.toml:4: server.shutdown_timout: unknown key"))
    }

    @Test("an unknown section is named with its line and the valid sections")
    func unknownSection() throws {
        let error = try #require(failure("""
            # comment
            [server]
            [smtp]
            port = 25
            """))
        #expect(error.key == "smtp")
        #expect(error.line == 3)
        #expect(error.message.contains("server, listener, tls, limits, auth, delivery, admin"))
    }

    @Test("unknown keys in the second listener are named listener[2].key")
    func unknownListenerKey() throws {
        let error = try #require(failure("""
            [[listener]]
            address = "127.0.0.1:25"

            [[listener]]
            address = "127.0.0.1:26"
            port = 26
            """))
        #expect(error.key == "listener[2].port")
        #expect(error.line == 6)
        #expect(error.message.contains("address, mode, trusted_networks, tls"))
    }

    @Test("unknown keys inside a relay's inline table are errors with the line")
    func unknownRelayKey() throws {
        let error = try #require(failure("""
            [delivery]
            route = "relay"
            relays = [
              { host = "a.example.net" },
              { host = "b.example.net", passwrd = "x" },
            ]
            """))
        #expect(error.key == "delivery.relays[2].passwrd")
        #expect(error.line == 5)
        #expect(error.message.contains("host, port, tls, username, password_file"))
    }

    @Test("unknown keys in [[delivery.domain]] are errors with the line")
    func unknownDomainKey() throws {
        let error = try #require(failure("""
            [delivery]
            [[delivery.domain]]
            name = "a.example"
            [[delivery.domain]]
            name = "b.example"
            rates = "5/s"
            """))
        #expect(error.key == "delivery.domain[2].rates")
        #expect(error.line == 6)
        #expect(error.message.contains("name, rate, concurrency"))
    }

    @Test("a value of the wrong type names the expected type and the line")
    func wrongType() throws {
        let error = try #require(failure("""
            [limits]
            max_recipients = 10
            idle_timeout = "300"
            """))
        #expect(error.key == "limits.idle_timeout")
        #expect(error.line == 3)
        #expect(error.message == "expected an integer, found a string")

        let string = try #require(failure("[server]\nhostname = 42\n"))
        #expect(string.message == "expected a string, found an integer")
        #expect(string.line == 2)

        let float = try #require(failure("[limits]\nmax_errors = 2.5\n"))
        #expect(float.message == "expected an integer, found a floating-point number")

        let section = try #require(failure("server = 1\n"))
        #expect(section.key == "server")
        #expect(section.line == 1)
        #expect(section.message.hasPrefix("expected a table"))

        let listener = try #require(failure("[listener]\naddress = \"127.0.0.1:25\"\n"))
        #expect(listener.key == "listener")
        #expect(listener.message.contains("[[listener]]"))

        let element = try #require(failure("""
            [[listener]]
            address = "127.0.0.1:25"
            trusted_networks = [
              "127.0.0.0/8",
              8,
            ]
            """))
        #expect(element.key == "listener[1].trusted_networks[2]")
        #expect(element.line == 5)
        #expect(element.message == "expected a string, found an integer")
    }

    @Test("a bad enumeration value lists the valid values")
    func badEnum() throws {
        let error = try #require(failure("""
            [[listener]]
            address = "127.0.0.1:25"

            [[listener]]
            address = "127.0.0.1:587"
            mode = "foo"
            """, path: "conf/poshta.toml"))
        #expect(error.description
            == #"conf/poshta.toml:6: listener[2].mode: "foo" is not valid; expected one of relay, submission"#)

        let tls = try #require(failure("[[listener]]\naddress = \"127.0.0.1:25\"\ntls = \"ssl\"\n"))
        #expect(tls.message == #""ssl" is not valid; expected one of none, starttls, implicit"#)

        let route = try #require(failure("[delivery]\nroute = \"smtp\"\n"))
        #expect(route.key == "delivery.route")
        #expect(route.line == 2)
        #expect(route.message == #""smtp" is not valid; expected one of capture, mx, relay"#)
    }

    @Test("bad listener, admin and nameserver addresses are rejected", arguments: [
        "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:25", "[::1]25", "[127.0.0.1]:25",
        "localhost:25", "mail.example.com:25", ":25", "[::1]:x", "127.0.0.1:25 ",
    ])
    func badAddress(_ address: String) throws {
        let listener = try #require(failure("[[listener]]\naddress = \"\(address)\"\n"))
        #expect(listener.key == "listener[1].address")
        #expect(listener.line == 2)
        #expect(listener.message.contains("not a valid address"))

        let admin = try #require(failure("[admin]\naddress = \"\(address)\"\n"))
        #expect(admin.key == "admin.address")

        let nameserver = try #require(failure("[delivery]\nnameserver = \"\(address)\"\n"))
        #expect(nameserver.key == "delivery.nameserver")
    }

    @Test("a listener without an address is an error naming the listener's line")
    func missingAddress() throws {
        let error = try #require(failure("[[listener]]\naddress = \"127.0.0.1:25\"\n\n[[listener]]\nmode = \"relay\"\n"))
        #expect(error.key == "listener[2].address")
        #expect(error.line == 4)
    }

    @Test("two listeners on one address are an error")
    func duplicateListener() throws {
        let error = try #require(failure("[[listener]]\naddress = \"127.0.0.1:25\"\n[[listener]]\naddress = \"127.0.0.1:25\"\n"))
        #expect(error.key == "listener[2].address")
        #expect(error.line == 4)
    }

    @Test("a bad CIDR in trusted_networks is named with its element")
    func badCIDR() throws {
        let error = try #require(failure("""
            [[listener]]
            address = "127.0.0.1:25"
            trusted_networks = ["127.0.0.0/8", "10.0.0.0/33"]
            """))
        #expect(error.key == "listener[1].trusted_networks[2]")
        #expect(error.line == 3)
        #expect(error.message.hasPrefix(#""10.0.0.0/33" is not a valid network"#))
    }

    @Test("route relay without relays is an error")
    func relayWithoutRelays() throws {
        let error = try #require(failure("[delivery]\nroute = \"relay\"\n"))
        #expect(error.key == "delivery.route")
        #expect(error.line == 2)
        #expect(error.message.contains("relays"))
        #expect(failure("[delivery]\nroute = \"relay\"\nrelays = []\n") != nil)
    }

    @Test("a fallback relay without TLS is an error; its default TLS is starttls")
    func fallbackWithoutTLS() throws {
        let error = try #require(failure("""
            [delivery]
            fallback_relays = [
              { host = "backup.example.net", tls = "none" },
            ]
            """))
        #expect(error.key == "delivery.fallback_relays[1].tls")
        #expect(error.line == 3)
        #expect(error.message.contains("starttls, implicit"))

        let configuration = try parse("[delivery]\nfallback_relays = [ { host = \"backup.example.net\" } ]\n")
        #expect(configuration.delivery.fallbackRelays.first?.tls == .starttls)
        #expect(configuration.delivery.fallbackRelays.first?.port == 587)
    }

    @Test("max_backoff below min_backoff is an error")
    func backoffOrder() throws {
        let error = try #require(failure("[delivery]\nmin_backoff = 600\nmax_backoff = 60\n"))
        #expect(error.key == "delivery.max_backoff")
        #expect(error.line == 3)
        #expect(error.message.contains("min_backoff"))
    }

    @Test("zero or negative counts and out-of-range ports are errors", arguments: [
        ("[server]\nshutdown_timeout = 0\n", "server.shutdown_timeout"),
        ("[limits]\nmax_message_size = -1\n", "limits.max_message_size"),
        ("[limits]\nmax_connections = 0\n", "limits.max_connections"),
        ("[delivery]\nmx_port = 0\n", "delivery.mx_port"),
        ("[delivery]\nmax_lifetime = 0\n", "delivery.max_lifetime"),
        ("[delivery]\nrelays = [ { host = \"r.example\", port = 70000 } ]\n", "delivery.relays[1].port"),
        ("[[delivery.domain]]\nname = \"a.example\"\nconcurrency = 0\n", "delivery.domain[1].concurrency"),
    ])
    func outOfRange(_ text: String, _ key: String) throws {
        let error = try #require(failure(text))
        #expect(error.key == key)
        #expect(error.line != nil)
    }

    @Test("other invalid values are named", arguments: [
        ("[server]\nhostname = \"mail_server\"\n", "server.hostname"),
        ("[server]\nhostname = \"-mail.example\"\n", "server.hostname"),
        ("[server]\nspool = \"\"\n", "server.spool"),
        ("[delivery]\nrelays = [ { port = 25 } ]\n", "delivery.relays[1].host"),
        ("[delivery]\nrelays = [ { host = \"bad host\" } ]\n", "delivery.relays[1].host"),
        ("[delivery]\nrelays = [ { host = \"r.example\", username = \"u\" } ]\n", "delivery.relays[1].username"),
        ("[delivery]\nrelays = [ \"r.example\" ]\n", "delivery.relays[1]"),
        ("[[delivery.domain]]\nrate = \"5/s\"\n", "delivery.domain[1].name"),
        ("[[delivery.domain]]\nname = \"a.example\"\nrate = \"5/d\"\n", "delivery.domain[1].rate"),
        ("[[delivery.domain]]\nname = \"a.example\"\n[[delivery.domain]]\nname = \"A.example\"\n", "delivery.domain[2].name"),
        ("listener = []\n", "listener"),
    ])
    func invalidValues(_ text: String, _ key: String) throws {
        let error = try #require(failure(text))
        #expect(error.key == key)
        #expect(error.line != nil)
    }

    @Test("a TOML syntax error carries its line")
    func syntaxError() throws {
        let error = try #require(failure("""
            [server]
            hostname = "a.example"
            spool = "unterminated
            """))
        #expect(error.line == 3)
        #expect(error.key == nil)
        #expect(error.description.hasPrefix("/srv/poshta/conf/poshta.toml:3: TOML syntax error"))

        let duplicate = try #require(failure("[server]\nhostname = \"a\"\nhostname = \"b\"\n"))
        #expect(duplicate.line == 3)
    }

    @Test("the error description leaves out an unknown line and a missing key")
    func errorDescription() {
        #expect(ConfigurationError(file: "f.toml", key: "server.spool", line: nil, message: "bad").description
            == "f.toml: server.spool: bad")
        #expect(ConfigurationError(file: "f.toml", key: nil, line: 3, message: "bad").description == "f.toml:3: bad")
        #expect(ConfigurationError(file: "f.toml", message: "bad").description == "f.toml: bad")
    }

    @Test("lines are found past multi-line strings, arrays and comments")
    func lineScanning() throws {
        let error = try #require(failure(#"""
            # [limits]
            [server]
            hostname = "a.example" # max_errors = 1
            spool = """
            [limits]
            max_errors = "x"
            """
            [[listener]]
            address = "127.0.0.1:25"
            trusted_networks = [
              # "10.0.0.0/8",
              '127.0.0.0/8', # ]
            ]
            tls = 'none'
            [limits]
            "max_errors" = "2"
            """#))
        #expect(error.key == "limits.max_errors")
        #expect(error.line == 16)
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
