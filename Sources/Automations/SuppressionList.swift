public import ShopStore

/// Takes an address off marketing for good — an unsubscribe by link or by
/// mail, a hard bounce of a marketing mail — and at once: the store puts it
/// on the suppression list and cancels its scheduled jobs in one
/// transaction, then `withdraw` takes its marketing mail still waiting in
/// the queue off the spool (the daemon's part; nothing in tests or tools
/// without a queue).
public struct SuppressionList: Sendable {
    public let store: any ShopStore
    let withdraw: @Sendable (_ email: String, _ reason: String) async -> Void

    public init(store: any ShopStore, withdraw: @escaping @Sendable (_ email: String, _ reason: String) async -> Void = { _, _ in }) {
        self.store = store
        self.withdraw = withdraw
    }

    public func suppress(_ email: String, reason: String, now: Double) async throws {
        try await store.suppress(email, reason: reason, now: now)
        await withdraw(email.lowercased(), reason)
    }
}
