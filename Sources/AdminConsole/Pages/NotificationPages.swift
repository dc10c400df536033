import Foundation
import HTTPListener
import Hummingbird
import ShopStore

/// The notifications page: the two master switches and one switch per
/// customer and administrator notification, with a sentence saying when
/// it is sent. Saved to the store and in force for the next mail.
struct NotificationPages {
    let console: Console

    static let pages = [ConsolePage(name: "notifications", template: template)]

    static let template = """
        <h1>{{t.notifications_title}}</h1>
        <p class="lead">{{t.notifications_lead}}</p>
        <form method="post" action="/notifications" id="notifications-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#groups}}
        <section class="card">
        <h2>{{heading}}</h2>
        <div class="switch master"><input type="checkbox" id="{{master}}" name="{{master}}"{{#masterOn}} checked{{/masterOn}}>
        <label for="{{master}}">{{masterLabel}}</label></div>
        <ul class="switches">
        {{#items}}
        <li id="item-{{key}}"><div class="switch"><input type="checkbox" id="n-{{key}}" name="enabled" value="{{key}}"{{#on}} checked{{/on}}>
        <label for="n-{{key}}">{{name}}</label></div>
        <p class="when">{{when}}</p>
        {{#reminders}}<div class="switch sub"><input type="checkbox" id="unfinished_order_reminders" name="unfinished_order_reminders"{{#remindersOn}} checked{{/remindersOn}}>
        <label for="unfinished_order_reminders">{{t.unfinished_reminders}}</label></div>{{/reminders}}
        </li>
        {{/items}}
        </ul>
        </section>
        {{/groups}}
        <div class="actions"><button type="submit" class="primary" id="save">{{t.save}}</button></div>
        </form>
        """

    func register(on router: Router<PoshtaRequestContext>) {
        console.get("/notifications", on: router) { call in
            guard let mail = console.submission?.mail else { return Self.unavailable(call) }
            return call.page("notifications", title: call.t("notifications_title"), values: values(call, mail.switches.current))
        }
        console.post("/notifications", on: router) { call in
            guard let mail = console.submission?.mail, let store = console.store else { return Self.unavailable(call) }
            let enabled = Set(call.form.all("enabled"))
            let change: [String: Any] = [
                "customer": call.form.isChecked("customer"), "admin": call.form.isChecked("admin"),
                "unfinished_order_reminders": call.form.isChecked("unfinished_order_reminders"),
                "disabled": mail.notificationKeys.filter { !enabled.contains($0) },
            ]
            let switches: NotificationSwitches
            do {
                switches = try await mail.changeNotifications(change, in: store)
            } catch let error as ShopEventError {
                return call.page(
                    "notifications", title: call.t("notifications_title"), values: values(call, mail.switches.current),
                    error: "\(error)", status: .badRequest)
            }
            console.logger.notice("console: \(call.session.user) changed the notification switches: customer \(switches.customer), admin \(switches.admin), off: \(switches.disabled.joined(separator: ",").nonEmpty ?? "none")")
            return call.done("/notifications", notice: "saved")
        }
    }

    /// The page's two groups, each key with its name and sentence in the user's language.
    private func values(_ call: ConsoleCall, _ switches: NotificationSwitches) -> [String: Any] {
        guard let mail = console.submission?.mail else { return [:] }
        let renderer = mail.templateSet.current
        func items(_ kind: String) -> [[String: Any]] {
            mail.notificationKeys.filter { renderer.schema($0)?.kind.rawValue == kind }.map { key in
                let description = ConsoleDescriptions.notifications[key]?[call.session.locale]
                    ?? ConsoleDescriptions.notifications[key]?["en"]
                var item: [String: Any] = [
                    "key": key, "name": description?.name ?? key, "when": description?.when ?? "",
                    "on": !switches.disabled.contains(key),
                ]
                if key == "order_unfinished" {
                    item["reminders"] = true
                    item["remindersOn"] = switches.unfinishedOrderReminders
                }
                return item
            }
        }
        return [
            "groups": [
                [
                    "heading": call.t("to_customers"), "master": "customer", "masterOn": switches.customer,
                    "masterLabel": call.t("to_customers_master"), "items": items("customer"),
                ],
                [
                    "heading": call.t("to_admins"), "master": "admin", "masterOn": switches.admin,
                    "masterLabel": call.t("to_admins_master"), "items": items("admin"),
                ],
            ] as [[String: Any]]
        ]
    }

    /// The shop's mail is not set up (no `[shop]`): the owner's pages have nothing to show.
    static func unavailable(_ call: ConsoleCall) -> Response {
        call.page(
            "message", title: "Poshta",
            values: ["message": call.t("shop_not_set_up")],
            status: .notFound)
    }
}

extension String {
    /// nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
