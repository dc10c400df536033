import DKIM
import DNS
import Delivery
import Foundation
import Logging
import NIOPosix

/// `poshta dkim keygen|check`: a key for a shop's domain and the DNS record
/// to publish, then whether what DNS publishes matches the key.
public enum DKIMCommands {
    /// Writes a new private key (mode 0600; never over an existing file) and
    /// prints the TXT record to publish and the `[[dkim.key]]` lines to add.
    public static func keygen(
        configurationPath: String, domain: String, selector: String, algorithm: String, bits: Int, out: String?
    ) -> Int32 {
        let chosen: DKIMKey.Algorithm
        switch algorithm.lowercased() {
        case "rsa", "rsa-sha256": chosen = .rsaSHA256
        case "ed25519", "ed25519-sha256": chosen = .ed25519SHA256
        default:
            Commands.printError("poshta dkim keygen: --algorithm is rsa or ed25519, not \(algorithm)")
            return 64
        }
        let domain = domain.lowercased()
        let folder = (configurationPath as NSString).deletingLastPathComponent
        let path = out ?? (folder.isEmpty ? "" : folder + "/") + DKIMSection.defaultKeyFile(domain: domain, selector: selector)
        guard !FileManager.default.fileExists(atPath: path) else {
            Commands.printError("poshta dkim keygen: \(path) exists; keys are not overwritten (a published record may use it): choose another --selector or --out")
            return 1
        }
        do {
            let key = try DKIMKey.generate(chosen, bits: bits)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Created with 0600 from the first byte: the key is never readable by others.
            guard FileManager.default.createFile(atPath: path, contents: Data(key.pem.utf8), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
            let record = DKIMRecord(key: key)
            print(
                """
                wrote the \(chosen.rawValue) key to \(path) (mode 0600)

                publish this TXT record in the DNS of \(domain):
                \(selector)._domainkey.\(domain).\tIN\tTXT\t\(record.zoneValue)

                then add to \(configurationPath):
                [[dkim.key]]
                domain = "\(domain)"
                selector = "\(selector)"
                algorithm = "\(chosen.rawValue)"\(out == nil ? "" : "\nkey_file = \"\(path)\"")

                and check it once published: poshta dkim check --domain \(domain)
                """)
            return 0
        } catch {
            Commands.printError("poshta dkim keygen: \(error)")
            return 1
        }
    }

    /// `poshta dkim bench`: signatures per second of a `size`-byte message
    /// (a text body of short lines, as mail is), RSA-2048 and Ed25519, on
    /// one thread.
    public static func bench(size: Int, count: Int) -> Int32 {
        guard size >= 200, size <= 10_000_000, count >= 1, count <= 1_000_000 else {
            Commands.printError("poshta dkim bench: --size 200 to 10,000,000 bytes, --count 1 to 1,000,000")
            return 64
        }
        var message = Array(
            "From: Shop <shop@bench.example>\r\nTo: maria@example.bg\r\nSubject: Bench\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <b@bench.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                .utf8)
        let line = Array("The quick brown fox jumps over the lazy dog, again and  again.\r\n".utf8)
        while message.count < size { message += line }
        message.removeLast(message.count - size)
        message += [0x0D, 0x0A]
        print("\(count) signatures of a \(message.count)-byte message on one thread:")
        for algorithm in DKIMKey.Algorithm.allCases {
            do {
                let signer = DKIMSigner(domain: "bench.example", selector: "s", key: try DKIMKey.generate(algorithm))
                let clock = ContinuousClock()
                let elapsed = try clock.measure {
                    for index in 0..<count { _ = try signer.signature(for: message, time: 1_795_420_800 + index) }
                }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print(String(format: "  %@: %.0f signatures/s (%.3f ms each)", algorithm.rawValue, Double(count) / seconds, seconds * 1000 / Double(count)))
            } catch {
                Commands.printError("poshta dkim bench: \(error)")
                return 1
            }
        }
        return 0
    }

    /// Looks up each configured selector of `domain` through the configured
    /// resolver and says whether the published key is this key.
    public static func check(configurationPath: String, domain: String) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        let entries = configuration.dkim.keys.filter { $0.domain == domain.lowercased() }
        guard !entries.isEmpty else {
            Commands.printError("poshta dkim check: \(configurationPath) has no [[dkim.key]] for \(domain)")
            return 1
        }
        let resolver: DNSResolver
        do {
            resolver = DNSResolver(
                configuration: try .configured(nameserver: configuration.delivery.nameserver),
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "poshta.dkim"))
        } catch {
            Commands.printError("poshta dkim check: no resolver: \(error)")
            return 1
        }
        var allGood = true
        for entry in entries {
            let name = "\(entry.selector)._domainkey.\(entry.domain)"
            let verdict: String
            do {
                let key = try DKIMKey(pem: try String(contentsOfFile: entry.keyFile, encoding: .utf8))
                let published = try await txt(name, resolver: resolver)
                verdict = published.map { Self.compare($0, with: key) } ?? "not published: no TXT record at \(name)"
            } catch {
                verdict = "cannot check: \(error)"
            }
            if verdict != "ok" { allGood = false }
            print("\(name): \(verdict)")
        }
        return allGood ? 0 : 1
    }

    /// The TXT record at `name`, its strings joined; nil when there is none.
    static func txt(_ name: String, resolver: DNSResolver) async throws -> String? {
        let answer = try await resolver.query(try DNSName(name), .txt)
        for record in answer.answers {
            if case .txt(let strings) = record.data {
                let text = String(decoding: strings.joined(), as: UTF8.self)
                if text.contains("p=") { return text }
            }
        }
        return nil
    }

    /// "ok", or what differs between the published record and the key.
    static func compare(_ published: String, with key: DKIMKey) -> String {
        let tags = DKIMRecord(text: published).tags
        if let version = tags["v"], version != "DKIM1" { return "the record says v=\(version), not DKIM1" }
        let type = tags["k"] ?? "rsa"
        guard type == key.algorithm.keyType else { return "the record is k=\(type), the key is \(key.algorithm.keyType)" }
        guard let p = tags["p"], !p.isEmpty else { return "the record has an empty p=: the key was revoked" }
        return p == key.publicKeyBase64 ? "ok" : "MISMATCH: the published p= is not this key's public key"
    }
}
