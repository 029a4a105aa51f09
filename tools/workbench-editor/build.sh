#!/usr/bin/env bash
# Rebuilds the workbench's editor bundle (src/Smi.Retention.Cli/Workbench/Page/editor.js) from the
# pinned packages in package-lock.json. Needs Node.js 20 and npm; the .NET build and tests need only
# the bundle, which is committed. Run it after changing editor.mjs or a version in package.json.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npx esbuild editor.mjs --bundle --minify --format=iife --global-name=SmiEditor --target=es2020 \
  --legal-comments=none --outfile=../../src/Smi.Retention.Cli/Workbench/Page/editor.js
# The licences of every package bundled, shipped beside it.
node licences.mjs > ../../src/Smi.Retention.Cli/Workbench/Page/editor.licences.txt
echo "Built $(wc -c < ../../src/Smi.Retention.Cli/Workbench/Page/editor.js) bytes."
