#!/usr/bin/env bash
# Regenerates Sources/InceptionONNX/Proto/onnx-subset.pb.swift from onnx-subset.proto.
# The generated file is committed: building the package never needs protoc or the plugin.
#
# Needs:
#   protoc                 apt-get install protobuf-compiler   (Debian's; 3.21 here)
#   protoc-gen-swift       from a swift-protobuf 1.x checkout (the same major version as the runtime
#                          in Package.swift):  swift build -c release --product protoc-gen-swift
#                          then point PROTOC_GEN_SWIFT at .build/release/protoc-gen-swift
#
# Usage: PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift scripts/generate-onnx-proto.sh
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-/work/tools/swift-protobuf/.build/release/protoc-gen-swift}"
[ -x "$plugin" ] || { echo "protoc-gen-swift not found at $plugin (set PROTOC_GEN_SWIFT)" >&2; exit 2; }
command -v protoc >/dev/null || { echo "protoc not found (apt-get install protobuf-compiler)" >&2; exit 2; }
dir=Sources/InceptionONNX/Proto
# Visibility=Public: the importer (InceptionONNX) and the exporter share the messages, and tests
# build models from them directly.
protoc --plugin="$plugin" --proto_path="$dir" --swift_out="$dir" --swift_opt=Visibility=Public onnx-subset.proto
echo "wrote $dir/onnx-subset.pb.swift"
