import Foundation

/// This machine's RAM in bytes: the bound for anything sized from a file before it is allocated
/// (an ONNX tensor, a plan's buffers). One place, so the importer (which knows no engine) and the
/// runtime's plans refuse by the same number.
public enum PhysicalMemory {
    public static var bytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }
}
