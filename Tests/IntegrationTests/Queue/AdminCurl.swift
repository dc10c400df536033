import Foundation
import PoshtaTestSupport

/// Asks the admin API with curl: the status code, the body and the response's header section.
func curl(_ url: String, token: String?, method: String = "GET", body: String? = nil) async throws
    -> (status: Int, body: String, headers: String)
{
    var arguments = ["-s", "-S", "-D", "-", "-X", method, "--max-time", "20"]
    if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
    if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
    let result = try await ExternalProcess.run("curl", arguments + [url], timeout: .seconds(30))
    let parts = result.output.components(separatedBy: "\r\n\r\n")
    let headers = parts.first ?? ""
    let status = headers.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return (status, parts.dropFirst().joined(separator: "\r\n\r\n"), headers)
}
