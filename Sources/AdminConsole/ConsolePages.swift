/// A page's Mustache template and the name it is rendered by.
struct ConsolePage: Sendable {
    var name: String
    var template: String
}

/// Every page template of the console, parsed once when the console starts.
enum ConsolePages {
    static let all: [ConsolePage] =
        [ConsolePage(name: "message", template: message)] + SignInPages.pages + NotificationPages.pages
        + AutomationPages.pages + TemplatePages.pages + CouponPages.pages + CatalogPages.pages + QueuePages.pages

    /// A page that only says something (a refusal, a missing message).
    static let message = """
        {{#message}}<p>{{message}}</p>{{/message}}
        <p><a href="/">Poshta</a></p>
        """
}
