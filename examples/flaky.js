// Runs for a few seconds, then crashes: devrun restarts it with a growing backoff
// (a run that lasted 10 s or more resets the backoff).
const lifetime = 3000 + Math.random() * 15000;
console.log(`up; will crash in ${(lifetime / 1000).toFixed(1)}s`);
setTimeout(() => {
  console.error('something went wrong: exiting with code 1');
  process.exit(1);
}, lifetime);
