extension PasswordHash {
    /// Parses `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`.
    ///
    /// Refuses anything else: another algorithm (`$argon2id$…`, `$2b$…`),
    /// parameters missing, repeated, out of order, with leading zeros or out of
    /// range (see `Cost`), a salt shorter than 8 bytes, a key shorter than 16,
    /// base64 that is not the canonical unpadded form. A refused hash makes its
    /// line of the users file an error rather than a user who can never log in.
    public init?(encoded: String) {
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt",
            let cost = Self.parseCost(fields[2]),
            let salt = PHCBase64.decode(fields[3]), (8...64).contains(salt.count),
            let key = PHCBase64.decode(fields[4]), (16...64).contains(key.count)
        else { return nil }
        self.init(cost: cost, salt: salt, key: key)
    }

    /// The PHC string, as stored in the users file.
    public var encoded: String {
        "$scrypt$ln=\(cost.log2N),r=\(cost.r),p=\(cost.p)$\(PHCBase64.encode(salt))$\(PHCBase64.encode(key))"
    }

    /// `ln=15,r=8,p=1`, exactly these three in this order (the PHC format
    /// fixes the order per algorithm).
    private static func parseCost(_ text: Substring) -> Cost? {
        let pairs = text.split(separator: ",", omittingEmptySubsequences: false)
        guard pairs.count == 3 else { return nil }
        var values: [Int] = []
        for (pair, name) in zip(pairs, ["ln", "r", "p"]) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name, let value = parseDecimal(parts[1]) else { return nil }
            values.append(value)
        }
        let cost = Cost(log2N: values[0], r: values[1], p: values[2])
        return cost.isAcceptable ? cost : nil
    }

    /// A decimal of at most 9 digits without sign or leading zeros (PHC §"Decimal encoding").
    private static func parseDecimal(_ text: Substring) -> Int? {
        guard (1...9).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            text == "0" || text.utf8.first != 0x30
        else { return nil }
        return Int(text)
    }
}
