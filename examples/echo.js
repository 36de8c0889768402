// Reads lines from stdin and answers each one; the prompt has no newline on purpose.
import { createInterface } from 'node:readline';

const rl = createInterface({ input: process.stdin });
process.stdout.write('your name? ');
rl.on('line', (line) => {
  console.log(`hello, ${line.trim() || 'stranger'}!`);
  process.stdout.write('your name? ');
});
rl.on('close', () => process.exit(0));
