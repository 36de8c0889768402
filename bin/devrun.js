#!/usr/bin/env -S node --max-semi-space-size=2
// --max-semi-space-size=2 (MB): V8's young generation may grow to 2 × 16 MB by default; a log flood
// fills it, and that is resident memory for good. 2 MB semi-spaces keep the flood's peak RSS and the
// idle dashboard's RSS down (4 MB more than 2 × 2 at idle) for a few more (cheap) scavenges; 1 MB cost
// 20% more CPU in the 4-process flood. `node bin/devrun.js` skips the shebang: bench/lib/config.ts reads it.
import '../dist/cli.js';
