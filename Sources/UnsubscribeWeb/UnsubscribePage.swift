import HTTPTypes
import Templates

/// The three states of the unsubscribe page, in the customer's language
/// (English, Bulgarian, Macedonian; English when unknown).
enum UnsubscribePage {
    /// A valid link: a button to confirm (a GET never unsubscribes).
    case confirm(email: String)
    /// Unsubscribed (now, or before).
    case done
    /// A link Poshta did not make, or a garbled one.
    case unknown

    var status: HTTPResponse.Status {
        if case .unknown = self { .notFound } else { .ok }
    }

    func html(shop: String, locale: String?) -> String {
        let words = Self.words[locale ?? "en"] ?? Self.words["en"]!
        let body: String
        switch self {
        case .confirm(let email):
            body = """
                <p>\(HTMLText.escaped(words.confirm.replacingOccurrences(of: "%@", with: email)))</p>
                <form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">\(words.button)</button></form>
                """
        case .done:
            body = "<p>\(HTMLText.escaped(words.done))</p>"
        case .unknown:
            body = "<p>\(HTMLText.escaped(words.unknown))</p>"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(HTMLText.escaped(locale ?? "en"))"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escaped(shop))</title>
            <style>body{font-family:Arial,Helvetica,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#2b2b2b}
            button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#2f6b45;color:#fff;cursor:pointer}</style>
            </head><body><h1>\(HTMLText.escaped(shop))</h1>
            \(body)
            </body></html>
            """
    }

    static let words: [String: (confirm: String, button: String, done: String, unknown: String)] = [
        "en": (
            "Stop our marketing emails to %@? Order and account emails still come.", "Unsubscribe",
            "You are unsubscribed: no more marketing emails from us. Order and account emails still come.",
            "This unsubscribe link is not valid. Use the link in the email you received."
        ),
        "bg": (
            "Да спрем ли рекламните писма до %@? Писмата за поръчки и профил ще продължат да идват.", "Отписване",
            "Отписахте се: няма да получавате повече рекламни писма от нас. Писмата за поръчки и профил ще продължат да идват.",
            "Тази връзка за отписване не е валидна. Използвайте връзката от полученото писмо."
        ),
        "mk": (
            "Да ги запреме ли рекламните пораки до %@? Пораките за нарачки и профил ќе продолжат да пристигнуваат.", "Одјава",
            "Се одјавивте: нема повеќе да добивате рекламни пораки од нас. Пораките за нарачки и профил ќе продолжат да пристигнуваат.",
            "Оваа врска за одјава не е важечка. Користете ја врската од пораката што ја добивте."
        ),
    ]
}
