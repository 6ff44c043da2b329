/// The version `--version` prints. Semantic versioning; 0.x while the layout format and the CLI
/// may still change. Bump it with every change users can see in a release.
enum ExplorerVersion {
    static let current = "0.18.0"
}
