import ArgumentParser

/// `tongxin`: the command line for people and scripts.
@main
struct TongxinCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tongxin",
    abstract: "Talk to a Tongxin gateway: health, services, statistics, descriptions, benchmarks.",
    subcommands: [
      HealthCommand.self, ListCommand.self, StatsCommand.self, DescribeCommand.self, CallCommand.self, DemoCommand.self,
      UpCommand.self, KeygenCommand.self, BenchCommand.self, BenchEchoCommand.self, BenchProxyCommand.self,
      BenchCallerCommand.self,
      ChaosCommand.self,
    ])
}
