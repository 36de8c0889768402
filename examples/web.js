// An HTTP server on $PORT that logs each request.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 5000);
let requests = 0;
createServer((req, res) => {
  requests += 1;
  console.log(`${req.method} ${req.url} -> 200 (request ${requests})`);
  res.end(`hello from ${process.env.PS ?? 'web'}\n`);
}).listen(port, () => console.log(`listening on http://localhost:${port}`));

process.on('SIGTERM', () => {
  console.log('SIGTERM: closing the server');
  process.exit(0);
});
