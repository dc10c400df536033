import Foundation
import Spool
import Templates

/// A line plot of the queue's activity as inline SVG, drawn on the server:
/// one line per series over the buckets, in mail per minute (a bucket
/// longer than a minute shows its average), a y axis from 0 to the largest
/// value, and the time at both ends. No chart library, no script.
struct QueuePlot {
    struct Series {
        var label: String
        var color: String
        /// Mail per minute in each bucket.
        var values: [Double]
    }

    var title: String
    var series: [Series]
    var start: Date
    var end: Date

    static let width = 600.0
    static let height = 180.0
    static let margin = (left: 36.0, right: 8.0, top: 10.0, bottom: 22.0)

    static let colors = (received: "#1a5fb4", delivered: "#2f6b45", deferred: "#bc4c00", bounced: "#c62828")

    init(title: String, activity: QueueActivity, labels: (received: String, delivered: String, deferred: String, bounced: String)) {
        self.title = title
        let minutes = max(1, activity.bucket / 60)
        func perMinute(_ counts: [Int]) -> [Double] { counts.map { Double($0) / minutes } }
        series = [
            Series(label: labels.received, color: Self.colors.received, values: perMinute(activity.received)),
            Series(label: labels.delivered, color: Self.colors.delivered, values: perMinute(activity.delivered)),
            Series(label: labels.deferred, color: Self.colors.deferred, values: perMinute(activity.deferred)),
            Series(label: labels.bounced, color: Self.colors.bounced, values: perMinute(activity.bounced)),
        ]
        start = Date(timeIntervalSince1970: activity.start)
        // The last bucket is still filling: the axis ends now, not at its end.
        end = min(Date(), Date(timeIntervalSince1970: activity.start + activity.bucket * Double(activity.received.count)))
    }

    /// The `<svg>` element, with a `<title>` for screen readers.
    var svg: String {
        let plotWidth = Self.width - Self.margin.left - Self.margin.right
        let plotHeight = Self.height - Self.margin.top - Self.margin.bottom
        let count = series.first?.values.count ?? 0
        let top = max(1, series.flatMap(\.values).max() ?? 0)
        func x(_ index: Int) -> Double { Self.margin.left + (count > 1 ? plotWidth * Double(index) / Double(count - 1) : 0) }
        func y(_ value: Double) -> Double { Self.margin.top + plotHeight * (1 - value / top) }
        let clock = Date.FormatStyle(date: .omitted, time: .shortened)
        var text = """
            <svg class="plot" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" xmlns="http://www.w3.org/2000/svg">\
            <title>\(HTMLText.escaped(title))</title>
            """
        let bottom = Self.margin.top + plotHeight
        text += "<line x1=\"\(Self.margin.left)\" y1=\"\(bottom)\" x2=\"\(Self.width - Self.margin.right)\" y2=\"\(bottom)\" stroke=\"#afb8c1\"/>"
        text += "<line x1=\"\(Self.margin.left)\" y1=\"\(Self.margin.top)\" x2=\"\(Self.margin.left)\" y2=\"\(bottom)\" stroke=\"#afb8c1\"/>"
        text += "<text x=\"\(Self.margin.left - 4)\" y=\"\(Self.margin.top + 8)\" font-size=\"10\" text-anchor=\"end\">\(top.formatted(.number.precision(.fractionLength(0...1))))</text>"
        text += "<text x=\"\(Self.margin.left - 4)\" y=\"\(bottom)\" font-size=\"10\" text-anchor=\"end\">0</text>"
        text += "<text x=\"\(Self.margin.left)\" y=\"\(Self.height - 6)\" font-size=\"10\">\(start.formatted(clock))</text>"
        text += "<text x=\"\(Self.width - Self.margin.right)\" y=\"\(Self.height - 6)\" font-size=\"10\" text-anchor=\"end\">\(end.formatted(clock))</text>"
        for line in series {
            let points = line.values.enumerated().map { index, value in
                String(format: "%.1f,%.1f", x(index), y(value))
            }.joined(separator: " ")
            text += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\" points=\"\(points)\"><title>\(HTMLText.escaped(line.label))</title></polyline>"
        }
        return text + "</svg>"
    }
}
