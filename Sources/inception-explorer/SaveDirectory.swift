import Foundation
import InceptionCore

/// `run --save DIR` and `import --weights DIR`: the files go into a staging directory that becomes
/// DIR as a whole when every one was written (`AtomicDirectory`: staged beside the resolved DIR,
/// swapped in at once, locked against a second save, parent folders made only then). A failure
/// leaves DIR as it was and creates nothing, and no file of the set may replace one the command
/// reads (`reads`).
struct SaveDirectory {
    let directory: AtomicDirectory

    init(_ target: String) throws(Failure) {
        do { directory = try AtomicDirectory(target) } catch { throw Failure(error.description) }
    }

    /// Where the set is written until `commit`.
    var staging: String { directory.staging }

    func path(_ name: String) -> String { directory.file(name) }

    func commit(protecting reads: ReadFiles) throws(Failure) {
        do { try directory.commit(protecting: reads) } catch { throw Failure(error.description) }
    }

    func abandon() { directory.abandon() }

    /// `message` with the staging folder's path shown as the user's DIR.
    func userPath(_ message: String, shownAs dir: String) -> String {
        message.replacingOccurrences(of: PathText.shown(staging), with: PathText.shown(dir))
            .replacingOccurrences(of: staging, with: dir)
    }
}
