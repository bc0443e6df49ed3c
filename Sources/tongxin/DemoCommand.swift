import ArgumentParser
import TongxinDemo

/// `tongxin demo load`: the demo data of DOMAIN.md, through the services' RPCs.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Demo data.", subcommands: [Load.self])

  struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "load",
      abstract: "Load the demo data; loading it again changes nothing.")

    @OptionGroup var options: GatewayOptions

    func run() async throws {
      let client = try options.makeClient()
      defer { client.close() }
      do {
        for line in try await DemoLoader.loadAll(through: client) { print(line) }
      } catch {
        throw ValidationFailure("loading the demo data failed: \(error)")
      }
    }
  }
}
