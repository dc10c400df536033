import DNS

/// Answers remembered for as long as their TTLs allow, so that a queue of
/// mail to one domain costs one MX lookup, not one per message.
///
/// A value owned by one ``DNSResolver`` behind a lock; time is passed in, so
/// tests step it by hand.
///
/// - Positive answers live for the smallest TTL of the answer section (the
///   CNAME chain and the RRset), RFC 2181 §5.2 and §8.
/// - NXDOMAIN and NODATA live for the SOA's negative TTL, and are not kept
///   without an SOA (RFC 2308 §5).
/// - SERVFAIL, REFUSED and other failures are not kept: the next lookup asks
///   again (RFC 2308 §7 allows, but does not require, five minutes).
/// - No answer lives longer than ``maximumTTL`` (RFC 8767 §4 suggests 1 day
///   at most), and at most ``capacity`` answers are held: when full, expired
///   ones go first, then those closest to expiry.
///
/// - SeeAlso: RFC 1035 §7.4; RFC 2181 §5.2, §8; RFC 2308 §5, §7
struct DNSCache {
    struct Key: Hashable {
        var name: DNSName
        var type: DNSRecordType
    }

    private struct Entry {
        var message: DNSMessage
        var stored: ContinuousClock.Instant
        var expires: ContinuousClock.Instant
    }

    let capacity: Int
    let maximumTTL: UInt32
    private var entries: [Key: Entry] = [:]

    init(capacity: Int, maximumTTL: UInt32) {
        self.capacity = capacity
        self.maximumTTL = maximumTTL
    }

    var count: Int { entries.count }

    /// The stored answer, its TTLs lowered by the time it has been held; nil when absent or expired.
    mutating func lookup(_ key: Key, now: ContinuousClock.Instant) -> DNSMessage? {
        guard let entry = entries[key] else { return nil }
        guard now < entry.expires else {
            entries[key] = nil
            return nil
        }
        let held = now - entry.stored
        let elapsed = UInt32(clamping: held.components.seconds)
        var message = entry.message
        // A caller that caches in turn must not hold the answer past its real expiry.
        message.answers = message.answers.map { $0.aged(by: elapsed) }
        message.authorities = message.authorities.map { $0.aged(by: elapsed) }
        message.additionals = message.additionals.map { $0.aged(by: elapsed) }
        return message
    }

    /// Keeps `message` as the answer to `key` if its kind and TTL allow.
    mutating func store(_ message: DNSMessage, for key: Key, now: ContinuousClock.Instant) {
        guard capacity > 0, let ttl = Self.cachingTTL(of: message).map({ min($0, maximumTTL) }), ttl > 0 else { return }
        if entries[key] == nil, entries.count >= capacity { makeRoom(now: now) }
        entries[key] = Entry(message: message, stored: now, expires: now + .seconds(Int64(ttl)))
    }

    /// How long `message` may be kept, in seconds, before ``maximumTTL``; nil when it must not be.
    static func cachingTTL(of message: DNSMessage) -> UInt32? {
        guard !message.isTruncated else { return nil }
        switch message.responseCode {
        case .noError where !message.answers.isEmpty:
            return message.answers.map(\.ttl).min()
        case .noError, .nameError:
            return message.negativeCachingTTL
        default:
            return nil
        }
    }

    /// Drops expired entries; if that is not enough, the tenth closest to
    /// expiry, so that the sort is paid once per many insertions.
    private mutating func makeRoom(now: ContinuousClock.Instant) {
        entries = entries.filter { $0.value.expires > now }
        guard entries.count >= capacity else { return }
        let evicted = max(capacity / 10, 1)
        for key in entries.sorted(by: { $0.value.expires < $1.value.expires }).prefix(evicted).map(\.key) {
            entries[key] = nil
        }
    }
}

extension DNSRecord {
    /// The record with `seconds` taken off its TTL, stopping at zero.
    fileprivate func aged(by seconds: UInt32) -> DNSRecord {
        var record = self
        record.ttl = ttl > seconds ? ttl - seconds : 0
        return record
    }
}
