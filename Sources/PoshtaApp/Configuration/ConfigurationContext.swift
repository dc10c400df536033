/// What every section needs while it is read: where the file is, how to name
/// lines in errors, and how to resolve relative paths.
struct ConfigurationContext: Sendable {
    /// The file as named by the caller, used in error messages.
    let file: String
    /// The absolute, normalized path of the file.
    let absoluteFile: String
    /// The absolute folder holding the file; relative paths resolve against it.
    let folder: String
    let locator: TOMLKeyLocator

    init(file: String, text: String) {
        self.file = file
        self.absoluteFile = ConfigurationPaths.absolute(file, relativeTo: ConfigurationPaths.currentDirectory())
        self.folder = ConfigurationPaths.parent(of: absoluteFile)
        self.locator = TOMLKeyLocator(text: text)
    }

    /// An error about `key`, on the line where the key (or its table) is written.
    func error(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, key: key, line: locator.line(for: key), message: message)
    }

    /// A path from the file, made absolute against the file's folder.
    func resolve(_ path: String) -> String {
        ConfigurationPaths.absolute(path, relativeTo: folder)
    }
}
