public import Foundation
import Synchronization

/// The templates a running daemon renders with, reloaded when their files
/// change: the shop owner edits a file (or the console writes one) and the
/// next mail uses it, without a restart. A set that fails to load — a
/// template that does not parse, a schema that does not read — is not
/// taken: the last good one stays and the failure is reported.
///
/// Changes are found by a fingerprint of every file's path, size and
/// modification time under the folder; `reloadIfChanged` is called on a
/// timer (and on SIGHUP) by the daemon.
public final class TemplateSet: Sendable {
    /// What a reload attempt found.
    public enum ReloadOutcome: Sendable, Equatable {
        case unchanged
        case reloaded(files: Int)
        /// The files changed but do not load; the old templates stay.
        case failed(String)
    }

    private struct State {
        var renderer: TemplateRenderer
        var fingerprint: Fingerprint
    }

    private let state: Mutex<State>
    public let directory: String

    /// Loads the set; throws when it does not load (the daemon does not start without templates).
    public init(directory: String, shop: ShopIdentity, defaultLocale: String) async throws(TemplateError) {
        self.directory = directory
        let fingerprint = Fingerprint(directory: directory)
        let renderer = try await TemplateRenderer(directory: directory, shop: shop, defaultLocale: defaultLocale)
        state = Mutex(State(renderer: renderer, fingerprint: fingerprint))
    }

    /// The templates to render the next mail with.
    public var current: TemplateRenderer {
        state.withLock { $0.renderer }
    }

    /// Reloads when a file under the folder was added, removed or changed.
    public func reloadIfChanged() async -> ReloadOutcome {
        let fingerprint = Fingerprint(directory: directory)
        let (old, renderer) = state.withLock { ($0.fingerprint, $0.renderer) }
        guard fingerprint != old else { return .unchanged }
        do {
            let fresh = try await TemplateRenderer(
                directory: directory, shop: renderer.shop, defaultLocale: renderer.defaultLocale)
            state.withLock { $0 = State(renderer: fresh, fingerprint: fingerprint) }
            return .reloaded(files: fingerprint.files)
        } catch {
            // Remember the broken state, so that it is reported once, not every tick.
            state.withLock { $0.fingerprint = fingerprint }
            return .failed(error.description)
        }
    }

    /// Every file's relative path, size and modification time, in order.
    struct Fingerprint: Equatable {
        var entries: [String] = []
        var files: Int { entries.count }

        init(directory: String) {
            let manager = FileManager.default
            guard let enumerator = manager.enumerator(atPath: directory) else { return }
            for case let path as String in enumerator {
                guard let attributes = try? manager.attributesOfItem(atPath: "\(directory)/\(path)"),
                    attributes[.type] as? FileAttributeType == .typeRegular
                else { continue }
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                entries.append("\(path)\t\(size)\t\(modified)")
            }
            entries.sort()
        }
    }
}
