#!/bin/bash
# The module graph as the code has it: for each target under Sources/ (and Tests/ with --tests), the
# project modules its files import, from the `import` lines themselves (system modules left out).
# Usage: scripts/module-graph.sh [--tests]     (run from the package root)
dirs=(Sources/*/)
[ "$1" = "--tests" ] && dirs+=(Tests/*/)
ours=$(ls -d Sources/*/ Tests/*/ | xargs -n1 basename | sort -u)
for d in "${dirs[@]}"; do
  name=$(basename "$d")
  deps=$(grep -rhoE '^(@[A-Za-z]+ )*((public|package|internal) )?import +[A-Za-z_]+' "$d" --include='*.swift' 2>/dev/null |
         awk '{print $NF}' | sort -u | grep -Fxf <(echo "$ours"; echo SwiftProtobuf; echo ArgumentParser) |
         grep -vx "$name" | tr '\n' ' ')
  printf '%-22s → %s\n' "$name" "${deps:-(none)}"
done
