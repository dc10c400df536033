/// The console's own words (labels, buttons, headings) in its three
/// languages; English for anything a translation lacks. Keys are
/// snake_case so that a page reads them as `{{t.key}}`.
enum ConsoleStrings {
    /// The languages the console speaks, with their own names, in menu order.
    static let languages: [(code: String, name: String)] = [("en", "English"), ("bg", "Български"), ("mk", "Македонски")]

    /// The words of `locale` (English where it has none).
    static func table(_ locale: String) -> [String: String] {
        guard locale != "en", let translated = translations[locale] else { return english }
        return english.merging(translated) { _, translation in translation }
    }

    /// The console's language for a locale code: itself when the console speaks it, else English.
    static func supported(_ locale: String?) -> String {
        let code = (locale ?? "en").lowercased()
        return languages.contains { $0.code == code } ? code : "en"
    }

    static let translations: [String: [String: String]] = ["bg": bulgarian, "mk": macedonian]

    static let english: [String: String] = [
        // Frame
        "nav_label": "Sections",
        "nav_notifications": "Notifications",
        "nav_automations": "Automations",
        "nav_templates": "Templates",
        "nav_coupons": "Coupons",
        "nav_catalog": "Catalog",
        "nav_queue": "Queue",
        "language": "Language",
        "change": "Change",
        "sign_out": "Sign out",
        "save": "Save",
        "saved": "Saved. The change is in force now.",
        "on": "On",
        "off": "Off",
        // Sign-in
        "sign_in_title": "Sign in",
        "sign_in_lead": "Sign in with your Poshta user name and password.",
        "user_name": "User name",
        "password": "Password",
        "sign_in": "Sign in",
        "wrong_password": "The user name or password is wrong, or this user may not use the console.",
        "throttled": "Too many failed sign-ins from your address. Wait ten minutes, then try again.",
        "form_expired": "This form has expired or did not come from this console. Reload the page and try again.",
        // Notifications
        "notifications_title": "Notifications",
        "notifications_lead": "Choose which emails the shop sends. A switched-off email is not sent at all.",
        "to_customers": "Notifications to customers",
        "to_customers_master": "Send notifications to customers",
        "to_admins": "Notifications to administrators",
        "to_admins_master": "Send notifications to administrators",
        "unfinished_reminders": "Automatic reminders for unfinished orders",
        "needs_reminders": "Needs the setting below.",
        // Automations
        "automations_title": "Automations",
        "automations_lead": "Marketing emails that Poshta sends by itself, at the right time after what a customer did. Every one has an unsubscribe link.",
        "enable_marketing": "Enable marketing emails",
        "delay": "Send after",
        "delay_hint": "For example “2 hours”, “3 days”, “1 week”.",
        "coupon": "Coupon",
        "no_coupon": "No coupon",
        "coupon_new_code": "a new code each time",
        "coupon_from_list": "from the code list",
        "valid_days": "valid %d days",
        "figures_30_days": "Last 30 days",
        "scheduled": "Scheduled",
        "sent": "Sent",
        "cancelled": "Cancelled",
        "converted": "Ordered after",
        // Templates
        "templates_title": "Email templates",
        "templates_lead": "Every email in every language. Open one to see it and change its words.",
        "template": "Email",
        "edited": "edited",
        "shipped": "as shipped",
        "subject": "Subject",
        "text_version": "Plain-text version",
        "html_version": "HTML version",
        "preview": "Preview",
        "desktop": "Desktop",
        "phone": "Phone",
        "revert": "Revert to the original",
        "reverted": "The original template is back in force.",
        "send_test_to": "Send a test to",
        "send_test": "Send a test",
        "test_sent": "The test email is queued for delivery.",
        "template_refused": "Not saved",
        "template_saved": "Saved. The next email uses it.",
        // Coupons and catalog
        "coupons_title": "Coupons",
        "coupons_lead": "Coupon codes handed out in emails: imported lists of codes, and codes Poshta makes itself.",
        "pools": "Code lists",
        "codes_left": "Codes left",
        "import_codes": "Import codes (CSV)",
        "pool_name": "List name",
        "file": "File",
        "import": "Import",
        "rules": "Coupons per email",
        "latest_handouts": "Latest coupons handed out",
        "code": "Code",
        "recipient": "Recipient",
        "when": "When",
        "catalog_title": "Catalog",
        "catalog_lead": "The products Poshta shows in emails: related products and best sellers.",
        "search": "Search",
        "search_products": "Search products",
        "import_products": "Import products (CSV)",
        "related": "Related products",
        "bad_rows": "Rows not imported",
        "imported": "Imported",
        "nothing_found": "Nothing found.",
        // Queue
        "queue_title": "Queue",
        "queue_lead": "Mail waiting to be delivered, and what happened to it.",
        "messages_queued": "Messages in the queue",
        "by_state": "Recipients by state",
        "state_queued": "Queued",
        "state_deferred": "Deferred",
        "state_active": "Being delivered",
        "state_hold": "On hold",
        "last_hour": "Last hour: mail per minute",
        "last_day": "Last 24 hours: mail per minute (15-minute averages)",
        "received": "Received",
        "delivered": "Delivered",
        "deferred": "Deferred",
        "bounced": "Bounced",
        "top_destinations": "Top destinations",
        "domain": "Domain",
        "recipients": "Recipients",
        "latest_deferrals": "Latest failures",
        "reason": "Reason",
        "messages": "Messages",
        "search_queue": "Search (sender, recipient or domain)",
        "state": "State",
        "any": "Any",
        "select": "Select",
        "hold": "Hold",
        "release": "Release",
        "retry": "Retry now",
        "delete": "Delete",
        "confirm_bulk": "Apply this to the selected messages?",
        "applied": "Done: %d recipient(s) changed.",
        "nothing_selected": "Select at least one message first.",
        "arrived": "Arrived",
        "size": "Size",
        "sender": "Sender",
        "envelope": "Envelope",
        "attempts": "Attempts",
        "raw_text": "Raw message",
        "no_message": "This message is not in the queue.",
        "back_to_list": "Back to the list",
        // Refusals
        "admin_only": "This page is for administrators (users with the role admin).",
        "shop_not_set_up": "The shop's mail is not set up on this server ([shop] in poshta.toml), so there is nothing to show here.",
        "no_template": "There is no such template.",
    ]
}
