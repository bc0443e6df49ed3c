import Foundation

/// The figures of one `tongxin bench` run, and their ratios.
struct BenchReport: Encodable {
  var direct: RunFigures
  var proxy: RunFigures
  var gateway: RunFigures
  /// Through the gateway from the same one-thread raw client as direct and proxy, speaking
  /// the wire protocol by hand: the gateway hop and the instance without the Swift client.
  var gatewayRawCaller: RunFigures
  /// Through a gateway with CurveZMQ on both hops (`--curve`), else nil.
  var gatewayCurve: RunFigures?
  var rssIdle: MemoryFigures
  var rssLoaded: MemoryFigures
  var cpu: CPUFigures
  /// How Linux schedules the loop threads of the gateway path's processes
  /// (`TONGXIN_LOOP_SCHEDULING`); the proxy path's processes keep the default.
  var loopScheduling: String

  struct Ratios: Encodable {
    var gateway_over_proxy_p50_sequential: Double
    var gateway_over_direct_p50_sequential: Double
    var gateway_over_proxy_calls_per_s_concurrent: Double
    var gateway_over_direct_calls_per_s_concurrent: Double
    var gateway_raw_caller_over_proxy_p50_sequential: Double
    var gateway_raw_caller_over_proxy_calls_per_s_concurrent: Double
    var curve_over_plaintext_p50_sequential: Double?
    var curve_over_plaintext_calls_per_s_concurrent: Double?
  }

  var ratios: Ratios {
    Ratios(
      gateway_over_proxy_p50_sequential: gateway.sequential.p50_us / proxy.sequential.p50_us,
      gateway_over_direct_p50_sequential: gateway.sequential.p50_us / direct.sequential.p50_us,
      gateway_over_proxy_calls_per_s_concurrent:
        gateway.concurrent.calls_per_s / proxy.concurrent.calls_per_s,
      gateway_over_direct_calls_per_s_concurrent:
        gateway.concurrent.calls_per_s / direct.concurrent.calls_per_s,
      gateway_raw_caller_over_proxy_p50_sequential:
        gatewayRawCaller.sequential.p50_us / proxy.sequential.p50_us,
      gateway_raw_caller_over_proxy_calls_per_s_concurrent:
        gatewayRawCaller.concurrent.calls_per_s / proxy.concurrent.calls_per_s,
      curve_over_plaintext_p50_sequential: gatewayCurve.map {
        $0.sequential.p50_us / gateway.sequential.p50_us
      },
      curve_over_plaintext_calls_per_s_concurrent: gatewayCurve.map {
        $0.concurrent.calls_per_s / gateway.concurrent.calls_per_s
      })
  }

  enum CodingKeys: String, CodingKey {
    case direct, proxy, gateway, gateway_raw_caller, gateway_curve, rss_mb, rss_mb_after_load,
      cpu_us_per_call, ratios, loop_scheduling
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(direct, forKey: .direct)
    try container.encode(proxy, forKey: .proxy)
    try container.encode(gateway, forKey: .gateway)
    try container.encode(gatewayRawCaller, forKey: .gateway_raw_caller)
    try container.encodeIfPresent(gatewayCurve, forKey: .gateway_curve)
    try container.encode(rssIdle, forKey: .rss_mb)
    try container.encode(rssLoaded, forKey: .rss_mb_after_load)
    try container.encode(cpu, forKey: .cpu_us_per_call)
    try container.encode(ratios, forKey: .ratios)
    try container.encode(loopScheduling, forKey: .loop_scheduling)
  }

  var text: String {
    func row(_ name: String, _ figures: Figures) -> String {
      name.padding(toLength: 22, withPad: " ", startingAt: 0)
        + String(format: "p50 %8.1f µs   p99 %8.1f µs   %9.0f calls/s",
          figures.p50_us, figures.p99_us, figures.calls_per_s)
    }
    let lines: [String] = [
      "64-byte echo (sequential: 1 call at a time; concurrent: calls in flight on one connection)",
      row("direct sequential", direct.sequential), row("direct concurrent", direct.concurrent),
      row("proxy sequential", proxy.sequential), row("proxy concurrent", proxy.concurrent),
      row("gateway sequential", gateway.sequential), row("gateway concurrent", gateway.concurrent),
      row("gateway raw caller seq", gatewayRawCaller.sequential),
      row("gateway raw caller conc", gatewayRawCaller.concurrent),
      String(format: "gateway/proxy: p50 sequential %.2f×, calls/s concurrent %.0f %%",
        ratios.gateway_over_proxy_p50_sequential,
        ratios.gateway_over_proxy_calls_per_s_concurrent * 100),
      String(format: "gateway/direct: p50 sequential %.2f×, calls/s concurrent %.0f %%",
        ratios.gateway_over_direct_p50_sequential,
        ratios.gateway_over_direct_calls_per_s_concurrent * 100),
      String(format: "gateway (raw caller)/proxy: p50 sequential %.2f×, calls/s concurrent %.0f %%",
        ratios.gateway_raw_caller_over_proxy_p50_sequential,
        ratios.gateway_raw_caller_over_proxy_calls_per_s_concurrent * 100),
    ] + curveRows(row) + [
      String(format: "resident memory idle: gateway %.1f MB, instance %.1f MB; after load: %.1f MB, %.1f MB",
        rssIdle.gateway, rssIdle.instance, rssLoaded.gateway, rssLoaded.instance),
      "CPU µs per call, concurrent (user + system, all threads): proxy path "
        + CPUFigures.text(cpu.proxy) + "; gateway path " + CPUFigures.text(cpu.gateway),
      "gateway path's loop threads: \(loopScheduling) (TONGXIN_LOOP_SCHEDULING); the proxy "
        + "path's processes keep Linux's default",
    ]
    return lines.joined(separator: "\n")
  }

  private func curveRows(_ row: (String, Figures) -> String) -> [String] {
    guard let gatewayCurve, let sequential = ratios.curve_over_plaintext_p50_sequential,
      let concurrent = ratios.curve_over_plaintext_calls_per_s_concurrent
    else { return [] }
    return [
      row("gateway CURVE seq", gatewayCurve.sequential),
      row("gateway CURVE conc", gatewayCurve.concurrent),
      String(format: "CURVE/plaintext gateway: p50 sequential %.2f×, calls/s concurrent %.0f %%",
        sequential, concurrent * 100),
    ]
  }
}

/// CPU per concurrent call of each process on the proxy's path and on the gateway's, in µs.
struct CPUFigures: Encodable {
  var proxy: [String: ProcessCPU]
  var gateway: [String: ProcessCPU]

  static func text(_ figures: [String: ProcessCPU]) -> String {
    let total = figures.values.reduce(0) { $0 + $1.total }
    let kernel = figures.values.reduce(0) { $0 + $1.system }
    return figures.sorted { $0.key < $1.key }
      .map { name, cpu in
        String(format: "%@ %.1f (kernel %.1f)", name, cpu.total, cpu.system)
      }
      .joined(separator: ", ")
      + String(format: "; %.1f µs in all, %.1f in the kernel", total, kernel)
  }
}
