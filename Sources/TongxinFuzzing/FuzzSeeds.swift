import TongxinMessages
import TongxinProtobuf
import TongxinRPC
import TongxinWire

/// Hand-written inputs that reach every path of the protocol: where fuzzing starts from.
/// `tongxin-fuzz --write-seeds DIR` writes them as files (`Tests/Fuzz/seeds`).
package enum FuzzSeeds {
  /// Every seed, by name.
  package static var all: [(name: String, input: FuzzInput)] {
    [
      ("call-answered", scenario { $0.register(0); $0.call(0, id: 7); $0.answer(0, call: 1) }),
      ("call-cancelled", scenario { $0.register(0); $0.call(0, id: 7); $0.cancel(0, id: 7) }),
      ("call-failed", scenario {
        $0.register(0); $0.call(0, id: 7); $0.answer(0, call: 1, code: .notFound)
      }),
      ("call-expired", scenario { $0.register(0); $0.call(0, id: 7, timeoutMs: 5); $0.expire(0) }),
      ("call-retried-elsewhere", scenario {
        $0.register(0); $0.register(1, id: "echo-b"); $0.call(0, id: 1); $0.call(1, id: 1)
        $0.call(2, id: 1); $0.silence(0); $0.answer(1, call: 1); $0.answer(1, call: 2)
      }),
      ("write-unavailable-when-instance-dies", scenario {
        $0.register(0); $0.call(0, id: 3, method: "Count"); $0.silence(0)
      }),
      ("write-with-key-retried", scenario {
        $0.register(0); $0.register(2, id: "echo-c")
        $0.call(0, id: 3, method: "Count", idempotencyKey: "k-1"); $0.silence(0)
        $0.answer(2, call: 1)
      }),
      ("instance-unreachable", scenario { $0.register(3, id: "echo-gone"); $0.call(0, id: 1) }),
      ("queued-until-registered", scenario(grace: true) {
        $0.call(0, id: 1); $0.call(1, id: 1); $0.register(0); $0.answer(0, call: 1)
        $0.answer(0, call: 2)
      }),
      ("unknown-service-in-grace", scenario(grace: true) {
        $0.call(0, id: 1, service: "membership", method: "GetPerson"); $0.expire(0)
      }),
      ("queue-full", scenario(tight: true) {
        $0.register(0, maxConcurrency: 1); $0.call(0, id: 1); $0.call(1, id: 1); $0.call(2, id: 1)
        $0.call(3, id: 1); $0.answer(0, call: 1)
      }),
      ("too-many-calls-per-caller", scenario(tight: true) {
        $0.register(0); $0.call(0, id: 1); $0.call(0, id: 2); $0.call(0, id: 3); $0.call(0, id: 4)
      }),
      ("payload-too-large", scenario(tight: true) {
        $0.register(0); $0.call(0, id: 1, payload: [UInt8](repeating: 0x61, count: 100))
      }),
      ("draining-instance", scenario {
        $0.register(0); $0.register(1, id: "echo-b"); $0.call(0, id: 1); $0.leave(0)
        $0.call(0, id: 2); $0.answer(0, call: 1); $0.answer(1, call: 2)
      }),
      ("re-register-same-connection", scenario {
        $0.register(0); $0.call(0, id: 1); $0.register(0); $0.answer(0, call: 1)
      }),
      ("re-register-new-connection", scenario {
        $0.register(0); $0.call(0, id: 1); $0.register(1); $0.answer(1, call: 1)
      }),
      ("second-process-same-id", scenario {
        $0.register(0, incarnation: "p1"); $0.call(0, id: 1)
        $0.register(1, incarnation: "p2"); $0.answer(1, call: 1); $0.answer(0, call: 1)
      }),
      ("instance-changes-service", scenario {
        $0.register(0); $0.call(0, id: 1); $0.register(0, id: "other-a", service: "other")
        $0.register(1, id: "other-b", service: "other"); $0.silence(0)
        $0.call(1, id: 2, service: "other"); $0.answer(1, call: 2)
      }),
      ("heartbeats", scenario {
        $0.heartbeat(0); $0.register(0); $0.heartbeat(0); $0.answer(1, call: 9)
      }),
      ("duplicate-call-id", scenario { $0.register(0); $0.call(0, id: 5); $0.call(0, id: 5) }),
      ("reserved-metadata", scenario {
        $0.register(0); $0.call(0, id: 1, metadata: ["tongxin-department": "x", "trace": "1"])
      }),
      ("unknown-method", scenario { $0.register(0); $0.call(0, id: 1, method: "Ech") }),
      ("unknown-service", scenario { $0.call(0, id: 1, service: "membrship", method: "Get") }),
      ("system-calls", scenario {
        $0.register(0)
        $0.call(0, id: 1, service: "system", method: "Health", payload: Tongxin_System_HealthRequest
          .with { $0.services = ["echo", "system", "nope"] }.serializedBytes())
        $0.call(0, id: 2, service: "system", method: "ListServices")
        $0.call(0, id: 3, service: "system", method: "GetStats")
        $0.call(0, id: 4, service: "system", method: "Describe", payload: Tongxin_System_DescribeRequest
          .with { $0.service = "echo" }.serializedBytes())
        $0.call(0, id: 5, service: "system", method: "Describe", payload: Tongxin_System_DescribeRequest
          .with { $0.service = "nope" }.serializedBytes())
        $0.call(0, id: 6, service: "system", method: "Reboot")
      }),
      ("registrations-refused", scenario {
        $0.register(0, service: "system")
        $0.register(1, service: "")
        $0.register(2, maxConcurrency: 0)
        $0.backend(0, .register, Tongxin_Rpc_RegisterInstance.with {
          $0.service = "echo"; $0.instanceID = "echo-x"; $0.maxConcurrency = 1
          $0.description_p = methodsOnly(Tongxin_Membership_Membership.description)
        }.serializedBytes())
      }),
      ("not-tongxin-frames", FuzzInput(steps: [
        .frontend(peer: 0, frames: [Array("hello".utf8), [1], []]),
        .frontend(peer: 1, frames: [Array("tongxin/1".utf8), [1], [], []]),
        .frontend(peer: 1, frames: [Array("tongxin/3".utf8) + [1], []]),
        .frontend(peer: 2, frames: [head(0x7F, [])]),
        .frontend(peer: 0, frames: [head(0x01, [])]),
        .frontend(peer: 0, frames: [head(0x01, [0xFF, 0xFF]), []]),
        .frontend(peer: 0, frames: [head(0x01, []), [], []]),
        .frontend(peer: 0, frames: [version]),
        .frontend(peer: 0, frames: []),
        .frontend(peer: 1, frames: [head(0x10, [])]),
        .frontend(peer: 1, frames: [head(0x02, [0x08])]),
        .backend(peer: 0, frames: [head(0x01, []), []]),
        .backend(peer: 0, frames: [Array("tongxin/9".utf8) + [0x12]]),
        .backend(peer: 1, frames: [head(0x03, [0x08, 0x01]), []]),
        .backend(peer: 1, frames: [head(0x14, [])]),
        .backend(peer: 2, frames: [head(0x10, [0x0A, 0x80])]),
      ])),
      ("instance-receives", FuzzInput(steps: [
        .toInstance(frames: WireProtocol.frames(.registered, Tongxin_Rpc_RegisterReply.with {
          $0.accepted = true; $0.heartbeatIntervalMs = 1000; $0.heartbeatLiveness = 3
        }.serializedBytes())),
        .toInstance(frames: WireProtocol.frames(
          .request, requestHeader(id: 1, service: "echo", method: "Echo", metadata: ["a": "b"]),
          payload: Tongxin_Echo_EchoRequest.with { $0.text = "同心" }.serializedBytes())),
        .toInstance(frames: WireProtocol.frames(
          .cancel, Tongxin_Rpc_Cancel.with { $0.callID = 1 }.serializedBytes())),
        .toInstance(frames: WireProtocol.frames(.heartbeat, [])),
        .toInstance(frames: WireProtocol.frames(
          .disconnect, Tongxin_Rpc_Disconnect.with { $0.reason = "unknown instance" }
            .serializedBytes())),
        .toInstance(frames: WireProtocol.frames(.leave, [])),
      ])),
      ("client-receives", FuzzInput(steps: [
        .toClient(frames: WireProtocol.frames(
          .response, Tongxin_Rpc_ResponseHeader.with { $0.callID = 1 }.serializedBytes(),
          payload: Tongxin_Echo_EchoResponse.with { $0.text = "ok" }.serializedBytes())),
        .toClient(frames: WireProtocol.frames(
          .response, Tongxin_Rpc_ResponseHeader.with {
            $0.callID = 2; $0.code = .invalidArgument; $0.message = "bad"
            $0.details = ["field": "name"]
          }.serializedBytes(), payload: [])),
        .toClient(frames: WireProtocol.frames(
          .response, Tongxin_Rpc_ResponseHeader.with { $0.code = .unrecognized(99) }
            .serializedBytes(), payload: [])),
      ])),
    ]
  }

  static let version = Array(WireProtocol.version.utf8)

  /// A head with any command byte, known or not.
  static func head(_ command: UInt8, _ body: [UInt8]) -> [UInt8] { version + [command] + body }

  /// A service's description as an instance registers it, trimmed to what routing reads (the
  /// methods), so that inputs stay small: the fuzzer works on 4 KiB at most.
  static func methodsOnly(_ description: Tongxin_Rpc_ServiceDescription)
    -> Tongxin_Rpc_ServiceDescription
  {
    var trimmed = description
    trimmed.messages = []
    trimmed.enums = []
    for index in trimmed.methods.indices { trimmed.methods[index].comment = "" }
    return trimmed
  }

  private static func scenario(
    grace: Bool = false, tight: Bool = false, _ build: (inout Builder) -> Void
  ) -> FuzzInput {
    var builder = Builder()
    build(&builder)
    return FuzzInput(startupGrace: grace, tightLimits: tight, steps: builder.steps)
  }

  static func requestHeader(
    id: UInt64, service: String, method: String, timeoutMs: UInt32 = 0,
    metadata: [String: String] = [:], idempotencyKey: String = ""
  ) -> [UInt8] {
    Tongxin_Rpc_RequestHeader.with {
      $0.callID = id
      $0.service = service
      $0.method = method
      $0.timeoutMs = timeoutMs
      $0.metadata = metadata
      $0.idempotencyKey = idempotencyKey
    }.serializedBytes()
  }

  /// Steps of a scenario, written as what peers do.
  private struct Builder {
    var steps: [FuzzInput.Step] = []

    mutating func backend(_ peer: Int, _ command: WireProtocol.Command, _ body: [UInt8]) {
      steps.append(.backend(peer: peer, frames: WireProtocol.frames(command, body)))
    }

    mutating func register(
      _ peer: Int, id: String = "echo-a", service: String = "echo", maxConcurrency: UInt32 = 4,
      incarnation: String = ""
    ) {
      backend(peer, .register, Tongxin_Rpc_RegisterInstance.with {
        $0.service = service
        $0.instanceID = id
        $0.version = "1.0"
        $0.maxConcurrency = maxConcurrency
        $0.incarnation = incarnation
        // Echo's methods, under the name of the service registered.
        $0.description_p = FuzzSeeds.methodsOnly(Tongxin_Echo_Echo.description)
        $0.description_p?.name = service
      }.serializedBytes())
    }

    mutating func call(
      _ client: Int, id: UInt64, service: String = "echo", method: String = "Echo",
      timeoutMs: UInt32 = 0, metadata: [String: String] = [:], idempotencyKey: String = "",
      payload: [UInt8]? = nil
    ) {
      let header = FuzzSeeds.requestHeader(
        id: id, service: service, method: method, timeoutMs: timeoutMs, metadata: metadata,
        idempotencyKey: idempotencyKey)
      let payload = payload ?? Tongxin_Echo_EchoRequest.with { $0.text = "hi" }.serializedBytes()
      steps.append(
        .frontend(peer: client, frames: WireProtocol.frames(.request, header, payload: payload)))
    }

    mutating func cancel(_ client: Int, id: UInt64) {
      steps.append(
        .frontend(
          peer: client,
          frames: WireProtocol.frames(.cancel, Tongxin_Rpc_Cancel.with { $0.callID = id }
            .serializedBytes())))
    }

    /// Instance `peer` answers the gateway's call `call` (gateway ids count from 1).
    mutating func answer(_ peer: Int, call: UInt64, code: StatusCode = .ok) {
      let header = Tongxin_Rpc_ResponseHeader.with {
        $0.callID = call
        $0.code = code
        if code != .ok { $0.message = "failed" }
      }
      let payload = code == .ok ? Tongxin_Echo_EchoResponse.with { $0.text = "hi" }.serializedBytes() : []
      steps.append(
        .backend(
          peer: peer, frames: WireProtocol.frames(.response, header.serializedBytes(), payload: payload)))
    }

    mutating func heartbeat(_ peer: Int) {
      backend(peer, .heartbeat, Tongxin_Rpc_Heartbeat.with { $0.inFlight = 1 }.serializedBytes())
    }

    mutating func leave(_ peer: Int) {
      backend(peer, .leave, Tongxin_Rpc_Disconnect.with { $0.reason = "SIGTERM" }.serializedBytes())
    }

    mutating func expire(_ index: Int) { steps.append(.expireCall(index)) }
    mutating func silence(_ index: Int) { steps.append(.silenceInstance(index)) }
  }
}
