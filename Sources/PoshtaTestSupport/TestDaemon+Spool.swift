import Foundation
import Spool

/// What a test checks on the spool when a message must not have been queued.
extension TestDaemon {
    /// Recipients on the spool in any state; 0 when nothing was ever queued.
    public func spooledRecipientCount() async throws -> Int {
        try await spool.stateCounts().values.reduce(0, +)
    }

    /// Bytes in segment files: 0 when no record was ever written.
    public func segmentBytes() -> Int {
        let folder = spool.segmentsDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)")
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }

    /// The recipients of a queued message and their states, e.g. `["b@x": "delivered"]`.
    public func recipientStates(of id: String) async throws -> [String: String] {
        guard let queueID = QueueID(id) else { return [:] }
        var states: [String: String] = [:]
        for entry in try await spool.recipientStates(of: queueID) { states[entry.address] = entry.state.rawValue }
        return states
    }
}
