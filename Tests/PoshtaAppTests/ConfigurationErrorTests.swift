import Foundation
@testable import PoshtaApp
import SMTPServer
import Testing

/// Bad configuration files: each error names the file, the line, the key
/// and what would be valid.
@Suite("Configuration errors")
struct ConfigurationErrorTests: ConfigurationParsing {


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
}
