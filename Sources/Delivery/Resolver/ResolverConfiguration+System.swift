import Foundation
import NIOCore

extension ResolverConfiguration {
    /// glibc reads at most three nameservers (MAXNS in `<resolv.h>`).
    static let maximumSystemNameservers = 3
    /// glibc caps `timeout:` at 30 seconds (RES_MAXRETRANS) and `attempts:` at 5 (RES_MAXRETRY).
    static let maximumSystemTimeout = 30
    static let maximumSystemAttempts = 5

    /// What Poshta resolves with: `[delivery] nameserver` when set, else the system's resolver.
    public static func configured(nameserver: String?) throws -> ResolverConfiguration {
        try nameserver.map { try ResolverConfiguration(nameserver: $0) } ?? system()
    }

    /// The system's resolver settings, read like glibc reads them.
    ///
    /// A missing file gives the glibc defaults (127.0.0.1:53, 5 s, 2 attempts);
    /// a file that exists but cannot be read is an error.
    ///
    /// - SeeAlso: resolv.conf(5)
    public static func system(resolvConf: String = "/etc/resolv.conf") throws -> ResolverConfiguration {
        guard FileManager.default.fileExists(atPath: resolvConf) else {
            return ResolverConfiguration(nameservers: [])
        }
        return parse(resolvConf: try String(contentsOfFile: resolvConf, encoding: .utf8))
    }

    /// Reads the text of a resolv.conf.
    ///
    /// ```
    /// line    = ( "nameserver" SP address [ "%" scope ] / "options" *( SP option ) / other ) [ comment ]
    /// option  = "timeout:" 1*DIGIT / "attempts:" 1*DIGIT / other-option
    /// comment = ( "#" / ";" ) *CHAR       ; at the start of a line
    /// ```
    /// Unknown keywords and options (`search`, `ndots:`, `rotate`…) and
    /// addresses that do not parse are skipped, as glibc skips them.
    static func parse(resolvConf text: String) -> ResolverConfiguration {
        var nameservers: [Nameserver] = []
        var timeout = 5
        var attempts = 2
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = words.first, !keyword.hasPrefix("#"), !keyword.hasPrefix(";") else { continue }
            switch keyword {
            case "nameserver":
                // An address only: resolv.conf has no port. A scope (`fe80::1%eth0`) is dropped.
                guard words.count > 1, nameservers.count < maximumSystemNameservers else { continue }
                let address = String(words[1].prefix { $0 != "%" })
                guard (try? SocketAddress(ipAddress: address, port: Nameserver.standardPort)) != nil else { continue }
                nameservers.append(Nameserver(host: address))
            case "options":
                for option in words.dropFirst() {
                    if let value = Self.number(option, after: "timeout:") {
                        timeout = min(max(value, 1), maximumSystemTimeout)
                    } else if let value = Self.number(option, after: "attempts:") {
                        attempts = min(max(value, 1), maximumSystemAttempts)
                    }
                }
            default:
                continue
            }
        }
        return ResolverConfiguration(nameservers: nameservers, timeout: .seconds(timeout), attempts: attempts)
    }

    private static func number(_ option: Substring, after prefix: String) -> Int? {
        guard option.hasPrefix(prefix) else { return nil }
        return Int(option.dropFirst(prefix.count))
    }
}
