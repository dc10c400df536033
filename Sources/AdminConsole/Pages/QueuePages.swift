import Foundation
import HTTPListener
import Hummingbird
import Spool

/// The sysadmin's queue pages (role admin): the dashboard (counts by
/// state, activity plots, top destinations, latest failures), the
/// searchable message list with hold/release/retry/delete, and a
/// message's envelope, attempts and raw text.
struct QueuePages {
    let console: Console

    static let pages = [
        ConsolePage(name: "queue", template: dashboard), ConsolePage(name: "queue-messages", template: list),
        ConsolePage(name: "queue-message", template: message),
    ]

    static let dashboard = """
        <h1>{{t.queue_title}}</h1>
        <p class="lead">{{t.queue_lead}}</p>
        <dl class="figures card" id="queue-counts">
        <div><dt>{{t.messages_queued}}</dt><dd>{{messages}}</dd></div>
        {{#states}}<div><dt>{{label}}</dt><dd><a href="/queue/messages?state={{state}}">{{count}}</a></dd></div>{{/states}}
        </dl>
        <ul class="legend">{{#legend}}<li><span style="background:{{color}}"></span>{{label}}</li>{{/legend}}</ul>
        <div class="grid">
        <section><h2>{{t.last_hour}}</h2>{{{hourPlot}}}</section>
        <section><h2>{{t.last_day}}</h2>{{{dayPlot}}}</section>
        </div>
        <div class="grid">
        <section><h2>{{t.top_destinations}}</h2>
        <div class="table-wrap"><table><thead><tr><th scope="col">{{t.domain}}</th><th scope="col">{{t.recipients}}</th><th scope="col">{{t.deferred}}</th></tr></thead>
        <tbody>{{#destinations}}<tr><td><a href="/queue/messages?domain={{domainQuery}}">{{domain}}</a></td><td>{{recipients}}</td><td>{{deferred}}</td></tr>{{/destinations}}</tbody></table></div>
        </section>
        <section><h2>{{t.latest_deferrals}}</h2>
        <div class="table-wrap"><table><thead><tr><th scope="col">{{t.when}}</th><th scope="col">{{t.recipient}}</th><th scope="col">{{t.reason}}</th></tr></thead>
        <tbody>{{#errors}}<tr><td>{{time}}</td><td><a href="/queue/messages/{{id}}">{{recipient}}</a></td><td class="state-{{state}}">{{status}} {{reply}}</td></tr>{{/errors}}</tbody></table></div>
        </section>
        </div>
        <p><a href="/queue/messages" id="all-messages">{{t.messages}} →</a></p>
        """

    static let list = """
        <h1>{{t.messages}}</h1>
        <form method="get" action="/queue/messages" class="row card" id="queue-search">
        <div class="field"><label for="q-recipient">{{t.recipient}}</label><input type="search" id="q-recipient" name="recipient" value="{{recipient}}"></div>
        <div class="field"><label for="q-sender">{{t.sender}}</label><input type="search" id="q-sender" name="sender" value="{{sender}}"></div>
        <div class="field"><label for="q-domain">{{t.domain}}</label><input type="search" id="q-domain" name="domain" value="{{domain}}"></div>
        <div class="field"><label for="q-state">{{t.state}}</label>
        <select id="q-state" name="state"><option value="">{{t.any}}</option>{{#states}}<option value="{{state}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select></div>
        <button type="submit">{{t.search}}</button>
        </form>
        <form method="post" action="/queue/messages/action" id="queue-actions">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="back" value="{{back}}">
        <div class="actions">
        <button type="submit" name="action" value="hold" id="action-hold" data-confirm="{{t.confirm_bulk}}">{{t.hold}}</button>
        <button type="submit" name="action" value="release" id="action-release" data-confirm="{{t.confirm_bulk}}">{{t.release}}</button>
        <button type="submit" name="action" value="retry" id="action-retry" data-confirm="{{t.confirm_bulk}}">{{t.retry}}</button>
        <button type="submit" name="action" value="delete" id="action-delete" class="danger" data-confirm="{{t.confirm_bulk}}">{{t.delete}}</button>
        </div>
        <p>{{total}} {{t.messages}}</p>
        <div class="table-wrap"><table id="queue-list">
        <thead><tr><th scope="col">{{t.select}}</th><th scope="col">ID</th><th scope="col">{{t.arrived}}</th><th scope="col">{{t.sender}}</th><th scope="col">{{t.recipients}}</th></tr></thead>
        <tbody>
        {{#messages}}
        <tr><td><input type="checkbox" name="id" value="{{id}}" id="select-{{id}}"><label for="select-{{id}}" class="hidden-label">{{t.select}} {{id}}</label></td>
        <td class="mono"><a href="/queue/messages/{{id}}">{{id}}</a></td><td>{{arrived}}</td><td>{{sender}}</td>
        <td>{{#recipients}}<div>{{address}} <span class="tag state-{{state}}">{{stateLabel}}</span></div>{{/recipients}}</td></tr>
        {{/messages}}
        </tbody></table></div>
        </form>
        """

    static let message = """
        <h1 class="mono">{{id}}</h1>
        <p><a href="/queue/messages">{{t.back_to_list}}</a></p>
        <form method="post" action="/queue/messages/action" class="actions" id="message-actions">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="id" value="{{id}}">
        <input type="hidden" name="back" value="/queue/messages/{{id}}">
        <button type="submit" name="action" value="hold" id="action-hold">{{t.hold}}</button>
        <button type="submit" name="action" value="release" id="action-release">{{t.release}}</button>
        <button type="submit" name="action" value="retry" id="action-retry">{{t.retry}}</button>
        <button type="submit" name="action" value="delete" id="action-delete" class="danger" data-confirm="{{t.confirm_bulk}}">{{t.delete}}</button>
        </form>
        <section class="card"><h2>{{t.envelope}}</h2>
        <dl class="figures">
        <div><dt>{{t.arrived}}</dt><dd>{{arrived}}</dd></div><div><dt>{{t.size}}</dt><dd>{{size}}</dd></div>
        <div><dt>{{t.sender}}</dt><dd>{{sender}}</dd></div>{{#client}}<div><dt>{{t.received_from}}</dt><dd>{{client}}</dd></div>{{/client}}
        {{#tags}}<div><dt>{{name}}</dt><dd>{{value}}</dd></div>{{/tags}}
        </dl></section>
        <section class="card"><h2>{{t.attempts}}</h2>
        {{#recipients}}
        <h3>{{address}} <span class="tag state-{{state}}" id="state-{{position}}">{{stateLabel}}</span></h3>
        <div class="table-wrap"><table><tbody>
        {{#history}}<tr><td>{{time}}</td><td class="state-{{state}}">{{state}}</td><td>{{status}} {{reply}}</td></tr>{{/history}}
        </tbody></table></div>
        {{/recipients}}
        </section>
        <section><h2>{{t.raw_text}}</h2><pre id="raw">{{raw}}</pre></section>
        """

    /// The most messages one list page shows.
    static let pageSize = 200
    /// The most of a message's text the page shows.
    static let rawLimit = 256 << 10

    func register(on router: Router<PoshtaRequestContext>) {
        console.get("/queue", on: router, role: .admin) { call in
            let now = Date.now.timeIntervalSince1970
            let stats = try await console.spool.inspector.stats(now: now, topDestinations: 10, latestErrors: 10)
            let hour = try await console.spool.inspector.activity(now: now, bucket: 60, buckets: 60)
            let day = try await console.spool.inspector.activity(now: now, bucket: 900, buckets: 96)
            let labels = (call.t("received"), call.t("delivered"), call.t("deferred"), call.t("bounced"))
            let values: [String: Any] = [
                "messages": stats.messages,
                "states": RecipientState.pending.map { state -> [String: Any] in
                    ["state": state.rawValue, "label": call.t("state_\(state.rawValue)"), "count": stats.recipients[state.rawValue] ?? 0]
                },
                "legend": QueuePlot(title: "", activity: hour, labels: labels).series.map { ["label": $0.label, "color": $0.color] },
                "hourPlot": QueuePlot(title: call.t("last_hour"), activity: hour, labels: labels).svg,
                "dayPlot": QueuePlot(title: call.t("last_day"), activity: day, labels: labels).svg,
                "destinations": stats.destinations.map { destination -> [String: Any] in
                    [
                        "domain": destination.domain, "domainQuery": ConsoleCall.queryValue(destination.domain),
                        "recipients": destination.recipients, "deferred": destination.deferred,
                    ]
                },
                "errors": stats.latestErrors.map { error -> [String: Any] in
                    [
                        "time": Self.time(error.time), "id": error.id, "recipient": error.recipient, "state": error.state.rawValue,
                        "status": error.status, "reply": error.reply,
                    ]
                },
            ]
            return call.page("queue", title: call.t("queue_title"), values: values)
        }
        console.get("/queue/messages", on: router, role: .admin) { call in
            var query = call.query.filter { !$0.value.isEmpty && ["recipient", "sender", "domain", "state"].contains($0.key) }
            query = query.mapValues { $0.trimmingCharacters(in: .whitespaces) }
            let filter: QueueFilter
            do {
                filter = try QueueFilter(query: query)
            } catch {
                return call.page("queue-messages", title: call.t("messages"), values: [:], error: "\(error)", status: .badRequest)
            }
            let listing = try await console.spool.inspector.list(
                filter, limit: Self.pageSize, now: Date.now.timeIntervalSince1970)
            var values: [String: Any] = query
            values["total"] = listing.total
            // Back to this search after an action, without the notice of an earlier one.
            values["back"] = "/queue/messages?" + query.sorted { $0.key < $1.key }.map { "\($0.key)=\(ConsoleCall.queryValue($0.value))" }.joined(separator: "&")
            values["states"] = RecipientState.pending.map { state -> [String: Any] in
                ["state": state.rawValue, "label": call.t("state_\(state.rawValue)"), "selected": query["state"] == state.rawValue]
            }
            values["messages"] = listing.messages.map { entry -> [String: Any] in
                [
                    "id": entry.id, "arrived": Self.time(entry.arrival), "sender": entry.sender.isEmpty ? "<>" : entry.sender,
                    "recipients": entry.recipients.map { recipient -> [String: Any] in
                        [
                            "address": recipient.address, "state": recipient.state.rawValue,
                            "stateLabel": call.strings["state_\(recipient.state.rawValue)"] ?? recipient.state.rawValue,
                        ]
                    },
                ]
            }
            return call.page("queue-messages", title: call.t("messages"), values: values)
        }
        console.get("/queue/messages/{id}", on: router, role: .admin) { call in
            let id = call.context.parameters.get("id") ?? ""
            guard let message = try await console.spool.inspector.message(id) else {
                return call.page("message", title: call.t("messages"), values: ["message": call.t("no_message")], status: .notFound)
            }
            let bytes = try await console.spool.inspector.messageBytes(id) ?? []
            var raw = String(decoding: bytes.prefix(Self.rawLimit), as: UTF8.self)
            if bytes.count > Self.rawLimit { raw += "\n…" }
            let values: [String: Any] = [
                "id": message.id, "arrived": Self.time(message.arrival), "size": message.size,
                "sender": message.sender.isEmpty ? "<>" : message.sender, "client": message.client ?? "",
                "tags": message.tags.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
                "recipients": message.recipients.map { recipient -> [String: Any] in
                    [
                        "position": recipient.position, "address": recipient.address, "state": recipient.state.rawValue,
                        "stateLabel": call.strings["state_\(recipient.state.rawValue)"] ?? recipient.state.rawValue,
                        "history": (recipient.history ?? []).map { attempt -> [String: Any] in
                            ["time": Self.time(attempt.time), "state": attempt.state.rawValue, "status": attempt.status, "reply": attempt.reply]
                        },
                    ]
                },
                "raw": raw,
            ]
            return call.page("queue-message", title: message.id, values: values)
        }
        console.post("/queue/messages/action", on: router, role: .admin) { call in
            let ids = call.form.all("id")
            let back = call.form["back"].flatMap { $0.hasPrefix("/queue") ? $0 : nil } ?? "/queue/messages"
            guard let action = call.form["action"].flatMap(QueueAction.init(rawValue:)) else {
                return call.done(back, notice: "nothing_selected")
            }
            guard !ids.isEmpty else { return call.done(back, notice: "nothing_selected") }
            let result = try await console.spool.apply(
                action, to: QueueFilter(ids: ids), now: Date.now.timeIntervalSince1970, by: "\(call.session.user) in the console")
            console.logger.notice("console: \(call.session.user): \(action.rawValue) on \(ids.count) message(s), \(result.recipients) recipient(s) changed")
            return call.done(back, notice: "applied", count: result.recipients)
        }
    }

    /// A time as the page shows it: ISO 8601 in UTC, to the second.
    static func time(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }
}
