import Foundation
import X509

/// What `check-config` says about the `[tls]` certificate: expiring soon,
/// or not naming `[server] hostname`.
enum CertificateCheck {
    static func warnings(certificatePath: String, hostname: String, now: Date = Date()) -> [String] {
        guard let text = try? String(contentsOfFile: certificatePath, encoding: .utf8) else {
            return ["\(certificatePath): no certificate yet; make one with `poshta tls selfsigned --hostname \(hostname)`"]
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: text)
        } catch {
            return ["\(certificatePath): not a PEM certificate: \(error)"]
        }
        var warnings: [String] = []
        let daysLeft = Int(certificate.notValidAfter.timeIntervalSince(now) / 86_400)
        if certificate.notValidAfter < now {
            warnings.append("\(certificatePath): the certificate expired on \(certificate.notValidAfter)")
        } else if certificate.notValidAfter < now + 14 * 86_400 {
            warnings.append("\(certificatePath): the certificate expires in \(daysLeft) day(s), on \(certificate.notValidAfter)")
        }
        let names = dnsNames(of: certificate)
        if !names.contains(where: { matches($0, hostname) }) {
            warnings.append(
                "\(certificatePath): the certificate is for \(names.isEmpty ? "no DNS name" : names.joined(separator: ", ")), not for [server] hostname \(hostname)"
            )
        }
        return warnings
    }

    static func dnsNames(of certificate: Certificate) -> [String] {
        var names: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for name in alternatives {
                if case .dnsName(let dns) = name { names.append(dns) }
            }
        }
        if names.isEmpty {
            // Without SANs, clients fall back to the common name.
            for attribute in certificate.subject.flatMap({ $0 }) where attribute.type == .RDNAttributeType.commonName {
                names.append("\(attribute.value)")
            }
        }
        return names
    }

    /// RFC 6125 §6.4.3: a `*` stands for exactly one leftmost label.
    static func matches(_ pattern: String, _ hostname: String) -> Bool {
        let pattern = pattern.lowercased()
        let hostname = hostname.lowercased()
        if pattern.hasPrefix("*.") {
            guard let dot = hostname.firstIndex(of: ".") else { return false }
            return hostname[dot...] == pattern.dropFirst(1)
        }
        return pattern == hostname
    }
}
