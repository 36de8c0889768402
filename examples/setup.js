// A one-shot task: a few steps, then exit 0. devrun shows it as exited and keeps the rest running.
const steps = ['checking database', 'running migrations', 'seeding'];
let i = 0;
const timer = setInterval(() => {
  console.log(`${steps[i]}…`);
  i += 1;
  if (i === steps.length) {
    clearInterval(timer);
    console.log('setup done');
  }
}, 300);
