// The fuzz target of the wire protocol (Tests/Fuzz/run builds and runs it).
//
// Built with `--sanitize fuzzer` and `-DTONGXIN_LIBFUZZER` it is a libFuzzer target: libFuzzer's
// `main` calls `LLVMFuzzerTestOneInput` for every input. Built normally it replays files and
// writes the seed corpus:
//
//   tongxin-fuzz [PATH ...]              run every file (or every file in each folder)
//   tongxin-fuzz --mutate N [PATH ...]   and N mutations of them (seeded, as in the tests);
//                                        a mutation that fails is written to ./failure-N
//   tongxin-fuzz --write-seeds FOLDER    write the seeds of FuzzSeeds
import Foundation
import TongxinFuzzing

#if TONGXIN_LIBFUZZER

  // libFuzzer calls the target from one thread only.
  nonisolated(unsafe) private var harness: WireFuzzer?

  @_cdecl("LLVMFuzzerTestOneInput")
  public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let fuzzer: WireFuzzer
    if let harness {
      fuzzer = harness
    } else {
      do {
        fuzzer = try WireFuzzer()
      } catch {
        fatalError("cannot start the harness: \(error)")
      }
      harness = fuzzer
    }
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let outcome = fuzzer.run(input)
    if !outcome.problems.isEmpty {
      fatalError("after \(outcome.steps) steps: " + outcome.problems.joined(separator: "; "))
    }
    return 0
  }

#else

  @main
  enum TongxinFuzz {
    static func main() {
      var arguments = Array(CommandLine.arguments.dropFirst())
      do {
        if arguments.first == "--write-seeds", arguments.count == 2 {
          try writeSeeds(to: URL(fileURLWithPath: arguments[1]))
          return
        }
        var mutations = 0
        if arguments.first == "--mutate", arguments.count >= 2, let count = Int(arguments[1]) {
          mutations = count
          arguments.removeFirst(2)
        }
        if arguments.contains(where: { $0.hasPrefix("-") }) {
          print("usage: tongxin-fuzz [--mutate N] [PATH ...] | --write-seeds FOLDER")
          exit(2)
        }
        if arguments.isEmpty { arguments = ["Tests/Fuzz"] }
        exit(try replay(arguments, mutations: mutations) ? 0 : 1)
      } catch {
        print("tongxin-fuzz: \(error)")
        exit(1)
      }
    }

    static func writeSeeds(to folder: URL) throws {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for (name, input) in FuzzSeeds.all {
        try Data(input.bytes).write(to: folder.appendingPathComponent(name))
      }
      print("wrote \(FuzzSeeds.all.count) seeds to \(folder.path)")
    }

    /// Runs every file under `paths`, then `mutations` mutations of them; false when an
    /// input shows a problem.
    static func replay(_ paths: [String], mutations: Int) throws -> Bool {
      let files = try paths.flatMap { try FuzzCorpus.files(at: URL(fileURLWithPath: $0)) }
      let inputs = try files.map { Array(try Data(contentsOf: $0)) }
      let fuzzer = try WireFuzzer()
      let start = ContinuousClock.now
      var failed = 0
      for (file, outcome) in zip(files, fuzzer.run(inputs)) where !outcome.problems.isEmpty {
        failed += 1
        print("\(file.path): " + outcome.problems.joined(separator: "; "))
      }
      if mutations > 0, !inputs.isEmpty {
        var mutator = FuzzMutator(seed: 1, corpus: inputs)
        var done = 0
        while done < mutations {
          let batch = (0..<min(1000, mutations - done)).map { _ in mutator.next() }
          for (input, outcome) in zip(batch, fuzzer.run(batch)) where !outcome.problems.isEmpty {
            failed += 1
            // Kept like libFuzzer's crash files, to replay and to commit as a regression.
            let name = "failure-\(failed)"
            try Data(input).write(to: URL(fileURLWithPath: name))
            print("\(name): " + outcome.problems.joined(separator: "; "))
          }
          done += batch.count
        }
      }
      let seconds = Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000
      print(
        "\(files.count + mutations) inputs in \(seconds) s, \(failed) with problems")
      return failed == 0
    }
  }

#endif
