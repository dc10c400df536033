import Delivery
import Foundation
@testable import PoshtaApp
import PoshtaTestSupport
import Testing

@Suite("[delivery]: politeness, timeouts and relays as the queue manager sees them")
struct DeliveryConfigurationTests: ConfigurationParsing {
    @Test("defaults: 20 connections per destination, no rates, RFC 5321 timeouts, 2 s connection reuse")
    func defaults() throws {
        let delivery = try parse("").deliveryConfiguration()
        #expect(delivery.defaultPoliteness.concurrency == 20)
        #expect(delivery.defaultPoliteness.rate == nil)
        #expect(delivery.globalRate == nil)
        #expect(delivery.timeouts.connect == .seconds(30))
        #expect(delivery.timeouts.command == .seconds(300))
        #expect(delivery.timeouts.dataInitiation == .seconds(120))
        #expect(delivery.timeouts.dataTermination == .seconds(600))
        #expect(delivery.connectionCacheTime == 2)
    }

    @Test("rates, per-domain policies falling back to the defaults, relays with their password read from the file")
    func politenessAndRelays() throws {
        let folder = try TemporaryDirectory()
        try folder.write("s3cret\n", to: "relay.secret")
        let text = """
            [delivery]
            route = "relay"
            relays = [ { host = "smtp.example.net", username = "shop", password_file = "relay.secret" } ]
            fallback_relays = [ { host = "192.0.2.7", port = 465, tls = "implicit" } ]
            concurrency = 8
            rate = "100/m"
            global_rate = "5/s"
            connect_timeout = 4
            command_timeout = 9

            [[delivery.domain]]
            name = "Gmail.com"
            concurrency = 2
            """
        let delivery = try parse(text, path: "\(folder.path)/poshta.toml").deliveryConfiguration()
        #expect(delivery.defaultPoliteness.concurrency == 8)
        #expect(delivery.defaultPoliteness.rate?.count == 100)
        #expect(delivery.defaultPoliteness.rate?.perSeconds == 60)
        #expect(delivery.globalRate?.count == 5)
        let gmail = try #require(delivery.politeness["gmail.com"])
        #expect(gmail.concurrency == 2)
        #expect(gmail.rate?.count == 100, "a domain without its own rate takes [delivery] rate")
        #expect(delivery.timeouts.connect == .seconds(4))
        #expect(delivery.timeouts.command == .seconds(9))
        #expect(delivery.relays == [
            DeliveryConfiguration.Relay(
                host: "smtp.example.net", port: 587, tls: .required,
                credentials: NextHop.Credentials(username: "shop", password: "s3cret")),
        ])
        #expect(delivery.fallbackRelays == [DeliveryConfiguration.Relay(host: "192.0.2.7", port: 465, tls: .implicit)])
    }

    @Test("a missing password file stops start-up with the key that names it")
    func missingPasswordFile() throws {
        let text = """
            [delivery]
            relays = [ { host = "smtp.example.net", username = "shop", password_file = "/nonexistent/relay.secret" } ]
            """
        #expect(throws: StartupError.self) { try parse(text).deliveryConfiguration() }
        do {
            _ = try parse(text).deliveryConfiguration()
        } catch {
            #expect("\(error)".contains("delivery.relays[1].password_file"))
        }
    }

    @Test("bad rates and timeouts are refused with the key", arguments: [
        ("[delivery]\nrate = \"fast\"\n", "delivery.rate"),
        ("[delivery]\nglobal_rate = \"0/s\"\n", "delivery.global_rate"),
        ("[delivery]\nconcurrency = 0\n", "delivery.concurrency"),
        ("[delivery]\nconnect_timeout = -1\n", "delivery.connect_timeout"),
        ("[delivery]\nconnection_cache_time = 301\n", "delivery.connection_cache_time"),
    ])
    func badValues(_ text: String, key: String) {
        #expect(failure(text)?.key == key)
    }
}
