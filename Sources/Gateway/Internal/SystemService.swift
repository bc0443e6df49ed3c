import TongxinMessages
import TongxinProtobuf
import TongxinRPC
import TongxinWire

/// The `system` service, answered by the broker on its own thread.
enum SystemService {
  static let name = Tongxin_System_System.serviceName
  static let methods = Set(Tongxin_System_System.description.methods.map(\.name))
}

extension BrokerCore {
  func answerSystemCall(
    from client: [UInt8], header: Tongxin_Rpc_RequestHeader, payload: [UInt8],
    receivedAt: ContinuousClock.Instant
  ) {
    var response = Tongxin_Rpc_ResponseHeader()
    response.callID = header.callID
    var output: [UInt8] = []
    do {
      output = try systemResponse(method: header.method, payload: payload)
    } catch let error as RPCError {
      response.code = error.code
      response.message = error.message
    } catch {
      response.code = .invalidArgument
      response.message = "request payload: \(error)"
    }
    respond(to: client, header: response, payload: output)
    // Counted only for methods that exist: names a caller makes up must not grow the
    // gateway's memory (found by the fuzz harness, Tests/Fuzz/regressions).
    guard SystemService.methods.contains(header.method) else { return }
    statistics[MethodKey(service: header.service, method: header.method), default: .init()]
      .record(response.code, after: .now - receivedAt)
  }

  private func systemResponse(method: String, payload: [UInt8]) throws -> [UInt8] {
    typealias System = Tongxin_System_System.Method
    switch method {
    case System.Health.descriptor.method:
      return health(try System.Health.Input(serializedBytes: payload)).serializedBytes()
    case System.ListServices.descriptor.method:
      return listServices().serializedBytes()
    case System.GetStats.descriptor.method:
      return stats().serializedBytes()
    case System.Describe.descriptor.method:
      return try describe(try System.Describe.Input(serializedBytes: payload)).serializedBytes()
    default:
      throw RPCError(
        code: .unimplemented, message: "service \"system\" has no method \"\(method)\"")
    }
  }

  private func health(_ request: Tongxin_System_HealthRequest) -> Tongxin_System_HealthResponse {
    let names =
      request.services.isEmpty
      ? services.values.filter { $0.description != nil }.map(\.name).sorted()
      : request.services
    var response = Tongxin_System_HealthResponse()
    response.services = names.map { name in
      var health = Tongxin_System_ServiceHealth()
      health.service = name
      if name == SystemService.name {
        health.status = .serving
        health.readyInstances = 1
      } else if let state = services[name], state.description != nil {
        health.readyInstances = UInt32(state.readyInstances)
        health.status = state.readyInstances > 0 ? .serving : .notServing
      } else {
        health.status = .unknown
      }
      return health
    }
    return response
  }

  private func listServices() -> Tongxin_System_ListServicesResponse {
    let now = ContinuousClock.now
    var response = Tongxin_System_ListServicesResponse()
    var system = Tongxin_System_ServiceInfo()
    system.service = SystemService.name
    system.builtin = true
    response.services = [system]
    for state in services.values.sorted(by: { $0.name < $1.name }) where state.description != nil {
      var info = Tongxin_System_ServiceInfo()
      info.service = state.name
      info.queued = UInt32(clamping: state.queue.count { pending[$0] != nil })
      info.instances = state.instances.sorted { $0.instanceID < $1.instanceID }.map { instance in
        var item = Tongxin_System_InstanceInfo()
        item.instanceID = instance.instanceID
        item.version = instance.version
        item.maxConcurrency = UInt32(clamping: instance.maxConcurrency)
        item.inFlight = UInt32(clamping: instance.inFlight.count)
        item.lastHeartbeatMsAgo = UInt64(clamping: (now - instance.lastHeard).wholeMilliseconds)
        item.calls = instance.calls
        item.draining = instance.draining
        return item
      }
      response.services.append(info)
    }
    return response
  }

  private func stats() -> Tongxin_System_GetStatsResponse {
    var response = Tongxin_System_GetStatsResponse()
    response.pendingCalls = UInt64(pending.count)
    response.uptimeMs = UInt64(clamping: (ContinuousClock.now - startedAt).wholeMilliseconds)
    response.methods = statistics.keys.sorted().map { key in
      let value = statistics[key]!
      var method = Tongxin_System_MethodStats()
      method.service = key.service
      method.method = key.method
      method.calls = value.calls
      method.errors = value.errors.sorted { $0.key.rawValue < $1.key.rawValue }.map {
        var count = Tongxin_System_StatusCount()
        count.code = $0.key
        count.count = $0.value
        return count
      }
      method.latencyP50Ms = value.latency.percentile(0.5)
      method.latencyP99Ms = value.latency.percentile(0.99)
      return method
    }
    return response
  }

  private func describe(_ request: Tongxin_System_DescribeRequest) throws
    -> Tongxin_System_DescribeResponse
  {
    var all = [Tongxin_System_System.description]
    all += services.values.compactMap(\.description).sorted { $0.name < $1.name }
    var response = Tongxin_System_DescribeResponse()
    response.services = request.service.isEmpty ? all : all.filter { $0.name == request.service }
    if response.services.isEmpty {
      throw RPCError(code: .notFound, message: "unknown service \"\(request.service)\"")
    }
    return response
  }
}
