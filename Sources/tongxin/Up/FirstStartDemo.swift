import Foundation
import Logging
import ServiceLifecycle
import TongxinApp
import TongxinDemo
import TongxinMessages
import TongxinRPC

/// Loads the demo data once the services are up, the first time `tongxin up` runs on a data
/// folder; a marker file remembers it (loading again would change nothing, but takes time).
struct FirstStartDemo: Service {
  let frontend: String
  let security: CurveClientSecurity?
  let dataFolder: String
  let services: [String]
  let logger: Logger

  private var marker: String { (dataFolder as NSString).appendingPathComponent(".demo-loaded") }

  func run() async throws {
    guard !FileManager.default.fileExists(atPath: marker), !DemoLoader.parts.isEmpty else {
      return
    }
    var clientLogger = logger
    clientLogger.logLevel = .error
    var configuration = RPCClient.Configuration(endpoint: frontend)
    configuration.security = security
    let client = try RPCClient(configuration: configuration, logger: clientLogger)
    defer { client.close() }
    do {
      try await waitUntilServing(client)
      for line in try await DemoLoader.loadAll(through: client) {
        logger.info("demo data loaded: \(line)")
      }
      _ = FileManager.default.createFile(atPath: marker, contents: Data())
    } catch is CancellationError {
      return
    } catch {
      logger.error("loading the demo data failed (run `tongxin demo load` to retry): \(error)")
    }
  }

  private func waitUntilServing(_ client: RPCClient) async throws {
    let system = Tongxin_System_System.Client(wrapping: client)
    var request = Tongxin_System_HealthRequest()
    request.services = services
    while true {
      try Task.checkCancellation()
      let health = try? await system.health(request, options: CallOptions(timeout: .seconds(1)))
      if let health, health.services.allSatisfy({ $0.status == .serving }) { return }
      try await Task.sleep(for: .milliseconds(250))
    }
  }
}
