#!/usr/bin/env bash
# The CLI bundle: ncc builds one entry per call, so the CLI gets its own directory (OUT/cli/) and
# OUT/cli.js is the small executable ESM file `image-publish` (package.json bin) points at.
set -euo pipefail
out=${1:-dist}
npx ncc build src/cli-main.ts -o "$out/cli" --license licenses.txt --target es2022 -q
printf '#!/usr/bin/env node\nimport "./cli/index.js";\n' >"$out/cli.js"
chmod +x "$out/cli.js"
