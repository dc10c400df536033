extension UserRecord {
    /// Whether this user may use `sender` (an address without brackets) as
    /// MAIL FROM: `""` (the null sender) always; the user's own name when the
    /// name is an address; an address listed in `senders`; any address at a
    /// domain listed as `@domain`.
    ///
    /// Domains compare without regard to ASCII case (RFC 5321 §2.4); local
    /// parts compare exactly, as RFC 5321 leaves their case to the domain's
    /// owner. Only ASCII letters are folded: Unicode folding would let
    /// `shop.exampl\u{212A}` (Kelvin sign) pass for `shop.example`.
    public func mayUse(sender: String) -> Bool {
        if sender.isEmpty { return true }
        guard let wanted = AddressParts(sender), !wanted.local.isEmpty else { return false }
        let own = name.utf8.contains(0x40) ? [name] : []
        for allowed in own + senders {
            guard let granted = AddressParts(allowed), granted.domain == wanted.domain else { continue }
            if granted.local.isEmpty || granted.local.elementsEqual(wanted.local) { return true }
        }
        return false
    }
}

/// `local@domain` split at the last `@` (a quoted local part may hold one),
/// the domain folded to ASCII lower case.
private struct AddressParts {
    var local: Substring.UTF8View
    var domain: [UInt8]

    init?(_ address: String) {
        guard let at = address.utf8.lastIndex(of: 0x40) else { return nil }
        let domain = address.utf8[address.utf8.index(after: at)...]
        guard !domain.isEmpty else { return nil }
        local = Substring(address)[..<at].utf8
        self.domain = domain.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
    }
}
