import Testing
@testable import DNS

@Suite("DNSName")
struct DNSNameTests {
    @Test("a dotted name splits into labels, with or without the final dot")
    func parse() throws {
        let name = try DNSName("mail.example.com")
        #expect(name.labels == [Array("mail".utf8), Array("example".utf8), Array("com".utf8)])
        #expect(try DNSName("mail.example.com.") == name)
        #expect(name.description == "mail.example.com")
        #expect(name.wireLength == 18)
    }

    @Test("the root is written as a single dot")
    func root() throws {
        #expect(try DNSName(".").isRoot)
        #expect(DNSName.root.description == ".")
        #expect(DNSName.root.wireLength == 1)
    }

    @Test("names compare and hash without regard to ASCII case")
    func caseInsensitive() throws {
        let upper = try DNSName("MX1.Example.COM")
        let lower = try DNSName("mx1.example.com")
        #expect(upper == lower)
        #expect(Set([upper, lower]).count == 1)
        #expect(upper.description == "MX1.Example.COM")
    }

    @Test("a label of 64 octets is refused, 63 is taken")
    func labelLimit() throws {
        let ok = String(repeating: "a", count: 63)
        #expect(try DNSName(ok + ".com").labels.count == 2)
        #expect(throws: DNSNameError.labelTooLong(ok + "a")) { try DNSName(ok + "a.com") }
    }

    @Test("a name of 256 wire octets is refused, 255 is taken")
    func nameLimit() throws {
        let l63 = String(repeating: "a", count: 63)
        let fits = [l63, l63, l63, String(repeating: "b", count: 61)].joined(separator: ".")
        #expect(try DNSName(fits).wireLength == 255)
        let over = [l63, l63, l63, String(repeating: "b", count: 62)].joined(separator: ".")
        #expect(throws: DNSNameError.nameTooLong) { try DNSName(over) }
    }

    @Test("empty labels are refused", arguments: ["a..b", ".a", "a..", ""])
    func emptyLabel(_ text: String) {
        #expect(throws: DNSNameError.emptyLabel) { try DNSName(text) }
    }

    @Test("dots and unprintable octets inside a label are escaped in the description")
    func escapes() throws {
        let name = try DNSName(labels: [[0x61, 0x2E, 0x62], [0x00, 0x7A]])
        #expect(name.description == "a\\.b.\\000z")
    }
}
