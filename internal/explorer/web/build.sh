#!/bin/sh
# Rebuilds internal/explorer/dist/graphiql.{js,css} from the pinned npm
# packages. Run from anywhere; needs Node 20+ and the npm registry.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npx esbuild index.jsx \
  --bundle --minify --format=iife --target=es2020 \
  --define:process.env.NODE_ENV='"production"' \
  --legal-comments=eof \
  --outfile=../dist/graphiql.js
ls -l ../dist
