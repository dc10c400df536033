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
        guard Self.isAPI(request.uri.path) else { return try await next(request, context) }
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

    /// Whether the path is the API's, decided as the router decides: by its
    /// first non-empty segment, so that `//v1/queue` or `/metrics/` (which
    /// the router serves as `/v1/queue` and `/metrics`) need the token too.
    static func isAPI(_ path: String) -> Bool {
        let first = path.split(separator: "/", omittingEmptySubsequences: true).first
        return first == "v1" || first == "metrics"
    }
}
