@testable import PoshtaApp

/// What the configuration test suites share: a fixed path for the file
/// being parsed, and parsing that returns the value or the error.
protocol ConfigurationParsing {}

extension ConfigurationParsing {
    static var path: String { "/srv/poshta/conf/poshta.toml" }

    func parse(_ text: String, path: String = Self.path) throws -> PoshtaConfiguration {
        try PoshtaConfiguration.parse(text, path: path)
    }

    /// The error `text` is rejected with.
    func failure(_ text: String, path: String = Self.path) -> ConfigurationError? {
        do {
            _ = try PoshtaConfiguration.parse(text, path: path)
            return nil
        } catch {
            return error
        }
    }
}
