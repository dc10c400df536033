import Foundation
import HTTPListener
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

    func register(on router: Router<PoshtaRequestContext>) {
        router.get("/v1/notifications") { _, _ in
            try AdminResponse.json(mail.switches.current)
        }
        router.put("/v1/notifications") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 10)
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                return AdminResponse.error(.badRequest, "the body is a JSON object: customer, admin, disabled, unfinished_order_reminders")
            }
            do {
                return try AdminResponse.json(try await mail.changeNotifications(object, in: store))
            } catch let error as ShopEventError {
                return AdminResponse.error(.badRequest, error.description)
            }
        }
    }
}
