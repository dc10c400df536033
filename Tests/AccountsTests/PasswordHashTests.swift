import Testing

@testable import Accounts

/// scrypt hashes in PHC form: making, verifying, parsing, refusing.
@Suite("Password hashes")
struct PasswordHashTests {
    /// A hash written by Python's hashlib.scrypt for "correct horse battery
    /// staple", salt 00 01 … 0f: another tool's output must verify here.
    static let foreign = "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU"

    @Test("a new hash verifies its password and refuses others")
    func verifyRightAndWrong() throws {
        let hash = try PasswordHash.make(password: "Tr0ub4dor&3 ü", cost: .fastForTests)
        #expect(hash.verify("Tr0ub4dor&3 ü"))
        #expect(!hash.verify("Tr0ub4dor&3"))
        #expect(!hash.verify("tr0ub4dor&3 ü"))
        #expect(!hash.verify(""))
    }

    @Test("a hash survives encoding to its PHC string and parsing back")
    func roundTrip() throws {
        let hash = try PasswordHash.make(password: "round trip", cost: .fastForTests)
        let encoded = hash.encoded
        #expect(encoded.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        let fields = encoded.split(separator: "$")
        #expect(fields.count == 4)
        #expect(fields[2].count == 22)  // 16 bytes of salt, unpadded base64
        #expect(fields[3].count == 43)  // 32 bytes of key
        let parsed = try #require(PasswordHash(encoded: encoded))
        #expect(parsed == hash)
        #expect(parsed.encoded == encoded)
        #expect(parsed.verify("round trip"))
    }

    @Test("the standard cost is N=2^15, r=8, p=1 and new hashes carry it")
    func standardCost() throws {
        #expect(PasswordHash.Cost.standard == PasswordHash.Cost(log2N: 15, r: 8, p: 1))
        let hash = try PasswordHash.make(password: "x")
        #expect(hash.encoded.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
    }

    @Test("two hashes of one password differ: the salt is random")
    func saltIsRandom() throws {
        let a = try PasswordHash.make(password: "same", cost: .fastForTests)
        let b = try PasswordHash.make(password: "same", cost: .fastForTests)
        #expect(a != b)
        #expect(a.verify("same") && b.verify("same"))
    }

    @Test("a hash written by another tool (Python's hashlib.scrypt) verifies")
    func foreignHash() throws {
        let hash = try #require(PasswordHash(encoded: Self.foreign))
        #expect(hash.verify("correct horse battery staple"))
        #expect(!hash.verify("correct horse battery stapl"))
        #expect(hash.encoded == Self.foreign)
    }

    @Test(
        "KDF.Scrypt through PasswordHash gives RFC 7914's test vectors (§12, cases 2 and 3)",
        arguments: [
            (
                "password", "NaCl", PasswordHash.Cost(log2N: 10, r: 8, p: 16),
                "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
            ),
            (
                "pleaseletmein", "SodiumChloride", PasswordHash.Cost(log2N: 14, r: 8, p: 1),
                "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
            ),
        ])
    func rfc7914Vectors(password: String, salt: String, cost: PasswordHash.Cost, expected: String) throws {
        let key = try PasswordHash.derive(password, salt: Array(salt.utf8), cost: cost, byteCount: 64)
        #expect(hex(key) == expected)
        // The same numbers as a stored hash: verify wires N, r, p and the key length through.
        let stored = PasswordHash(cost: cost, salt: Array(salt.utf8), key: key)
        #expect(stored.verify(password))
        #expect(!stored.verify(password + "x"))
    }

    @Test("printing a hash, a user or a mirror of either shows no salt or key")
    func neverPrinted() throws {
        let hash = try PasswordHash.make(password: "do not print", cost: .fastForTests)
        let secretParts = hash.encoded.split(separator: "$").suffix(2).map(String.init)
        let user = UserRecord(name: "bob", hash: hash)
        var dumped = ""
        dump(user, to: &dumped)
        for text in ["\(hash)", String(reflecting: hash), "\(user)", String(reflecting: user), dumped] {
            for part in secretParts { #expect(!text.contains(part)) }
        }
        #expect(hash.description == "scrypt hash")
    }

    @Test(
        "PHC strings that are not an acceptable scrypt hash are refused",
        arguments: [
            Refusal("empty", ""),
            Refusal("no leading $", "scrypt$ln=10,r=8,p=1$\(salt16)$\(key32)"),
            Refusal("argon2id", "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaA"),
            Refusal("bcrypt", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"),
            Refusal("upper-case algorithm", "$SCRYPT$ln=10,r=8,p=1$\(salt16)$\(key32)"),
            Refusal("order", "$scrypt$r=8,ln=10,p=1$\(salt16)$\(key32)"),
            Refusal("p missing", "$scrypt$ln=10,r=8$\(salt16)$\(key32)"),
            Refusal("p twice", "$scrypt$ln=10,r=8,p=1,p=1$\(salt16)$\(key32)"),
            Refusal("leading 0", "$scrypt$ln=010,r=8,p=1$\(salt16)$\(key32)"),
            Refusal("sign", "$scrypt$ln=+10,r=8,p=1$\(salt16)$\(key32)"),
            Refusal("too weak", "$scrypt$ln=9,r=8,p=1$\(salt16)$\(key32)"),
            Refusal("1 GiB", "$scrypt$ln=20,r=8,p=1$\(salt16)$\(key32)"),
            Refusal("r=0", "$scrypt$ln=10,r=0,p=1$\(salt16)$\(key32)"),
            Refusal("p=17", "$scrypt$ln=10,r=8,p=17$\(salt16)$\(key32)"),
            Refusal("p too long", "$scrypt$ln=10,r=8,p=99999999999$\(salt16)$\(key32)"),
            Refusal("4-byte salt", "$scrypt$ln=10,r=8,p=1$AAECAw$\(key32)"),
            Refusal("12-byte key", "$scrypt$ln=10,r=8,p=1$\(salt16)$mp90zEQd5XGhjEv4"),
            Refusal("padding", "$scrypt$ln=10,r=8,p=1$\(salt16)==$\(key32)"),
            Refusal("trailing bits", "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODx$\(key32)"),
            Refusal("URL alphabet", "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0O-w$\(key32)"),
            Refusal("trailing $", "$scrypt$ln=10,r=8,p=1$\(salt16)$\(key32)$"),
            Refusal("trailing space", "$scrypt$ln=10,r=8,p=1$\(salt16)$\(key32) "),
        ])
    func refusals(_ refusal: Refusal) {
        #expect(PasswordHash(encoded: refusal.encoded) == nil)
    }

    @Test("making a hash with an unacceptable cost throws instead of hashing")
    func unacceptableCostThrows() {
        #expect(throws: PasswordHash.Failure.self) {
            try PasswordHash.make(password: "x", cost: PasswordHash.Cost(log2N: 4, r: 8, p: 1))
        }
        #expect(throws: PasswordHash.Failure.self) {
            try PasswordHash.make(password: "x", cost: PasswordHash.Cost(log2N: 22, r: 8, p: 1))
        }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// The salt and key of `PasswordHashTests.foreign`, to build refused variants from.
private let salt16 = "AAECAwQFBgcICQoLDA0ODw"
private let key32 = "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU"

/// A hash string to refuse, shown in test output by its label only.
struct Refusal: Sendable, CustomTestStringConvertible {
    var label: String
    var encoded: String
    init(_ label: String, _ encoded: String) {
        self.label = label
        self.encoded = encoded
    }
    var testDescription: String { label }
}
