import Foundation
import Intake
import MIME
import ShopStore
import SMTPProtocol

/// Mail to the unsubscribe mailbox (`unsubscribe+TOKEN@…`, the mailto of
/// every marketing mail's `List-Unsubscribe`): the token's address is
/// suppressed at once and nothing is delivered. A token Poshta did not make
/// is refused, so that nobody unsubscribes someone else.
extension ShopMessageTransformer {
    /// The tokens when every recipient is `local+TOKEN@domain` of the unsubscribe mailbox; nil otherwise.
    func unsubscribeTokens(in message: IncomingMessage) -> [String]? {
        guard settings.unsubscribeTokens != nil, !message.transaction.recipients.isEmpty else { return nil }
        let mailbox = settings.unsubscribeMailbox.lowercased()
        guard let at = mailbox.lastIndex(of: "@") else { return nil }
        let local = mailbox[..<at] + "+"
        let domain = mailbox[at...]
        var tokens: [String] = []
        for recipient in message.transaction.recipients {
            let address = recipient.description
            let lower = address.lowercased()
            guard lower.hasPrefix(local), lower.hasSuffix(domain), lower.count > local.count + domain.count else { return nil }
            // The token's case matters (base64url): cut it from the address as written.
            let start = address.index(address.startIndex, offsetBy: local.count)
            let end = address.index(address.endIndex, offsetBy: -domain.count)
            tokens.append(String(address[start..<end]))
        }
        return tokens
    }

    func unsubscribe(_ tokens: [String]) async throws(IntakeError) -> Transformation {
        guard let signer = settings.unsubscribeTokens, let suppression else {
            throw .spoolFailed("no shop store for unsubscribes")
        }
        var addresses: [String] = []
        for token in tokens {
            guard let email = signer.email(in: token) else {
                throw .rejected(SMTPReply(550, "5.1.1", "this unsubscribe address is not valid; use the link in the email you received"))
            }
            addresses.append(email)
        }
        do {
            for email in addresses {
                try await suppression.suppress(email, reason: "unsubscribed by mail", now: Date.now.timeIntervalSince1970)
                logger.notice("unsubscribed <\(email)> (by mail): no more marketing mail, scheduled jobs cancelled")
            }
        } catch {
            logger.error("unsubscribe: the shop store failed: \(error)")
            throw .spoolFailed("shop store: \(error)")
        }
        return .handled("unsubscribed " + addresses.map { "<\($0)>" }.joined(separator: ", "))
    }
}

/// What every marketing mail gets: its unsubscribe link and the
/// `List-Unsubscribe` fields, and the rule of who may be sent one.
extension ShopMessageTransformer {
    /// The link for `{{unsubscribe_url}}` and the two RFC 8058 fields for a
    /// marketing mail to `email`; nil while no secret is loaded (marketing off).
    func unsubscribeFields(for email: String) -> (link: String, fields: [HeaderField])? {
        guard let tokens = settings.unsubscribeTokens else { return nil }
        let links = tokens.links(for: email, url: settings.unsubscribeURL, mailbox: settings.unsubscribeMailbox)
        return (links.url, links.headers.map { HeaderField($0.name, $0.value) })
    }

    /// Why `email` gets no marketing mail — unsubscribed or bounced, or no
    /// consent (theirs as the shop last said, else `[marketing]
    /// default_consent`) —, or nil when it may. Transactional mail never asks.
    func marketingRefusal(for email: String, customer: Customer?) async throws -> String? {
        guard let store else { return nil }
        return marketingRefusal(for: email, customer: customer, suppressed: try await store.isSuppressed(email))
    }

    func marketingRefusal(for email: String, customer: Customer?, suppressed: Bool) -> String? {
        if suppressed { return "<\(email)> is on the suppression list (unsubscribed or bounced)" }
        guard customer?.marketingConsent ?? switches.automations.defaultConsent else {
            return "<\(email)> has not consented to marketing mail"
        }
        return nil
    }
}
