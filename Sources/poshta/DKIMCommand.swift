import ArgumentParser
import PoshtaApp

/// `poshta dkim`: signing keys for the shops' domains.
struct DKIM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dkim", abstract: "DKIM keys: make one and its DNS record (keygen), check what DNS publishes (check).",
        subcommands: [Keygen.self, Check.self, Bench.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new private key (mode 0600) and print the DNS TXT record to publish.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The signing domain (the From domain of the shop's mail).") var domain: String
        @Option(help: "The selector, e.g. mail2026.") var selector: String
        @Option(help: "rsa or ed25519.") var algorithm: String = "rsa"
        @Option(help: "RSA key size: 2048, 3072 or 4096.") var bits: Int = 2048
        @Option(help: "Where to write the key (default: dkim/DOMAIN.SELECTOR.key beside the configuration).") var out: String?

        func run() throws {
            let status = DKIMCommands.keygen(
                configurationPath: options.config, domain: domain, selector: selector, algorithm: algorithm, bits: bits, out: out)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look up each configured selector of a domain and say whether DNS publishes this key.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The domain.") var domain: String

        func run() async throws {
            let status = await DKIMCommands.check(configurationPath: options.config, domain: domain)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Signatures per second, RSA-2048 and Ed25519, of a message of --size bytes, on one thread.")
        @Option(help: "The message's size in bytes.") var size: Int = 10_240
        @Option(help: "Signatures per algorithm.") var count: Int = 2_000

        func run() throws {
            let status = DKIMCommands.bench(size: size, count: count)
            if status != 0 { throw ExitCode(status) }
        }
    }
}
