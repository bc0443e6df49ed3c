import TongxinMessages
import TongxinRPC

/// Asks the gateway how many echo instances are ready.
enum HealthProbe {
  typealias Response = Tongxin_System_HealthResponse
  static let method = Tongxin_System_System.Method.Health.descriptor

  static func request() -> Tongxin_System_HealthRequest {
    var request = Tongxin_System_HealthRequest()
    request.services = [Tongxin_Echo_Echo.serviceName]
    return request
  }

  static func serving(_ response: Response, instances: Int) -> Bool {
    response.services.first?.readyInstances == UInt32(instances)
  }
}
