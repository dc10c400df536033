import DKIM
import Foundation
import MIME
import PoshtaTestSupport
import Testing

/// Signatures Poshta makes, checked by an independent verifier: dkimpy
/// (Debian's python3-dkim), with the public key handed to it as the DNS
/// TXT record it would look up. A message changed after signing must fail,
/// or the test could not fail.
@Suite("DKIM signing, verified by dkimpy")
struct DKIMSignerTests {
    static let lines: [String] = [
        "From: =?utf-8?b?0KfQsNC10L3QsCDQutGK0YnQsCDQoNC+0LzQsNGI0LrQsA==?= <shop@romashka.example>",
        "To: =?utf-8?b?0JzQsNGA0LjRjyDQk9C10L7RgNCz0LjQtdCy0LA=?= <maria@example.bg>",
        "Subject: =?utf-8?b?0J/QvtGA0YrRh9C60LAg4oSWIFJNLTEwNDgyINC1INC/0LvQsNGC0LXQvdCw?=",
        "Date: Mon, 23 Nov 2026 10:00:00 +0000", "Message-ID: <x1@romashka.example>", "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
        "Received: from shop (localhost [127.0.0.1]) by mail.romashka.example", "",
        "Здравейте, Мария!  ", "", "Благодарим за поръчката.", "", "", "",
    ]
    static let message = Array(lines.joined(separator: "\r\n").utf8)

    /// dkimpy's verdict on `message`, the key's TXT record served for `selector._domainkey.domain`.
    static func verify(_ message: [UInt8], record: String) throws -> String {
        let script = """
            import dkim, sys
            record = sys.argv[1].encode()
            def dns(name, timeout=5):
                return record if name == b"sel._domainkey.romashka.example." else None
            print("valid" if dkim.verify(sys.stdin.buffer.read(), dnsfunc=dns) else "invalid")
            """
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        let result = try ExternalProcess.runBlocking(python, ["-c", script, record], input: message)
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) + result.error
    }

    @Test("rsa-sha256 and ed25519-sha256, relaxed and simple: dkimpy says valid; a changed body or subject says invalid",
        arguments: [DKIMKey.Algorithm.rsaSHA256, .ed25519SHA256], [DKIMCanonicalization.relaxed, .simple])
    func verified(algorithm: DKIMKey.Algorithm, canonicalization: DKIMCanonicalization) throws {
        let key = try DKIMKey.generate(algorithm)
        let signer = DKIMSigner(
            domain: "romashka.example", selector: "sel", key: key, headerCanonicalization: canonicalization,
            bodyCanonicalization: canonicalization)
        let signed = try signer.sign(Self.message, time: 1_795_420_800)
        let record = DKIMRecord(key: key).text
        #expect(try Self.verify(signed, record: record) == "valid")

        var changedBody = signed
        changedBody.replaceSubrange((signed.count - 8)..<(signed.count - 6), with: Array("!!".utf8))
        #expect(try Self.verify(changedBody, record: record) == "invalid")
        let text = String(decoding: signed, as: UTF8.self)
        let changedSubject = Array(text.replacingOccurrences(of: "Subject: =?utf-8?b?0J", with: "Subject: =?utf-8?b?0K").utf8)
        #expect(try Self.verify(changedSubject, record: record) == "invalid")
    }

    @Test("the field: tags in order, From signed twice, absent headers left out, t= and x=, no line over 78 characters")
    func field() throws {
        let signer = DKIMSigner(domain: "romashka.example", selector: "sel", key: try DKIMKey.generate(.rsaSHA256), expiry: 86_400)
        let field = String(decoding: try signer.signature(for: Self.message, time: 1_795_420_800), as: UTF8.self)
        #expect(field.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=romashka.example;"), "\(field)")
        #expect(field.hasSuffix("\r\n"))
        let tags = field.filter { !$0.isWhitespace }
        #expect(
            tags.hasPrefix(
                "DKIM-Signature:v=1;a=rsa-sha256;c=relaxed/relaxed;d=romashka.example;s=sel;t=1795420800;x=1795507200;"
                    + "h=from:from:to:subject:date:message-id:mime-version:content-type;bh="), "\(tags)")
        let folded = field.components(separatedBy: "\r\n").dropLast()
        #expect(folded.allSatisfy { $0.utf8.count <= 78 }, "\(folded.map { $0.utf8.count })")
        #expect(folded.dropFirst().allSatisfy { $0.hasPrefix("\t") })
    }

    @Test("keys round-trip through PEM; the DNS record splits an RSA key into strings of at most 255 bytes")
    func keys() throws {
        for algorithm in DKIMKey.Algorithm.allCases {
            let key = try DKIMKey.generate(algorithm)
            let again = try DKIMKey(pem: key.pem)
            #expect(again.publicKeyBase64 == key.publicKeyBase64 && again.algorithm == algorithm)
        }
        let rsa = DKIMRecord(key: try DKIMKey.generate(.rsaSHA256, bits: 4096))
        #expect(rsa.text.hasPrefix("v=DKIM1; k=rsa; p=MII"))
        #expect(rsa.strings.count > 2 && rsa.strings.allSatisfy { $0.utf8.count <= 255 } && rsa.strings.joined() == rsa.text)
        #expect(rsa.zoneValue.hasPrefix("( \"v=DKIM1; k=rsa; p=MII") && rsa.zoneValue.hasSuffix("\" )"))
        let ed = DKIMRecord(key: try DKIMKey.generate(.ed25519SHA256))
        #expect(ed.text.hasPrefix("v=DKIM1; k=ed25519; p=") && ed.strings.count == 1)
        #expect(throws: DKIMKeyError.self) { try DKIMKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----") }
        #expect(throws: DKIMKeyError.self) { try DKIMKey.generate(.rsaSHA256, bits: 1024) }
    }
}
