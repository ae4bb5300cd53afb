// CLI for the sandbox: `npm run sandbox -- --port 3939 --rate 100/60000 …`.

import { parseArgs } from 'node:util';
import { parseClockInstant } from './data';
import { startSandbox, type SandboxOptions } from './server';

const USAGE = `Usage: node out/sandbox/main.js [options]
  --port N          port to listen on (default 3939; 0 = any free port)
  --host H          interface to bind (default 127.0.0.1)
  --rate N/MS       rate limit per key, e.g. 100/60000 (default: unlimited)
  --latency MS      delay added before every API reply (default 0)
  --errors R        share 0..1 of API requests answered 500
  --drops R         share 0..1 of API requests whose connection is dropped
  --seed N          seed for the fault sequence (default 1)
  --html STATUS     answer every API request with a firewall HTML page
  --freeze-clock T  stop the sandbox clock at T ("YYYY-MM-DD HH:MM:SS", UTC)
  --extra-notifications N  N website notifications beyond the seed's 12,100
  --json            print {"url","bdKey","bdLimitedKey","copernicaToken"} as the first line
  --help, -h        show this text`;

export class UsageError extends Error {}

function number(flag: string, raw: string | undefined, check: (n: number) => boolean): number {
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`invalid value for ${flag}: ${raw ?? '(missing)'}`);
  return n;
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  rate: { type: 'string' },
  latency: { type: 'string' },
  errors: { type: 'string' },
  drops: { type: 'string' },
  seed: { type: 'string' },
  html: { type: 'string' },
  'freeze-clock': { type: 'string' },
  'extra-notifications': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    // node:util's messages (unknown option, missing or ambiguous value, stray argument) are clear as they are.
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Reads the command line (`--flag value` or `--flag=value`); throws UsageError on anything wrong. */
export function parseCommandLine(argv: readonly string[]): { options: SandboxOptions; json: boolean; help: boolean } {
  const values = readFlags(argv); // the last occurrence of a repeated flag wins
  const options: SandboxOptions = { port: 3939 };
  if (values.port !== undefined) options.port = number('--port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535);
  if (values.host !== undefined) {
    if (!values.host) throw new UsageError('--host needs a value');
    options.host = values.host;
  }
  if (values.rate !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.rate);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`invalid value for --rate: ${values.rate} (expected N/MS, e.g. 100/60000)`);
    options.rateLimit = { requests: Number(m[1]), windowMs: Number(m[2]) };
  }
  if (values.latency !== undefined) options.latencyMs = number('--latency', values.latency, (n) => n >= 0);
  const errors = values.errors === undefined ? 0 : number('--errors', values.errors, (n) => n >= 0 && n <= 1);
  const drops = values.drops === undefined ? 0 : number('--drops', values.drops, (n) => n >= 0 && n <= 1);
  const seed = values.seed === undefined ? undefined : number('--seed', values.seed, Number.isInteger);
  if (values.html !== undefined) options.htmlMode = { status: number('--html', values.html, (n) => Number.isInteger(n) && n >= 100 && n <= 599) };
  const frozenAt = values['freeze-clock'];
  if (frozenAt !== undefined) {
    if (parseClockInstant(frozenAt) === null) throw new UsageError(`invalid value for --freeze-clock: ${frozenAt} (expected "YYYY-MM-DD HH:MM:SS", UTC)`);
    options.clock = { frozenAt };
  }
  const extra = values['extra-notifications'];
  if (extra !== undefined) options.extraNotifications = number('--extra-notifications', extra, (n) => Number.isInteger(n) && n >= 0);
  if (errors + drops > 1) throw new UsageError('--errors plus --drops must not exceed 1');
  if (errors || drops || seed !== undefined) options.faults = { serverErrorRate: errors, dropRate: drops, ...(seed === undefined ? {} : { seed }) };
  return { options, json: values.json ?? false, help: values.help ?? false };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sandbox = await startSandbox(parsed.options);
  const info = { url: sandbox.url, bdKey: sandbox.bdKey, bdLimitedKey: sandbox.bdLimitedKey, copernicaToken: sandbox.copernicaToken };
  if (parsed.json) {
    // Scripts read exactly this first line; nothing else goes to stdout.
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    const o = parsed.options;
    process.stdout.write(
      [
        `Directory Records sandbox listening on ${sandbox.url}`,
        `  BD base URL:        ${sandbox.url}   (API under /api/v2/)`,
        `  BD key:             ${sandbox.bdKey}`,
        `  BD limited key:     ${sandbox.bdLimitedKey}   (403 on users_clicks)`,
        `  Copernica base URL: ${sandbox.url}/v2/   token: ${sandbox.copernicaToken}`,
        `  rate limit: ${o.rateLimit ? `${o.rateLimit.requests} per ${o.rateLimit.windowMs} ms` : 'off'}, latency: ${o.latencyMs ?? 0} ms, ` +
          `errors: ${o.faults?.serverErrorRate ?? 0}, drops: ${o.faults?.dropRate ?? 0}, html: ${o.htmlMode ? o.htmlMode.status : 'off'}, ` +
          `clock: ${o.clock ? `frozen at ${o.clock.frozenAt}` : 'real time'}`,
        '',
        'Try:',
        `  curl -H "X-Api-Key: ${sandbox.bdKey}" "${sandbox.url}/api/v2/contacts/get?limit=2"`,
        '',
        'Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.exit(130); // second signal: give up waiting
    }
    stopping = true;
    if (!parsed.json) process.stdout.write(`\n${signal}: stopping sandbox…\n`);
    sandbox.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`error while stopping: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    process.stderr.write(code === 'EADDRINUSE' ? `port already in use: ${String((e as Error).message)}\n` : `${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  });
}
