import Foundation
import Intake
import MIME
import ShopStore
import Templates

/// A message the shop rendered itself, asking for product blocks, a coupon
/// or the shop's layout (`ShopEnrichmentRequest`): the blocks go before
/// `</body>` of its HTML part and at the end of its text part; the layout
/// wraps each. Its other parts, fields and encodings stay as the shop wrote
/// them (`MIMEBodyEditor`); a bare text message given the layout becomes
/// text plus HTML.
extension ShopMessageTransformer {
    func enrich(_ message: IncomingMessage) async throws(IntakeError) -> Transformation {
        let parsed = try Self.parse(message.content)
        let request: ShopEnrichmentRequest
        do {
            request = try ShopEnrichmentRequest(
                blocks: parsed.header("X-Shop-Blocks"), layout: parsed.header("X-Shop-Layout"),
                items: parsed.header("X-Shop-Items"), order: parsed.header("X-Shop-Order"))
        } catch {
            throw Self.reject(error.description)
        }
        if let key = request.couponKey, switches.coupons[key] == nil {
            throw Self.reject("X-Shop-Blocks: coupon=\(key) has no coupon rule ([coupons.\(key)] in the configuration, or the console)")
        }
        // The message's own text: the first HTML and text leaves that are not attachments.
        let leaves = parsed.root.leaves.filter { $0.contentDisposition?.type.lowercased() != "attachment" }
        let htmlPart = leaves.first { $0.contentType.matches("text/html") }
        let textPart = leaves.first { $0.contentType.matches("text/plain") }
        guard htmlPart != nil || textPart != nil else {
            throw Self.reject("the message has no text/plain or text/html part to put the blocks or the layout in")
        }
        let customer = message.transaction.recipients.first?.description ?? ""
        let locale = await chooseLocale(parsed, customers: [customer], for: "enrichment")
        var data: [String: Any] = [:]
        do {
            try await addEnrichmentBlocks(to: &data, request: request, customer: customer, locale: locale)
        } catch {
            logger.error("enrichment: the shop store failed: \(error)")
            throw .spoolFailed("shop store: \(error)")
        }
        let html: String?
        let text: String?
        do {
            html = try htmlPart?.text()
            text = try textPart?.text()
        } catch {
            throw Self.reject("the message's text cannot be decoded: \(error)")
        }
        data["subject"] = parsed.subject ?? ""
        let content: [UInt8]
        do {
            let blocks = request.wantsBlocks ? try enrichmentFragments(data, locale: locale) : (html: "", text: "")
            if request.layout, htmlPart == nil, let text, !parsed.root.isMultipart {
                // A bare text message: the layout makes it text plus HTML.
                data["body_text"] = PlainTextHTML.trimmingTrailingLineBreaks(text)
                data["body_html"] = PlainTextHTML.paragraphs(text)
                let builder = MIMEBuilder(
                    from: .init(settings.fromAddress), to: [], subject: "",
                    body: .alternative(
                        text: try renderer.renderFragment("wrapped.text", locale: locale, data: data) + blocks.text,
                        html: Self.inserting(blocks.html, into: try renderer.renderFragment("wrapped.html", locale: locale, data: data))))
                var generator = SystemRandomNumberGenerator()
                content = MIMEBodyEditor.replacingBody(of: message.content, with: try builder.bodyEntity(using: &generator))
            } else {
                var edits: [MIMEBodyEditor.Edit] = []
                if let htmlPart, let html {
                    var finished = html
                    if request.layout {
                        data["body_html"] = PlainTextHTML.bodyContent(of: html)
                        finished = try renderer.renderFragment("wrapped.html", locale: locale, data: data)
                    }
                    edits.append(.init(part: htmlPart, text: Self.inserting(blocks.html, into: finished)))
                }
                if let textPart, let text {
                    var finished = text
                    if request.layout {
                        data["body_text"] = PlainTextHTML.trimmingTrailingLineBreaks(text)
                        finished = try renderer.renderFragment("wrapped.text", locale: locale, data: data)
                    }
                    edits.append(.init(part: textPart, text: Self.appending(blocks.text, to: finished)))
                }
                content = try MIMEBodyEditor.apply(edits, to: message.content)
            }
        } catch let error as TemplateError {
            throw Self.reject(error.description)
        } catch {
            throw Self.reject("the message cannot be enriched: \(error)")
        }
        var tags = ["blocks": request.summary]
        if !customer.isEmpty { tags["customer"] = customer }
        if let order = request.orderNumber { tags["order"] = order }
        return .replace(
            content: Self.withoutShopFields(content), tags: tags, note: "enriched=\(request.summary), locale=\(locale)")
    }

    /// The product cards and the coupon the request asks for.
    func addEnrichmentBlocks(
        to data: inout [String: Any], request: ShopEnrichmentRequest, customer: String, locale: String
    ) async throws {
        guard let store else { return }
        if request.related {
            var skus = request.items ?? []
            if skus.isEmpty, let number = request.orderNumber {
                if let order = try await store.order(number) {
                    skus = order.items.map(\.sku)
                } else {
                    logger.notice("enrichment: order \(number) is not known; sent without related products")
                }
            }
            if !skus.isEmpty {
                data["related_products"] = try await store.relatedProducts(forOrder: skus).map { Self.card($0, locale: locale) }
            }
        }
        if request.bestsellers {
            data["bestseller_products"] = try await store.bestSellingProducts().map { Self.card($0, locale: locale) }
        }
        if let key = request.couponKey {
            let facts = MailFacts(coupon: couponRequest(key, recipient: customer), now: Date.now.timeIntervalSince1970)
            try await record(facts, into: &data, for: "enrichment", locale: locale)
        }
    }

    /// `enrichment.html` and `enrichment.text`, or empty strings when they
    /// came out blank (no related products found, no coupon left).
    func enrichmentFragments(_ data: [String: Any], locale: String) throws(TemplateError) -> (html: String, text: String) {
        let html = try renderer.renderFragment("enrichment.html", locale: locale, data: data)
        let text = try renderer.renderFragment("enrichment.text", locale: locale, data: data)
        func blank(_ value: String) -> Bool { value.allSatisfy(\.isWhitespace) }
        return (blank(html) ? "" : html, blank(text) ? "" : text)
    }

    /// `fragment` just before the last `</body>` of `html`, or at its end.
    static func inserting(_ fragment: String, into html: String) -> String {
        guard !fragment.isEmpty else { return html }
        guard let close = html.range(of: "</body", options: [.caseInsensitive, .backwards]) else {
            return appending(fragment, to: html)
        }
        return html[..<close.lowerBound] + fragment + (fragment.hasSuffix("\n") ? "" : "\r\n") + html[close.lowerBound...]
    }

    /// `fragment` after `text`, on a line of its own.
    static func appending(_ fragment: String, to text: String) -> String {
        guard !fragment.isEmpty else { return text }
        return text + (text.isEmpty || text.hasSuffix("\n") ? "" : "\r\n") + fragment
    }

    /// The message without its `X-Shop-*` fields: they are for Poshta and never leave.
    static func withoutShopFields(_ content: [UInt8]) -> [UInt8] {
        MIMEBodyEditor.removingFields(from: content) { $0.hasPrefix("x-shop-") }
    }
}
