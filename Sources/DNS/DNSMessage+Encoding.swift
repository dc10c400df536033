extension DNSMessage {
    /// The message in wire form, without name compression.
    ///
    /// ```
    /// +---------------------+
    /// |        Header       |  ID, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT (16 bits each)
    /// +---------------------+
    /// |       Question      |  QNAME QTYPE QCLASS
    /// +---------------------+
    /// |        Answer       |  NAME TYPE CLASS TTL RDLENGTH RDATA
    /// +---------------------+
    /// |      Authority      |
    /// +---------------------+
    /// |      Additional     |
    /// +---------------------+
    /// ```
    /// Sections longer than 65,535 entries and RDATA longer than 65,535
    /// octets cannot be represented; they are cut to fit.
    ///
    /// - SeeAlso: RFC 1035 §4.1
    public func encoded() -> [UInt8] {
        var writer = DNSWriter()
        writer.u16(id)
        writer.u16(flagBits)
        writer.u16(UInt16(clamping: questions.count))
        writer.u16(UInt16(clamping: answers.count))
        writer.u16(UInt16(clamping: authorities.count))
        writer.u16(UInt16(clamping: additionals.count))
        for question in questions.prefix(Int(UInt16.max)) {
            writer.name(question.name)
            writer.u16(question.type.rawValue)
            writer.u16(question.recordClass)
        }
        for section in [answers, authorities, additionals] {
            for record in section.prefix(Int(UInt16.max)) {
                writer.record(record)
            }
        }
        return writer.bytes
    }

    /// The message preceded by its length in two octets, as sent over TCP.
    ///
    /// - SeeAlso: RFC 1035 §4.2.2; RFC 7766 §8
    public func tcpEncoded() -> [UInt8] {
        let message = encoded()
        let length = UInt16(clamping: message.count)
        return [UInt8(length >> 8), UInt8(length & 0xFF)] + message.prefix(Int(length))
    }
}
