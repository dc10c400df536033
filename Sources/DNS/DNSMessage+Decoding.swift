extension DNSMessage {
    /// Decodes a message from wire form, following compression pointers.
    ///
    /// ```
    /// message  = header *question *answer *authority *additional
    /// header   = ID(16) flags(16) QDCOUNT(16) ANCOUNT(16) NSCOUNT(16) ARCOUNT(16)
    /// question = QNAME QTYPE(16) QCLASS(16)
    /// answer / authority / additional = RR
    /// ```
    /// Exactly as many entries are read as the counts announce; octets after
    /// the last one are ignored. Over TCP, strip the two-octet length first.
    ///
    /// - SeeAlso: RFC 1035 §4.1, §4.1.1, §4.1.2, §4.1.3, §4.1.4
    public init(decoding bytes: [UInt8]) throws(DNSDecodingError) {
        var reader = DNSReader(bytes: bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        let questionCount = Int(try reader.u16())
        let answerCount = Int(try reader.u16())
        let authorityCount = Int(try reader.u16())
        let additionalCount = Int(try reader.u16())
        self.init(id: id)
        setFlagBits(flags)
        for _ in 0..<questionCount {
            let name = try reader.name()
            let type = try reader.u16()
            let recordClass = try reader.u16()
            questions.append(DNSQuestion(name: name, type: DNSRecordType(rawValue: type), recordClass: recordClass))
        }
        for _ in 0..<answerCount { answers.append(try reader.record()) }
        for _ in 0..<authorityCount { authorities.append(try reader.record()) }
        for _ in 0..<additionalCount { additionals.append(try reader.record()) }
    }
}
