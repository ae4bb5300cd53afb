// CLI for the sandbox: `npm run sandbox -- --port 3939 --rate 100/60000 …`.

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
  --json            print {"url","bdKey","bdLimitedKey","copernicaToken"} as the first line
  --help            show this text`;

class UsageError extends Error {}

function number(flag: string, raw: string | undefined, check: (n: number) => boolean): number {
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`invalid value for ${flag}: ${raw ?? '(missing)'}`);
  return n;
}

export function parseArgs(argv: readonly string[]): { options: SandboxOptions; json: boolean; help: boolean } {
  const options: SandboxOptions = { port: 3939 };
  let json = false;
  let help = false;
  let errors = 0;
  let drops = 0;
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    // Accept both "--flag value" and "--flag=value".
    const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port': options.port = number(flag, value(), (n) => Number.isInteger(n) && n >= 0 && n <= 65535); break;
      case '--host': options.host = value(); if (!options.host) throw new UsageError('--host needs a value'); break;
      case '--rate': {
        const raw = value();
        const m = /^(\d+)\/(\d+)$/.exec(raw ?? '');
        if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`invalid value for --rate: ${raw ?? '(missing)'} (expected N/MS, e.g. 100/60000)`);
        options.rateLimit = { requests: Number(m[1]), windowMs: Number(m[2]) };
        break;
      }
      case '--latency': options.latencyMs = number(flag, value(), (n) => n >= 0); break;
      case '--errors': errors = number(flag, value(), (n) => n >= 0 && n <= 1); break;
      case '--drops': drops = number(flag, value(), (n) => n >= 0 && n <= 1); break;
      case '--seed': seed = number(flag, value(), Number.isInteger); break;
      case '--html': options.htmlMode = { status: number(flag, value(), (n) => Number.isInteger(n) && n >= 100 && n <= 599) }; break;
      case '--json': json = true; break;
      case '--help': case '-h': help = true; break;
      default: throw new UsageError(`unknown option: ${argv[i]}`);
    }
  }
  if (errors + drops > 1) throw new UsageError('--errors plus --drops must not exceed 1');
  if (errors || drops || seed !== undefined) options.faults = { serverErrorRate: errors, dropRate: drops, ...(seed === undefined ? {} : { seed }) };
  return { options, json, help };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
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
          `errors: ${o.faults?.serverErrorRate ?? 0}, drops: ${o.faults?.dropRate ?? 0}, html: ${o.htmlMode ? o.htmlMode.status : 'off'}`,
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
