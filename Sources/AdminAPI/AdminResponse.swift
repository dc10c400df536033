import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Responses of the admin API: JSON bodies, errors as `{"error": "…"}`.
enum AdminResponse {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var body = ByteBuffer(data: try AdminJSON.encode(value))
        body.writeString("\n")
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: body))
    }

    static func error(_ status: HTTPResponse.Status, _ sentence: String) -> Response {
        // Encoding a one-string struct cannot fail; fall back to an empty body if it ever did.
        (try? json(AdminErrorBody(error: sentence), status: status)) ?? Response(status: status)
    }

    static func bytes(_ bytes: [UInt8], contentType: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
