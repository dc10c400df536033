public import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A CIDR network such as 127.0.0.0/8 or ::1/128, for trusted_networks.
///
/// Host bits are accepted and cleared: "10.1.2.3/8" is the network 10.0.0.0/8.
/// An address without a prefix is a single host (/32 or /128).
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address with its host bits cleared.
    private enum Storage: Sendable, Hashable {
        case v4(UInt32)
        /// The 128-bit address as two big-endian halves.
        case v6(high: UInt64, low: UInt64)
    }

    private let storage: Storage
    private let prefixLength: Int

    /// Parses "address/prefix" or a bare address; nil when either part is invalid.
    public init?(_ cidr: String) {
        let parts = cidr.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = String(parts[0])
        let prefixText: Substring? = parts.count == 2 ? parts[1] : nil

        let address: Storage
        let maximum: Int
        if let v4 = IPNetwork.parseIPv4(addressText) {
            address = .v4(v4)
            maximum = 32
        } else if let v6 = IPNetwork.parseIPv6(addressText) {
            address = .v6(high: v6.high, low: v6.low)
            maximum = 128
        } else {
            return nil
        }

        let prefix: Int
        if let prefixText {
            guard !prefixText.isEmpty, prefixText.count <= 3,
                  prefixText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let value = Int(prefixText), value <= maximum
            else { return nil }
            prefix = value
        } else {
            prefix = maximum
        }

        self.prefixLength = prefix
        self.storage = IPNetwork.masked(address, prefix: prefix)
    }

    /// The number of leading bits that name the network (0...32 or 0...128).
    public var prefix: Int { prefixLength }

    /// Whether the peer address lies inside this network.
    ///
    /// An IPv4-mapped IPv6 peer (::ffff:a.b.c.d) matches IPv4 networks, and an
    /// IPv4 peer matches IPv6 networks that hold its mapped form. Unix sockets never match.
    public func contains(_ address: NIOCore.SocketAddress) -> Bool {
        let peer: Storage
        switch address {
        case .v4(let v4):
            peer = .v4(UInt32(bigEndian: v4.address.sin_addr.s_addr))
        case .v6(let v6):
            var bytes = v6.address.sin6_addr
            let (high, low) = withUnsafeBytes(of: &bytes) { IPNetwork.halves($0) }
            peer = .v6(high: high, low: low)
        case .unixDomainSocket:
            return false
        }
        return contains(peer)
    }

    private func contains(_ peer: Storage) -> Bool {
        switch (storage, peer) {
        case (.v4, .v4):
            return IPNetwork.masked(peer, prefix: prefixLength) == storage
        case (.v6, .v6):
            return IPNetwork.masked(peer, prefix: prefixLength) == storage
        case (.v4, .v6(let high, let low)):
            // ::ffff:a.b.c.d carries an IPv4 address.
            guard high == 0, low >> 32 == 0xFFFF else { return false }
            let embedded = Storage.v4(UInt32(truncatingIfNeeded: low))
            return IPNetwork.masked(embedded, prefix: prefixLength) == storage
        case (.v6, .v4(let value)):
            let mapped = Storage.v6(high: 0, low: 0xFFFF_0000_0000 | UInt64(value))
            return IPNetwork.masked(mapped, prefix: prefixLength) == storage
        }
    }

    /// "a.b.c.d/n" or the RFC 5952 form of an IPv6 address with "/n".
    public var description: String {
        switch storage {
        case .v4(let value):
            let octets = [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }
            return octets.joined(separator: ".") + "/\(prefixLength)"
        case .v6(let high, let low):
            return IPNetwork.formatIPv6(high: high, low: low) + "/\(prefixLength)"
        }
    }

    // MARK: - Helpers

    private static func masked(_ address: Storage, prefix: Int) -> Storage {
        switch address {
        case .v4(let value):
            let mask: UInt32 = prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix)
            return .v4(value & mask)
        case .v6(let high, let low):
            let highMask: UInt64 = prefix >= 64 ? UInt64.max : (prefix == 0 ? 0 : UInt64.max << UInt64(64 - prefix))
            let lowMask: UInt64 = prefix <= 64 ? 0 : (prefix == 128 ? UInt64.max : UInt64.max << UInt64(128 - prefix))
            return .v6(high: high & highMask, low: low & lowMask)
        }
    }

    private static func parseIPv4(_ text: String) -> UInt32? {
        var address = in_addr()
        let result = text.withCString { inet_pton(AF_INET, $0, &address) }
        guard result == 1 else { return nil }
        return UInt32(bigEndian: address.s_addr)
    }

    private static func parseIPv6(_ text: String) -> (high: UInt64, low: UInt64)? {
        var address = in6_addr()
        let result = text.withCString { inet_pton(AF_INET6, $0, &address) }
        guard result == 1 else { return nil }
        return withUnsafeBytes(of: &address) { halves($0) }
    }

    private static func halves(_ bytes: UnsafeRawBufferPointer) -> (high: UInt64, low: UInt64) {
        precondition(bytes.count >= 16)
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
        for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        return (high, low)
    }

    private static func formatIPv6(high: UInt64, low: UInt64) -> String {
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { bytes in
            for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: high >> UInt64(56 - 8 * index)) }
            for index in 0..<8 { bytes[8 + index] = UInt8(truncatingIfNeeded: low >> UInt64(56 - 8 * index)) }
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let formatted: String? = buffer.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress, inet_ntop(AF_INET6, &address, base, socklen_t(out.count)) != nil
            else { return nil }
            return String(cString: base)
        }
        return formatted ?? "::"
    }
}
