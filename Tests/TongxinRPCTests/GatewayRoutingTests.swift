import Foundation
import Gateway
import Testing
import TongxinMessages
import TongxinRPC

@Suite("Routing through a real gateway", .serialized)
struct GatewayRoutingTests {
  @Test("a call reaches an instance and comes back unchanged")
  func echoRoundTrip() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-a")
    var request = echoRequest("同心活动室 welcomes 91 delegations")
    request.payload = (0..<200).map { UInt8($0) }
    let response = try await cluster.echo.echo(request)
    #expect(response.text == request.text)
    #expect(response.payload == request.payload)
    #expect(response.instanceID == "echo-a")
    await cluster.shutdown()
  }

  @Test("three instances share 300 calls")
  func loadIsShared() async throws {
    let cluster = try TestCluster()
    for name in ["echo-1", "echo-2", "echo-3"] { _ = try await cluster.startEcho(id: name) }
    let echo = cluster.echo
    let answeredBy = try await withThrowingTaskGroup(of: String.self) { group in
      for index in 0..<300 {
        group.addTask { try await echo.echo(echoRequest("call \(index)")).instanceID }
      }
      return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
    }
    #expect(answeredBy.values.reduce(0, +) == 300)
    #expect(Set(answeredBy.keys) == ["echo-1", "echo-2", "echo-3"])
    #expect(answeredBy.values.allSatisfy { $0 >= 50 }, "uneven: \(answeredBy)")
    await cluster.shutdown()
  }

  @Test("every sample field survives the trip through gateway and instance")
  func mirrorSample() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-m")
    var sample = Tongxin_Echo_Sample()
    sample.text = "新联会 42 位创始会员"
    sample.numbers = [-1, 0, Int64.max]
    sample.labels = ["room": "凝心聚力多功能室"]
    sample.choice = .choiceNumber(2017)
    sample.maybeText = ""
    let mirrored = try await cluster.echo.mirror(sample)
    #expect(mirrored == sample)
    await cluster.shutdown()
  }

  @Test("a handler's status reaches the caller", arguments: [
    StatusCode.notFound, .alreadyExists, .aborted, .failedPrecondition, .permissionDenied,
  ])
  func handlerStatus(code: StatusCode) async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-f")
    var request = Tongxin_Echo_FailRequest()
    request.code = code
    request.message = "person 42 not found"
    do {
      _ = try await cluster.echo.fail(request)
      Issue.record("the call succeeded")
    } catch let error as RPCError {
      #expect(error.code == code)
      #expect(error.message == "person 42 not found")
    }
    await cluster.shutdown()
  }

  @Test("a deadline shorter than the work ends the call with DEADLINE_EXCEEDED")
  func deadlineExceeded() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-d")
    let work = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 2_000 }
    let started = ContinuousClock.now
    let code = await RPCError.code {
      _ = try await cluster.echo.work(work, options: CallOptions(timeout: .milliseconds(200)))
    }
    #expect(code == .deadlineExceeded)
    #expect(ContinuousClock.now - started < .seconds(1))
    #expect(try await cluster.pendingCalls() == 0)
    await cluster.shutdown()
  }

  @Test("a call that expires while waiting for an instance is never run")
  func expiredCallsAreSkipped() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-busy", maxConcurrency: 1)
    let echo = cluster.echo
    let work = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 500 }
    let busy = Task { try await echo.work(work) }
    try await Task.sleep(for: .milliseconds(50))
    var count = Tongxin_Echo_CountRequest()
    count.tag = "expired"
    let code = await RPCError.code {
      _ = try await echo.count(count, options: CallOptions(timeout: .milliseconds(100)))
    }
    #expect(code == .deadlineExceeded)
    #expect(try await busy.value.finished)
    count.tag = "expired"
    // The expired write never ran: the next one is the first.
    #expect(try await echo.count(count).count == 1)
    await cluster.shutdown()
  }

  @Test("unknown services and methods are UNIMPLEMENTED")
  func unknownMethods() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-u")
    let unknownService = await RPCError.code {
      _ = try await cluster.client.call(service: "membrship", method: "GetPerson", payload: [])
    }
    #expect(unknownService == .unimplemented)
    let unknownMethod = await RPCError.code {
      _ = try await cluster.client.call(service: "echo", method: "Ech", payload: [])
    }
    #expect(unknownMethod == .unimplemented)
    await cluster.shutdown()
  }

  @Test("a call waits for an instance that starts later")
  func waitsForInstance() async throws {
    let cluster = try TestCluster { $0.startupGrace = .seconds(30) }
    let echo = cluster.echo
    let call = Task { try await echo.echo(echoRequest("patient")) }
    try await Task.sleep(for: .milliseconds(200))
    _ = try await cluster.startEcho(id: "echo-late")
    #expect(try await call.value.text == "patient")
    await cluster.shutdown()
  }

  @Test("a write that waited for its service to register is audited when it ends")
  func writeFromTheStartupGraceIsAudited() async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-grace-audit-\(UInt64.random(in: 0...UInt64.max))")
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = try AuditLog(
      path: folder.appendingPathComponent("audit.sqlite").path, logger: quietLogger("audit"))
    let cluster = try TestCluster {
      $0.startupGrace = .seconds(30)
      $0.auditLog = log
    }
    let echo = cluster.echo
    // Count is a write; the gateway does not know that before an echo instance registers.
    let call = Task { try await echo.count(Tongxin_Echo_CountRequest()) }
    try await Task.sleep(for: .milliseconds(200))
    _ = try await cluster.startEcho(id: "echo-grace")
    _ = try await call.value
    let records = try await AuditService(log: log).listRecords(
      Tongxin_Audit_ListRecordsRequest(),
      context: ServerContext(
        service: "audit", method: "ListRecords", deadline: .now + .seconds(10),
        instanceID: "test"))
    #expect(records.records.map(\.method) == ["Count"])
    await cluster.shutdown()
  }

  @Test("a full queue answers RESOURCE_EXHAUSTED at once, a long wait after the bound")
  func queueBounds() async throws {
    let cluster = try TestCluster {
      $0.startupGrace = .seconds(30)
      $0.maxQueueLength = 2
      $0.maxQueueWait = .milliseconds(300)
    }
    let echo = cluster.echo
    let waiting = (0..<2).map { _ in Task { await RPCError.code { _ = try await echo.echo(echoRequest("q")) } } }
    try await Task.sleep(for: .milliseconds(100))
    let started = ContinuousClock.now
    let overflow = await RPCError.code { _ = try await echo.echo(echoRequest("overflow")) }
    #expect(overflow == .resourceExhausted)
    #expect(ContinuousClock.now - started < .milliseconds(200))
    for task in waiting { #expect(await task.value == .resourceExhausted) }
    await cluster.shutdown()
  }

  @Test("calls that expired or were cancelled while queued give their places back at once")
  func endedCallsLeaveTheQueue() async throws {
    let cluster = try TestCluster {
      $0.startupGrace = .seconds(30)
      $0.maxQueueLength = 2
      // The heartbeat tick also sweeps queues: far enough away not to be what frees them.
      $0.heartbeatInterval = .seconds(10)
    }
    let echo = cluster.echo
    let expiring = await RPCError.code {
      _ = try await echo.echo(echoRequest("q"), options: CallOptions(timeout: .milliseconds(50)))
    }
    #expect(expiring == .deadlineExceeded)
    let cancelled = Task { await RPCError.code { _ = try await echo.echo(echoRequest("q")) } }
    try await Task.sleep(for: .milliseconds(100))
    cancelled.cancel()
    #expect(await cancelled.value == .cancelled)
    try await Task.sleep(for: .milliseconds(50))  // the cancel reaches the gateway
    // Both places are free again: two calls wait their full time instead of being refused.
    let short = CallOptions(timeout: .milliseconds(200))
    let waiting = (0..<2).map { _ in
      Task { await RPCError.code { _ = try await echo.echo(echoRequest("w"), options: short) } }
    }
    for task in waiting { #expect(await task.value == .deadlineExceeded) }
    await cluster.shutdown()
  }

  @Test("names made up in the start-up grace grow nothing: few are awaited, none counted")
  func madeUpNamesInTheGrace() async throws {
    let cluster = try TestCluster {
      $0.startupGrace = .seconds(30)
      $0.maxAwaitedServices = 8
    }
    let client = cluster.client
    let short = CallOptions(timeout: .milliseconds(100))
    let awaited = await withTaskGroup(of: StatusCode?.self) { group in
      for index in 0..<8 {
        group.addTask {
          await RPCError.code {
            _ = try await client.call(
              service: "made-up-\(index)", method: "M\(index)", payload: [], options: short)
          }
        }
      }
      return await group.reduce(into: [StatusCode?]()) { $0.append($1) }
    }
    #expect(awaited.allSatisfy { $0 == .deadlineExceeded }, "they waited for their services")
    let refused = await #expect(throws: RPCError.self) {
      _ = try await client.call(service: "one-more", method: "M", payload: [], options: short)
    }
    #expect(refused?.code == .unimplemented)
    // A name awaited already still waits.
    #expect(await RPCError.code {
      _ = try await client.call(service: "made-up-0", method: "Other", payload: [], options: short)
    } == .deadlineExceeded)
    let stats = try await cluster.system.getStats(Tongxin_System_GetStatsRequest())
    #expect(stats.methods.allSatisfy { $0.service == "system" }, "\(stats.methods.map(\.service))")
    await cluster.shutdown()
  }

  @Test("cancelling the calling task cancels the call and leaves nothing pending")
  func cancellation() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-c")
    let echo = cluster.echo
    let work = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 5_000 }
    let call = Task { await RPCError.code { _ = try await echo.work(work) } }
    try await Task.sleep(for: .milliseconds(100))
    call.cancel()
    #expect(await call.value == .cancelled)
    try await Task.sleep(for: .milliseconds(100))
    #expect(try await cluster.pendingCalls() == 0)
    await cluster.shutdown()
  }

  @Test("draining finishes the calls in flight, then the instance leaves")
  func draining() async throws {
    let cluster = try TestCluster()
    let instance = try await cluster.startEcho(id: "echo-drain")
    let echo = cluster.echo
    let work = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 300 }
    let calls = (0..<4).map { _ in Task { try await echo.work(work) } }
    try await Task.sleep(for: .milliseconds(100))
    try await instance.drain()
    for call in calls { #expect(try await call.value.finished) }
    #expect(try await cluster.echoInstances().isEmpty)
    await cluster.shutdown()
  }
}
