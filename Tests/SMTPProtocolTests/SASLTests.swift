import Testing

@testable import SMTPProtocol

/// SASL base64, PLAIN and LOGIN: what a client's AUTH lines decode to, and
/// the replies for what does not.
@Suite("SASL")
struct SASLTests {
    /// base64 of `text` with its bytes, for messages that hold NULs.
    private func base64(_ text: String) -> String { SASLBase64.encode(text) }

    private func plainError(_ line: String) -> SASLError? {
        do {
            _ = try SASLPlain.decode(line)
            return nil
        } catch {
            return error
        }
    }

    private func loginError(_ line: String) -> SASLError? {
        do {
            _ = try SASLLogin.decode(line)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Base64

    @Test(
        "base64 encodes and decodes RFC 4648's test vectors",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ])
    func base64Vectors(text: String, encoded: String) {
        #expect(SASLBase64.encode(text) == encoded)
        #expect(SASLBase64.decode(encoded) == Array(text.utf8))
    }

    @Test("every byte value survives base64 encode then decode")
    func base64AllBytes() {
        let bytes = (0...255).map { UInt8($0) }
        for length in [0, 1, 2, 3, 4, 255, 256] {
            let slice = Array(bytes.prefix(length))
            #expect(SASLBase64.decode(SASLBase64.encode(bytes: slice)) == slice)
        }
    }

    @Test(
        "base64 that is not strict is refused",
        arguments: [
            "Zg",  // padding missing
            "Zg=",  // padding short
            "Zm9v\r\n",  // line end
            " Zm9v",  // leading space
            "Zm9v Zm9v",  // inner space
            "Zh==",  // non-zero bits after the last byte
            "Zm9=",  // the same, with one pad
            "Z===",  // too much padding
            "Zm=v",  // padding inside
            "Zg==Zg==",  // padding, then more data
            "Zm9v====",  // a group of padding alone
            "Zm9v_-8=",  // the URL-safe alphabet
            "Zm9vYmFyé===",
        ])
    func base64Strict(text: String) {
        #expect(SASLBase64.decode(text) == nil)
    }

    // MARK: - PLAIN

    @Test("PLAIN decodes RFC 4616's example: empty authzid, user tim")
    func plainRFCExample() throws {
        let message = try SASLPlain.decode("AHRpbQB0YW5zdGFhZnRhbnN0YWFm")
        #expect(message.authorizationID == "")
        #expect(message.user == "tim")
        #expect(message.password == "tanstaaftanstaaf")
    }

    @Test("PLAIN accepts an authzid equal to the user, and UTF-8 in both fields")
    func plainAuthzidEqualToUser() throws {
        let message = try SASLPlain.decode(base64("anna@b.example\0anna@b.example\0pässwörd ok"))
        #expect(message.authorizationID == "anna@b.example")
        #expect(message.user == "anna@b.example")
        #expect(message.password == "pässwörd ok")
    }

    @Test("PLAIN with an authzid other than the user is refused: no proxy authorization")
    func plainProxyRefused() {
        #expect(plainError(base64("admin\0tim\0tanstaaf")) == .proxyAuthorization)
        let reply = SASLError.proxyAuthorization.reply
        #expect(reply.code == 501)
        #expect(reply.enhancedCode?.description == "5.7.0")
        #expect(reply.lines.joined().contains("Proxy authorization is not supported"))
    }

    @Test(
        "PLAIN without its two NULs, or with an empty user or password, is malformed",
        arguments: [
            "tim\0tanstaaf",  // one NUL
            "timtanstaaf",  // none
            "\0\0tanstaaf",  // empty user
            "\0tim\0",  // empty password
            "\0tim\0tans\0taaf",  // a third NUL
            "",  // nothing
        ])
    func plainMalformed(message: String) {
        #expect(plainError(base64(message)) == .malformed)
    }

    @Test("PLAIN with bytes that are not UTF-8 is malformed")
    func plainNotUTF8() {
        #expect(plainError(SASLBase64.encode(bytes: [0, 0x74, 0x69, 0x6D, 0, 0xFF, 0xFE])) == .malformed)
    }

    @Test("PLAIN's empty initial response '=' is malformed, not a crash")
    func plainEmptyResponse() {
        #expect(plainError("=") == .malformed)
    }

    @Test("PLAIN that is not base64 gets 501 5.5.2 Invalid base64 data")
    func plainNotBase64() {
        #expect(plainError("AHRpbQB0YW5zdGFhZnRhbnN0YWFm!") == .notBase64)
        #expect(plainError("not base64") == .notBase64)
        #expect(SASLError.notBase64.reply == SMTPReply(501, "5.5.2", "Invalid base64 data"))
    }

    @Test("'*' cancels the exchange: 501 5.7.0 Authentication cancelled")
    func cancel() {
        #expect(plainError("*") == .cancelled)
        #expect(loginError("*") == .cancelled)
        #expect(SASLError.cancelled.reply == SMTPReply(501, "5.7.0", "Authentication cancelled"))
    }

    // MARK: - LOGIN

    @Test("LOGIN's challenges are 'Username:' and 'Password:' in base64")
    func loginChallenges() {
        #expect(SASLBase64.decode(SASLLogin.usernameChallenge) == Array("Username:".utf8))
        #expect(SASLBase64.decode(SASLLogin.passwordChallenge) == Array("Password:".utf8))
    }

    @Test("LOGIN decodes each answer to its text")
    func loginAnswers() throws {
        #expect(try SASLLogin.decode(base64("tim")) == "tim")
        #expect(try SASLLogin.decode(base64("tan staaf ü")) == "tan staaf ü")
    }

    @Test("LOGIN refuses an empty answer, a NUL, bytes that are not UTF-8, and bad base64")
    func loginRefusals() {
        #expect(loginError("") == .malformed)
        #expect(loginError("=") == .malformed)
        #expect(loginError(base64("ti\0m")) == .malformed)
        #expect(loginError(SASLBase64.encode(bytes: [0xC3])) == .malformed)
        #expect(loginError("dGlt\r") == .notBase64)
    }

    // MARK: - Replies

    @Test("no SASL error reply quotes anything the client sent")
    func repliesQuoteNothing() {
        let errors: [SASLError] = [.notBase64, .malformed, .cancelled, .proxyAuthorization, .unsupportedMechanism]
        for error in errors {
            #expect(!error.reply.description.contains("tanstaaf"))
            #expect(!error.reply.isPositive)
        }
        #expect(SASLError.unsupportedMechanism.reply.code == 504)
    }
}
