#!/usr/bin/env -S node --max-semi-space-size=4
// --max-semi-space-size=4 (MB): V8's young generation may grow to 2 × 16 MB by default; a log flood
// fills it, and that is resident memory for good. 4 MB semi-spaces keep the flood's peak RSS down for
// a few more (cheap) scavenges. `node bin/devrun.js` skips the shebang: bench/lib/config.ts reads it.
import '../dist/cli.js';
