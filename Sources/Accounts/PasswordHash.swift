import Crypto
import _CryptoExtras

/// A password hash in PHC string form: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`
/// (a 16-byte random salt, a 32-byte derived key, both base64 without padding).
///
/// scrypt rather than PBKDF2: swift-crypto's `_CryptoExtras` has it (checked
/// against RFC 7914's test vector), and its memory cost makes guessing on
/// GPUs expensive. The string form is the one passlib and other tools write,
/// so a users file can be filled from elsewhere.
///
/// The value never shows its salt or key: `description` is a fixed text and
/// the mirror is empty, so that a hash printed into a log, an error or a test
/// failure gives nothing away.
///
/// - SeeAlso: RFC 7914 (scrypt),
///   https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md
public struct PasswordHash: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// scrypt's cost parameters: N = 2^log2N, block size r, parallelism p.
    /// Memory used is about 128 · N · r · p bytes.
    public struct Cost: Sendable, Hashable {
        public var log2N: Int
        public var r: Int
        public var p: Int

        public init(log2N: Int, r: Int, p: Int) {
            self.log2N = log2N
            self.r = r
            self.p = p
        }

        /// N = 32768, r = 8, p = 1: 32 MiB and about 50–100 ms per hash on
        /// this class of machine (the cost OWASP recommends as a minimum).
        public static let standard = Cost(log2N: 15, r: 8, p: 1)
        /// N = 1024: 1 MiB and about a millisecond. For tests only; the
        /// weakest cost a hash may have.
        public static let fastForTests = Cost(log2N: 10, r: 8, p: 1)

        /// Memory scrypt needs for this cost, in bytes.
        var memory: Int { 128 << log2N * r * p }

        /// Refuses costs that are too weak to protect a stolen file (N below
        /// 1024) or so large that one AUTH could exhaust the server (more
        /// than 256 MiB), and values scrypt itself forbids (N ≥ 2^(16·r)).
        var isAcceptable: Bool {
            (10...24).contains(log2N) && (1...64).contains(r) && (1...16).contains(p)
                && log2N < 16 * r && memory <= 256 << 20
        }
    }

    /// Why a hash could not be made.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The cost is outside what Poshta accepts (see `Cost`).
        case unacceptableCost
        /// scrypt itself failed (out of memory, most likely).
        case derivationFailed

        public var description: String {
            switch self {
            case .unacceptableCost: "scrypt cost out of range (N from 2^10 to 2^24, at most 256 MiB)"
            case .derivationFailed: "scrypt failed (out of memory?)"
            }
        }
    }

    static let saltByteCount = 16
    static let keyByteCount = 32

    public let cost: Cost
    let salt: [UInt8]
    let key: [UInt8]

    init(cost: Cost, salt: [UInt8], key: [UInt8]) {
        self.cost = cost
        self.salt = salt
        self.key = key
    }

    /// Hashes `password` (its UTF-8 bytes) with a fresh random salt. Takes as
    /// long as `cost` says: call it off the event loops.
    public static func make(password: String, cost: Cost = .standard) throws -> PasswordHash {
        guard cost.isAcceptable else { throw Failure.unacceptableCost }
        // SystemRandomNumberGenerator is the kernel's CSPRNG (getrandom(2) on Linux).
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let key = try derive(password, salt: salt, cost: cost, byteCount: keyByteCount)
        return PasswordHash(cost: cost, salt: salt, key: key)
    }

    /// Whether `password` is the one this hash was made from. Runs scrypt;
    /// the derived key is compared in constant time.
    public func verify(_ password: String) -> Bool {
        guard let derived = try? Self.derive(password, salt: salt, cost: cost, byteCount: key.count) else {
            return false
        }
        return Self.constantTimeEquals(derived, key)
    }

    public var description: String { "scrypt hash" }

    public var customMirror: Mirror { Mirror(self, children: [:]) }

    static func derive(_ password: String, salt: [UInt8], cost: Cost, byteCount: Int) throws(Failure) -> [UInt8] {
        guard cost.isAcceptable else { throw .unacceptableCost }
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: Array(password.utf8), salt: salt, outputByteCount: byteCount,
                rounds: 1 << cost.log2N, blockSize: cost.r, parallelism: cost.p)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw .derivationFailed
        }
    }

    /// Compares every byte whatever the first difference, so that the time
    /// taken says nothing about how much of a guess was right.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
