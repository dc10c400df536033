import Foundation
import HTTPListener
import Hummingbird
import SMTPProtocol
import ShopMail

/// `POST /v1/messages` and `POST /v1/events`: the shop's door for those who
/// speak HTTP rather than SMTP. The JSON is described in `ShopSubmission`;
/// the answer says what became of it, with the same sentence an SMTP client
/// would read.
struct SubmissionRoutes {
    let submission: ShopSubmission

    /// A mail with its data, or a raw message, fits; a larger body is refused unread.
    static let maximumBody = 32 << 20

    func register(on router: Router<PoshtaRequestContext>) {
        router.post("/v1/messages") { request, _ in
            var request = request
            guard let object = try await Self.object(&request) else {
                return AdminResponse.error(.badRequest, "the body is not a JSON object")
            }
            return try Self.response(await submission.message(object))
        }
        router.post("/v1/events") { request, _ in
            var request = request
            guard let object = try await Self.object(&request) else {
                return AdminResponse.error(.badRequest, "the body is not a JSON object")
            }
            return try Self.response(await submission.event(object))
        }
    }

    static func object(_ request: inout Request) async throws -> [String: Any]? {
        let body = try await request.collectBody(upTo: maximumBody)
        return try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
    }

    static func response(_ answer: ShopSubmission.Answer) throws -> Response {
        switch answer {
        case .queued(let id):
            return try AdminResponse.json(["queued": id], status: .accepted)
        case .suppressed(let reason):
            return try AdminResponse.json(["suppressed": reason])
        case .handled(let text):
            return try AdminResponse.json(["recorded": text], status: .accepted)
        case .refused(let reply):
            return try AdminResponse.json(
                SubmissionRefusal(error: reply.lines.joined(separator: " "), smtpCode: reply.code,
                                  enhancedCode: reply.enhancedCode?.description),
                status: .unprocessableContent)
        case .unavailable(let reason):
            return AdminResponse.error(.serviceUnavailable, "not taken, try again: \(reason)")
        }
    }
}

/// A refused submission: the sentence and the codes SMTP would have given.
struct SubmissionRefusal: Encodable {
    var error: String
    var smtpCode: Int
    var enhancedCode: String?
}
