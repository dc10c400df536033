/// One entry of the question section: what is asked for.
///
/// - SeeAlso: RFC 1035 §4.1.2
public struct DNSQuestion: Hashable, Sendable {
    public var name: DNSName
    public var type: DNSRecordType
    /// QCLASS; 1 is IN, the Internet.
    public var recordClass: UInt16

    public init(name: DNSName, type: DNSRecordType, recordClass: UInt16 = DNSRecord.classIN) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }
}
