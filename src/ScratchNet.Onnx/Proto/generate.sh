#!/usr/bin/env bash
# Regenerates Generated/Onnx.cs from Proto/onnx.proto with protoc from the Google.Protobuf.Tools package
# (restore any project that references Google.Protobuf.Tools 3.36.2 first). The generated code is checked
# in, so that a clean clone builds offline with nothing but the Google.Protobuf runtime package.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tools="${NUGET_PACKAGES:-$HOME/.nuget/packages}/google.protobuf.tools/3.36.2/tools"
"$tools/linux_x64/protoc" --proto_path="$here/Proto" --proto_path="$tools" \
  --csharp_out="$here/Generated" --csharp_opt=internal_access,file_extension=.g.cs "$here/Proto/onnx.proto"
