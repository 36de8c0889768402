// Logs one coloured line a second, like a job queue worker.
const colours = [32, 33, 36, 35];
let job = 0;
setInterval(() => {
  job += 1;
  const colour = colours[job % colours.length];
  const level = job % 7 === 0 ? '\x1b[31mWARN\x1b[0m' : '\x1b[2mINFO\x1b[0m';
  console.log(`${level} processed job \x1b[${colour}m#${job}\x1b[0m in ${(Math.random() * 90 + 10).toFixed(0)}ms`);
}, 1000);
