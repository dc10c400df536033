import Foundation
import Hummingbird
import ShopMail
import ShopStore

/// `GET /v1/notifications` and `PUT /v1/notifications`: the owner's
/// notification switches. A PUT names what it changes (`customer`,
/// `admin`, `disabled`, `unfinished_order_reminders`); the store keeps it
/// and the next template message obeys it.
struct NotificationRoutes {
    let store: any ShopStore
    let mail: ShopMessageTransformer

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/notifications") { _, _ in
            try AdminResponse.json(mail.switches.current)
        }
        router.put("/v1/notifications") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 10)
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                return AdminResponse.error(.badRequest, "the body is a JSON object: customer, admin, disabled, unfinished_order_reminders")
            }
            var switches = mail.switches.current
            for (name, value) in object {
                switch name {
                case "customer", "admin", "unfinished_order_reminders":
                    guard let flag = ShopEventInput.flag(value) else {
                        return AdminResponse.error(.badRequest, "\"\(name)\" is true or false")
                    }
                    if name == "customer" { switches.customer = flag }
                    if name == "admin" { switches.admin = flag }
                    if name == "unfinished_order_reminders" { switches.unfinishedOrderReminders = flag }
                case "disabled":
                    guard let keys = value as? [String] else { return AdminResponse.error(.badRequest, "\"disabled\" is a list of template keys") }
                    let known = Set(mail.notificationKeys)
                    if let unknown = keys.first(where: { !known.contains($0) }) {
                        return AdminResponse.error(.badRequest, "\"\(unknown)\" is not a notification's template key; they are listed in docs/templates.md")
                    }
                    switches = NotificationSwitches(
                        customer: switches.customer, admin: switches.admin, disabled: keys,
                        unfinishedOrderReminders: switches.unfinishedOrderReminders)
                default:
                    return AdminResponse.error(.badRequest, "unknown field \"\(name)\"; the fields are customer, admin, disabled, unfinished_order_reminders")
                }
            }
            try await store.saveNotificationSwitches(switches, now: Date.now.timeIntervalSince1970)
            mail.switches.set(switches)
            return try AdminResponse.json(switches)
        }
    }
}
