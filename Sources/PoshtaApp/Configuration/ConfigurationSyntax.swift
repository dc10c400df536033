import SMTPServer

/// Small value checks shared by the sections: domain names and `host:port` addresses.
enum ConfigurationSyntax {
    /// Letters, digits and hyphens in dot-separated labels of 1–63 characters,
    /// no label starting or ending with a hyphen, 253 characters at most.
    static func isDomainName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard (1...63).contains(label.utf8.count),
                  label.utf8.first != UInt8(ascii: "-"), label.utf8.last != UInt8(ascii: "-"),
                  label.utf8.allSatisfy(isLetterDigitHyphen)
            else { return false }
        }
        return true
    }

    private static func isLetterDigitHyphen(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Whether `text` is an IPv4 or IPv6 address literal (no brackets, no prefix).
    static func isIPAddress(_ text: String) -> Bool {
        !text.isEmpty && !text.contains("/") && IPNetwork(text) != nil
    }

    /// Whether `host` (an IP address literal) is a loopback address: 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host.split(separator: ".").first == "127" && isIPAddress(host)
    }

    /// Splits "a.b.c.d:port" or "[v6]:port" into host (brackets removed) and port.
    /// nil when the host is not an IP address literal, an IPv6 address lacks
    /// brackets, or the port is not a number in `ports`.
    static func hostAndPort(_ text: String, ports: ClosedRange<Int>) -> (host: String, port: Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            guard host.contains(":") else { return nil }  // brackets are for IPv6 only
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else { return nil }  // IPv6 needs brackets
        }
        guard isIPAddress(String(host)),
              !portText.isEmpty, portText.count <= 5,
              portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let port = Int(portText), ports.contains(port)
        else { return nil }
        return (String(host), port)
    }
}
