import ArgumentParser
import Foundation
import TongxinRPC

/// `tongxin keygen BASE`: a CurveZMQ key pair as BASE.key (secret, mode 0600) and BASE.pub.
struct KeygenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keygen",
    abstract: "Make a CurveZMQ key pair: BASE.key (secret, mode 0600) and BASE.pub (public).",
    discussion: """
      Give BASE.pub to the gateway's operator, who admits it by copying it to \
      KEYS/departments/DEPARTMENT.pub (or KEYS/services/SERVICE.pub) and sending the gateway \
      SIGHUP. Keep BASE.key to yourself; pass it to `tongxin --key`.
      """)

  @Argument(help: "Path of the pair without extension, e.g. keys/departments/front-desk.")
  var base: String

  @Flag(help: "Replace an existing pair (whoever held the old key is locked out).")
  var force = false

  func run() throws {
    if !force, FileManager.default.fileExists(atPath: base + ".key") {
      throw ValidationError("\(base).key exists; pass --force to replace it")
    }
    let pair = try CurveKeyPair.generate()
    let name = (base as NSString).lastPathComponent
    try pair.write(to: base, comment: "Tongxin key \(name)")
    print("wrote \(base).key (secret) and \(base).pub: \(pair.publicKey)")
  }
}
