import Foundation
import MIME
import ShopMail
import Templates

/// `poshta template check|preview`: the shop owner's and the template
/// author's view of `[shop] templates`, without sending anything.
public enum TemplateCommands {
    /// `poshta template check`: every key in every locale rendered with its
    /// sample data and built into a message; any failure is printed and the
    /// status is 1.
    public static func check(configurationPath: String) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        do {
            let renderer = try await makeRenderer(configuration)
            var failures = 0
            var rendered = 0
            for key in renderer.keys {
                let data: [String: Any]
                do {
                    data = try sample(key, renderer)
                } catch {
                    print("\(key): \(error)")
                    failures += 1
                    continue
                }
                for locale in renderer.locales {
                    do {
                        let mail = try renderer.render(key, locale: locale, data: data, unsubscribeURL: "\(configuration.shop.url)/unsubscribe")
                        _ = try message(mail, data: data, configuration: configuration)
                        rendered += 1
                    } catch {
                        print("\(locale)/\(key): \(error)")
                        failures += 1
                    }
                }
            }
            // The fragments of X-Shop-Blocks and X-Shop-Layout, with their own sample.
            let fragments = ["enrichment.html", "enrichment.text", "wrapped.html", "wrapped.text"]
            do {
                let data = try sample("enrichment", renderer)
                for locale in renderer.locales {
                    for fragment in fragments {
                        do {
                            _ = try renderer.renderFragment(fragment, locale: locale, data: data)
                            rendered += 1
                        } catch {
                            print("\(locale)/\(fragment): \(error)")
                            failures += 1
                        }
                    }
                }
            } catch {
                print("enrichment: \(error)")
                failures += 1
            }
            print("\(rendered) rendered (\(renderer.keys.count) keys and \(fragments.count) fragments × \(renderer.locales.joined(separator: ", "))), \(failures) failed")
            return failures == 0 ? 0 : 1
        } catch {
            Commands.printError("poshta template check: \(error)")
            return 1
        }
    }

    /// `poshta template preview KEY`: prints the subject and text, writes the
    /// HTML (and with `emlFile`, the whole message) to files.
    public static func preview(
        configurationPath: String, key: String, locale: String?, dataFile: String?, htmlFile: String?, emlFile: String?
    ) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        do {
            let renderer = try await makeRenderer(configuration)
            guard renderer.schema(key) != nil else { throw TemplateError.unknownKey(key) }
            let data = try dataFile.map(readJSON) ?? sample(key, renderer)
            let mail = try renderer.render(key, locale: locale, data: data, unsubscribeURL: "\(configuration.shop.url)/unsubscribe")
            if let locale, mail.locale != locale {
                Commands.printError("poshta template preview: no \(locale) templates; rendered in \(mail.locale)")
            }
            print("Subject: \(mail.subject)\n")
            print(mail.text)
            let html = htmlFile ?? "\(key).\(mail.locale).html"
            try Data(mail.html.utf8).write(to: URL(fileURLWithPath: html))
            print("HTML written to \(html)")
            if let emlFile {
                try Data(try message(mail, data: data, configuration: configuration)).write(to: URL(fileURLWithPath: emlFile))
                print("message written to \(emlFile)")
            }
            return 0
        } catch {
            Commands.printError("poshta template preview: \(error)")
            return 1
        }
    }

    /// `poshta template send-test KEY --to ADDRESS`: the key's sample (or
    /// `dataFile`) sent to the running daemon as the shop would send it, so
    /// that the whole path — rendering, coupon, blocks, delivery — is tried.
    public static func sendTest(
        configurationPath: String, key: String, locale: String?, dataFile: String?, to address: String
    ) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        do {
            let renderer = try await makeRenderer(configuration)
            guard renderer.schema(key) != nil else { throw TemplateError.unknownKey(key) }
            guard ShopSection.isAddress(address) else { throw TemplateCommandError("--to: \"\(address)\" is not an address") }
            let data = try dataFile.map(readJSON) ?? sample(key, renderer)
            // Pretty-printed: SMTP lines end at 998 octets.
            let json = String(decoding: try JSONSerialization.data(withJSONObject: data, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
            var text = "From: \(configuration.shop.from)\r\nTo: \(address)\r\nSubject: \(key) (test)\r\n"
            text += "X-Shop-Template: \(key)\r\n"
            if let locale { text += "X-Shop-Locale: \(locale)\r\n" }
            text += "Content-Type: application/json; charset=utf-8\r\n\r\n"
            text += json.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
            let message = SendmailMessage(
                sender: configuration.shop.from, recipients: [address], content: Array(text.utf8), eightBitMIME: true)
            let target = try SubmissionTarget.choose(from: configuration.listeners, file: configuration.file)
            let reply = try await SendmailSubmission.send(message, to: target, heloName: configuration.server.hostname)
            print("\(key) to \(address): \(reply)")
            return 0
        } catch {
            Commands.printError("poshta template send-test: \(error)")
            return 1
        }
    }

    /// `poshta template bench KEY`: renders the key's sample (its order grown
    /// to `items` lines) `count` times on one task, then builds the mails,
    /// and prints both rates. A benchmark, run on demand in a release build.
    public static func bench(configurationPath: String, key: String, locale: String, count: Int, items: Int) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        do {
            let renderer = try await makeRenderer(configuration)
            var data = try sample(key, renderer)
            if var order = data["order"] as? [String: Any], let lines = order["items"] as? [[String: Any]], !lines.isEmpty {
                order["items"] = (0..<items).map { index -> [String: Any] in
                    var line = lines[index % lines.count]
                    line["sku"] = "\(line["sku"] ?? "SKU")-\(index)"
                    return line
                }
                data["order"] = order
            }
            var mail = try renderer.render(key, locale: locale, data: data)
            let clock = ContinuousClock()
            let rendering = try clock.measure {
                for _ in 0..<count { mail = try renderer.render(key, locale: locale, data: data) }
            }
            let building = try clock.measure {
                for _ in 0..<count { _ = try message(mail, data: data, configuration: configuration) }
            }
            func rate(_ duration: Duration) -> String {
                let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
                return String(format: "%.0f/s (%.3f ms each)", Double(count) / seconds, seconds * 1000 / Double(count))
            }
            print("\(key) in \(mail.locale), \(items) order lines, \(count) times on one task")
            print("render (subject, text, HTML): \(rate(rendering))")
            print("build the MIME message:       \(rate(building))")
            return 0
        } catch {
            Commands.printError("poshta template bench: \(error)")
            return 1
        }
    }

    static func makeRenderer(_ configuration: PoshtaConfiguration) async throws -> TemplateRenderer {
        try await TemplateRenderer(
            directory: configuration.shop.templates, shop: shopIdentity(configuration),
            defaultLocale: configuration.shop.defaultLocale)
    }

    /// What the templates show of the shop, from `[shop]`.
    static func shopIdentity(_ configuration: PoshtaConfiguration) -> ShopIdentity {
        let shop = configuration.shop
        return ShopIdentity(
            name: shop.name, url: shop.url, logoURL: shop.logoURL, email: shop.email, phone: shop.phone,
            address: shop.address, currency: shop.currency)
    }

    /// The finished message: From the shop, To the customer of the data.
    static func message(_ mail: TemplateRenderer.Rendered, data: [String: Any], configuration: PoshtaConfiguration) throws -> [UInt8] {
        let customer = data["customer"] as? [String: Any]
        let address = (customer?["email"] as? String) ?? "customer@example.com"
        return try ShopMailComposer(hostname: configuration.server.hostname).compose(
            mail, from: .init(configuration.shop.from, displayName: configuration.shop.name),
            to: [.init(address, displayName: customer?["name"] as? String)])
    }

    static func sample(_ key: String, _ renderer: TemplateRenderer) throws -> [String: Any] {
        try renderer.sample(key)
    }

    static func readJSON(_ path: String) throws -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TemplateCommandError("cannot read \(path)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TemplateCommandError("\(path) is not a JSON object")
        }
        return object
    }
}

/// A template command could not go on; the text says why.
struct TemplateCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
