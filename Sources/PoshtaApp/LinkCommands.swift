import Foundation

/// `poshta install-links DIR`: the names Postfix installs, as links to poshta,
/// so that PHP's mail() (sendmail) and a sysadmin's fingers (mailq) find it.
public enum LinkCommands {
    /// The link names and what each runs.
    static let names = ["sendmail": "poshta sendmail", "mailq": "poshta queue list"]

    /// Creates the links; an existing file of the same name is kept unless
    /// `force` (it is likely another MTA's), a link to this poshta is left as is.
    public static func install(in directory: String, force: Bool) -> Int32 {
        let target = executablePath()
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            Commands.printError("poshta install-links: \(directory) is not a folder")
            return 1
        }
        var status: Int32 = 0
        for (name, meaning) in names.sorted(by: { $0.key < $1.key }) {
            let link = (directory as NSString).appendingPathComponent(name)
            if let existing = try? files.destinationOfSymbolicLink(atPath: link), existing == target {
                print("\(link) -> \(target) (already there: \(meaning))")
                continue
            }
            if (try? files.attributesOfItem(atPath: link)) != nil {
                guard force else {
                    Commands.printError(
                        "poshta install-links: \(link) exists (another MTA's?); left alone — remove it or use --force")
                    status = 1
                    continue
                }
                do {
                    try files.removeItem(atPath: link)
                } catch {
                    Commands.printError("poshta install-links: cannot replace \(link): \(error.localizedDescription)")
                    status = 1
                    continue
                }
            }
            do {
                try files.createSymbolicLink(atPath: link, withDestinationPath: target)
                print("\(link) -> \(target) (\(meaning))")
            } catch {
                Commands.printError("poshta install-links: cannot create \(link): \(error.localizedDescription)")
                status = 1
            }
        }
        return status
    }

    /// This program's absolute path, links resolved (so the links survive a change of directory).
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
