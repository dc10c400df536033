import DKIM
import Testing

/// RFC 6376 §3.4: the canonicalization algorithms, byte for byte, on the
/// RFC's own example (§3.4.5) and on the edge cases a signer meets.
@Suite("DKIM canonicalization (RFC 6376 §3.4)")
struct DKIMCanonicalizationTests {
    /// §3.4.5's example: "A: <SP> X <CRLF> B <SP> : <SP> Y <HTAB><CRLF> <HTAB> Z <SP><SP><CRLF>"
    /// and the body "<SP> C <SP><CRLF> D <SP><HTAB><SP> E <CRLF> <CRLF> <CRLF>".
    let headerA = Array("A: X\r\n".utf8)
    let headerB = Array("B : Y\t\r\n\t Z  \r\n".utf8)
    let body = Array(" C \r\nD \t E\r\n\r\n\r\n".utf8)

    @Test("relaxed: a:X, b:Y Z, and the body ' C' / 'D E' without the empty lines")
    func relaxed() {
        #expect(DKIMCanonicalization.relaxed.header(headerA[...]) == Array("a:X\r\n".utf8))
        #expect(DKIMCanonicalization.relaxed.header(headerB[...]) == Array("b:Y Z\r\n".utf8))
        #expect(DKIMCanonicalization.relaxed.body(body[...]) == Array(" C\r\nD E\r\n".utf8))
    }

    @Test("simple: the header fields as they are; the body without its trailing empty lines")
    func simple() {
        #expect(DKIMCanonicalization.simple.header(headerA[...]) == headerA)
        #expect(DKIMCanonicalization.simple.header(headerB[...]) == headerB)
        #expect(DKIMCanonicalization.simple.body(body[...]) == Array(" C \r\nD \t E\r\n".utf8))
    }

    @Test("an empty body is CRLF under simple and nothing under relaxed (RFC 6376 §3.4.3, §3.4.4 and errata 1384)")
    func emptyBody() {
        for empty in ["", "\r\n", "\r\n\r\n\r\n"] {
            #expect(DKIMCanonicalization.simple.body(Array(empty.utf8)[...]) == [0x0D, 0x0A])
            #expect(DKIMCanonicalization.relaxed.body(Array(empty.utf8)[...]) == [])
        }
    }

    @Test("a body that does not end with a line break gets one; a bare LF counts as one")
    func lineEnds() {
        #expect(DKIMCanonicalization.simple.body(Array("Hi.\r\nBye.".utf8)[...]) == Array("Hi.\r\nBye.\r\n".utf8))
        #expect(DKIMCanonicalization.relaxed.body(Array("Hi. \nBye.\n\n".utf8)[...]) == Array("Hi.\r\nBye.\r\n".utf8))
    }

    @Test("relaxed headers: whitespace-only lines inside a body are empty lines at the end too")
    func whitespaceLinesAtEnd() {
        #expect(DKIMCanonicalization.relaxed.body(Array("Text\r\n \t\r\n  \r\n".utf8)[...]) == Array("Text\r\n".utf8))
        #expect(DKIMCanonicalization.simple.body(Array("Text\r\n \t\r\n".utf8)[...]) == Array("Text\r\n \t\r\n".utf8))
    }

    @Test("relaxed header: the name lower-cased, folding and runs of whitespace made one space, none at the ends")
    func relaxedHeaderDetails() {
        let field = Array("Subject:   Hello \r\n\tworld\t \r\n".utf8)
        #expect(DKIMCanonicalization.relaxed.header(field[...]) == Array("subject:Hello world\r\n".utf8))
        let empty = Array("X-Empty:   \r\n".utf8)
        #expect(DKIMCanonicalization.relaxed.header(empty[...]) == Array("x-empty:\r\n".utf8))
        // UTF-8 passes as bytes.
        let cyrillic = Array("Subject: Поръчка  №42\r\n".utf8)
        #expect(DKIMCanonicalization.relaxed.header(cyrillic[...]) == Array("subject:Поръчка №42\r\n".utf8))
    }
}
