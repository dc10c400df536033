import HTTPTypes
import Hummingbird
import Logging

/// Lets a request for the API (`/v1/…`, `/metrics`) through only with
/// `Authorization: Bearer <token>`; anything else gets 401 with a JSON
/// sentence and a log line, and nothing runs. Other paths are the
/// console's, which has its own sign-in.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: AdminToken
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path == "/v1" || path == "/metrics" else {
            return try await next(request, context)
        }
        let header = request.headers[.authorization] ?? ""
        let scheme = "bearer "
        if header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme,
            token.matches(header.dropFirst(scheme.count).drop(while: { $0 == " " }))
        {
            return try await next(request, context)
        }
        let reason =
            header.isEmpty
            ? "this API needs the header Authorization: Bearer <token>, with the token from [admin] token_file"
            : "the bearer token is wrong; it is in [admin] token_file"
        logger.warning("admin API: refused \(request.method) \(request.uri.path): \(header.isEmpty ? "no token" : "wrong token")")
        var response = AdminResponse.error(.unauthorized, reason)
        response.headers[.wwwAuthenticate] = "Bearer realm=\"poshta\""
        return response
    }
}
