/// A resource record of the answer, authority or additional section.
///
/// The TYPE is not stored apart: it is the type of ``data``.
///
/// - SeeAlso: RFC 1035 §3.2.1, §4.1.3
public struct DNSRecord: Hashable, Sendable {
    /// CLASS IN, the Internet.
    public static let classIN: UInt16 = 1

    public var name: DNSName
    /// CLASS; 1 is IN.
    public var recordClass: UInt16
    /// Seconds the record may be cached.
    public var ttl: UInt32
    public var data: DNSRecordData

    /// TYPE, taken from ``data``.
    public var type: DNSRecordType { data.type }

    public init(name: DNSName, recordClass: UInt16 = DNSRecord.classIN, ttl: UInt32, data: DNSRecordData) {
        self.name = name
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }
}
