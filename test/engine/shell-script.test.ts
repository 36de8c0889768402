import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandWord, shellScript } from '../../src/engine/shell-script.js';

const TRAP = "trap '__devrun_st=$?; wait; exit $__devrun_st' TERM; trap '[ $? -ne 130 ] || { trap - INT; kill -INT $$; }' INT; ";

interface Case {
  command: string;
  /** exec: a single simple command run with exec (or already exec); trap: compound, run behind the trap. */
  kind: 'exec' | 'trap';
  script: string;
  word: string | undefined;
}

const simple = (command: string, script: string, word: string): Case => ({ command, kind: 'exec', script, word });
const compound = (command: string): Case => ({ command, kind: 'trap', script: TRAP + command, word: undefined });

// One entry per line of the fixture, in the same order.
const REAL: Case[] = [
  simple('bundle exec rails s -p $PORT', 'exec bundle exec rails s -p $PORT', 'bundle'),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  simple('bundle exec rails server -b 0.0.0.0 -p ${PORT:-3000}', 'exec bundle exec rails server -b 0.0.0.0 -p ${PORT:-3000}', 'bundle'),
  simple('bundle exec puma -C config/puma.rb', 'exec bundle exec puma -C config/puma.rb', 'bundle'),
  simple('bundle exec sidekiq -C config/sidekiq.yml', 'exec bundle exec sidekiq -C config/sidekiq.yml', 'bundle'),
  simple('RAILS_ENV=development bundle exec good_job start', 'RAILS_ENV=development exec bundle exec good_job start', 'bundle'),
  simple('bin/rails tailwindcss:watch', 'exec bin/rails tailwindcss:watch', 'bin/rails'),
  simple('exec bin/rails server', 'exec bin/rails server', 'bin/rails'),
  simple('bin/webpack-dev-server', 'exec bin/webpack-dev-server', 'bin/webpack-dev-server'),
  simple('./bin/vite dev', 'exec ./bin/vite dev', './bin/vite'),
  simple('bin/jobs', 'exec bin/jobs', 'bin/jobs'),
  simple('npm run dev', 'exec npm run dev', 'npm'),
  simple('npm run dev -- --host 0.0.0.0', 'exec npm run dev -- --host 0.0.0.0', 'npm'),
  simple('yarn start', 'exec yarn start', 'yarn'),
  simple('yarn build --watch', 'exec yarn build --watch', 'yarn'),
  simple('node server.js', 'exec node server.js', 'node'),
  simple('node --inspect=9229 server.js', 'exec node --inspect=9229 server.js', 'node'),
  simple('PORT=3000 node server.js', 'PORT=3000 exec node server.js', 'node'),
  simple('NODE_ENV=development FOO="a b" npm start', 'NODE_ENV=development FOO="a b" exec npm start', 'npm'),
  simple('npx tsc --watch --preserveWatchOutput', 'exec npx tsc --watch --preserveWatchOutput', 'npx'),
  simple(
    "./node_modules/.bin/nodemon --watch src -e ts --exec 'ts-node src/index.ts'",
    "exec ./node_modules/.bin/nodemon --watch src -e ts --exec 'ts-node src/index.ts'",
    './node_modules/.bin/nodemon',
  ),
  simple(
    'esbuild app/javascript/*.* --bundle --outdir=app/assets/builds --watch',
    'exec esbuild app/javascript/*.* --bundle --outdir=app/assets/builds --watch',
    'esbuild',
  ),
  simple('python manage.py runserver 0.0.0.0:$PORT', 'exec python manage.py runserver 0.0.0.0:$PORT', 'python'),
  simple('gunicorn app:app --bind 0.0.0.0:$PORT --workers 2', 'exec gunicorn app:app --bind 0.0.0.0:$PORT --workers 2', 'gunicorn'),
  simple('uvicorn main:app --reload --port $PORT', 'exec uvicorn main:app --reload --port $PORT', 'uvicorn'),
  simple('celery -A proj worker -l info', 'exec celery -A proj worker -l info', 'celery'),
  simple('php -S 0.0.0.0:$PORT -t public', 'exec php -S 0.0.0.0:$PORT -t public', 'php'),
  simple('mix phx.server', 'exec mix phx.server', 'mix'),
  simple('java -jar target/app.jar --server.port=$PORT', 'exec java -jar target/app.jar --server.port=$PORT', 'java'),
  simple('redis-server --port 6379', 'exec redis-server --port 6379', 'redis-server'),
  simple('postgres -D /usr/local/var/postgres', 'exec postgres -D /usr/local/var/postgres', 'postgres'),
  simple('elasticsearch -E http.port=9200', 'exec elasticsearch -E http.port=9200', 'elasticsearch'),
  simple("nginx -g 'daemon off;' -c $PWD/nginx.conf", "exec nginx -g 'daemon off;' -c $PWD/nginx.conf", 'nginx'),
  simple('mailcatcher -f', 'exec mailcatcher -f', 'mailcatcher'),
  simple('docker compose up db', 'exec docker compose up db', 'docker'),
  simple('stripe listen --forward-to localhost:$PORT/webhooks', 'exec stripe listen --forward-to localhost:$PORT/webhooks', 'stripe'),
  simple('ngrok http $PORT', 'exec ngrok http $PORT', 'ngrok'),
  simple('caddy run --config Caddyfile', 'exec caddy run --config Caddyfile', 'caddy'),
  simple('tail -f log/development.log', 'exec tail -f log/development.log', 'tail'),
  simple('rails s >log/dev.log 2>&1', 'exec rails s >log/dev.log 2>&1', 'rails'),
  // echo is a builtin: never exec'd (dash's echo expands \t, /usr/bin/echo does not).
  compound("echo 'a # b'"),
  // The program is only known after expansion: it could be a builtin.
  compound('"$HOME/bin/server" --port $PORT'),
  simple(
    `sh -c 'trap "echo got TERM; sleep 3; echo drained; exit 0" TERM; echo ready; while true; do sleep 1; done'`,
    `exec sh -c 'trap "echo got TERM; sleep 3; echo drained; exit 0" TERM; echo ready; while true; do sleep 1; done'`,
    'sh',
  ),
  compound('cd frontend && npm run dev'),
  compound('cd api; go run .'),
  compound('(cd docs && hugo server)'),
  compound('source venv/bin/activate && flask run'),
  compound('. ./env.sh; ./server'),
  compound('export A=1; node x.js'),
  compound('sleep 2 && npm run worker'),
  compound('while true; do ./job; sleep 5; done'),
  compound('env $(cat .env | xargs) node app.js'),
  compound('ruby app.rb 2>&1 | tee log/app.log'),
  compound('npm run css -- --watch & npm run js -- --watch'),
];

const EDGES: Array<[string, Case]> = [
  ['blank', { command: '', kind: 'exec', script: '', word: undefined }],
  ['whitespace only', { command: ' \t ', kind: 'exec', script: ' \t ', word: undefined }],
  ['leading blanks kept', simple('  node x', '  exec node x', 'node')],
  ['assignment with single quotes', simple("FOO='x;y' node x", "FOO='x;y' exec node x", 'node')],
  ['assignment with an expansion', simple('PATH=$PWD/bin:$PATH server', 'PATH=$PWD/bin:$PATH exec server', 'server')],
  ['not a name: no assignment', simple('1A=2 node', 'exec 1A=2 node', '1A=2')],
  ['only assignments', compound('A=1 B=2')],
  ['already exec after an assignment', simple('A=1 exec node x', 'A=1 exec node x', 'node')],
  ['exec alone', { command: 'exec', kind: 'exec', script: 'exec', word: undefined }],
  ['exec with only redirections', { command: 'exec >log', kind: 'exec', script: 'exec >log', word: undefined }],
  ['quoted exec is exec', simple('"exec" node', '"exec" node', 'node')],
  ['quoted program word', simple('"bin/my server" --x', 'exec "bin/my server" --x', 'bin/my server')],
  ['escaped program word', simple('bin/my\\ server', 'exec bin/my\\ server', 'bin/my server')],
  ['double-quote escapes', simple('"a\\"b\\$c\\x" y', 'exec "a\\"b\\$c\\x" y', 'a"b$c\\x')],
  ['escaped ; is a word', simple('node \\; x', 'exec node \\; x', 'node')],
  ['quoted ; & | are words', simple(`node ";" '&' "|" x`, `exec node ";" '&' "|" x`, 'node')],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  ['$VAR and ${VAR} in arguments', simple('node "$A" ${B}', 'exec node "$A" ${B}', 'node')],
  ['# inside a word is no comment', simple('node a#b', 'exec node a#b', 'node')],
  ['comment with operators', simple('node x # a; b && c', 'exec node x # a; b && c', 'node')],
  ['only a comment', compound('# nothing')],
  ['stdin, append and fd redirections', simple('app <in >>out 2>&1 3<&0', 'exec app <in >>out 2>&1 3<&0', 'app')],
  ['>| and <> are redirections', simple('app >|out 4<>f', 'exec app >|out 4<>f', 'app')],
  ['redirection glued to a word', simple('app x>out', 'exec app x>out', 'app')],
  ['redirection before the program', compound('>log app')],
  ['&> is & then > in dash', compound('app &>log')],
  ['here-document', compound('cat <<EOF')],
  ['process substitution', compound('diff <(a) b')],
  ['redirection without a target', compound('app >')],
  ['trailing &', compound('node server.js &')],
  ['||', compound('node a || node b')],
  ['newline', compound('node a\nnode b')],
  ['backtick', compound('node `which x`')],
  ['backtick in double quotes', compound('node "`x`"')],
  ['$( in double quotes', compound('node "$(x)"')],
  ['$(( arithmetic', compound('node $((1+2))')],
  ['backtick and $( in single quotes are text', simple("node '`x` $(y)'", "exec node '`x` $(y)'", 'node')],
  ['unterminated single quote', compound("node 'x")],
  ['unterminated double quote', compound('node "x')],
  ['trailing backslash', compound('node x\\')],
  ['line continuation', compound('node \\\nx')],
  ['glob in the program word', compound('bin/* x')],
  ['$VAR as the program', compound('$CMD x')],
  ['if', compound('if true; then node x; fi')],
  ['{ group }', compound('{ node x; }')],
  ['!', compound('! node x')],
  ['[[', compound('[[ -f x ]]')],
  ['time (a keyword in bash)', compound('time node x')],
  ['reserved word after an assignment', compound('A=1 while')],
  ['cd', compound('cd x')],
  ['quoted builtin is still the builtin', compound('"cd" x')],
  ['escaped builtin is still the builtin', compound('\\cd x')],
  ['builtin after an assignment', compound('A=1 export B')],
  ['eval', compound('eval "$CMD"')],
  ['wait', compound('wait')],
  ['trap', compound("trap '' INT")],
  ['ulimit', compound('ulimit -n 4096')],
  ['umask', compound('umask 022')],
  ['true', compound('true')],
  ['printf', compound('printf x')],
  ['[', compound('[ -f x ]')],
  ['kill', compound('kill 1')],
  ['bash builtin', compound('declare -x A=1')],
];

const fixture = readFileSync(resolve(import.meta.dirname, '../fixtures/real-procfile-commands.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

describe('shellScript and commandWord', () => {
  it('the table covers the real-Procfile corpus line by line', () => {
    expect(REAL.map((c) => c.command)).toEqual(fixture);
  });

  it.each(REAL.map((c) => [c.command, c] as const))('real: %s', (_command, c) => {
    const script = shellScript(c.command);
    expect(script).toBe(c.script);
    expect(script.startsWith(TRAP)).toBe(c.kind === 'trap');
    expect(commandWord(c.command)).toBe(c.word);
  });

  it.each(EDGES)('edge: %s', (_name, c) => {
    const script = shellScript(c.command);
    expect(script).toBe(c.script);
    expect(script.startsWith(TRAP)).toBe(c.kind === 'trap');
    expect(commandWord(c.command)).toBe(c.word);
  });
});
