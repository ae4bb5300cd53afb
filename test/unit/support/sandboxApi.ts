import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { BdClient, type BdClientOptions } from '../../../src/api/bdClient';
import { CopernicaClient, type CopernicaClientOptions } from '../../../src/api/copernicaClient';
import { createSiteApi, type SiteApi, type SiteApiOptions } from '../../../src/sites/siteApi';

/**
 * Which client a suite talks to the sandbox through: the raw clients (`bdClient`,
 * `copernicaClient`), a site's SiteApi (`brilliantDirectories`, `copernica`), or none.
 */
export type SandboxApiKind = 'none' | ClientKind;
type ClientKind = 'bdClient' | 'copernicaClient' | 'brilliantDirectories' | 'copernica';

interface ClientOf {
  none: undefined;
  bdClient: BdClient;
  copernicaClient: CopernicaClient;
  brilliantDirectories: SiteApi;
  copernica: SiteApi;
}

interface OptionsOf {
  none: Record<string, never>;
  bdClient: Partial<BdClientOptions>;
  copernicaClient: Partial<CopernicaClientOptions>;
  brilliantDirectories: Partial<SiteApiOptions>;
  copernica: Partial<SiteApiOptions>;
}

export interface SandboxApiOptions<K extends SandboxApiKind> {
  /** The main client's options over the defaults; a function is read each time the client is built (per test, with `perTest`). */
  readonly api?: OptionsOf[K] | (() => OptionsOf[K]);
  /**
   * Build the main client before each test and dispose of it after, instead of once for the
   * suite: for a client on a fresh FakeClock. beforeEach hooks the suite registers before
   * calling withSandboxApi run first, so the options function sees what they made.
   */
  readonly perTest?: boolean;
}

export interface SandboxApi<K extends SandboxApiKind> {
  /** Started on loopback before the suite, reset (seed data, config, faults, request log) before each test. */
  readonly sandbox: Sandbox;
  /** The client of `kind`, with the defaults: this sandbox's URL and key or token, no pacing, no log. */
  readonly api: ClientOf[K];
  /** Another client of any kind against this sandbox, on the same defaults; disposed of after the suite. */
  make<M extends ClientKind>(kind: M, options?: OptionsOf[M]): ClientOf[M];
}

function makeClient<M extends ClientKind>(sandbox: Sandbox, kind: M, options: OptionsOf[M]): ClientOf[M] {
  switch (kind) {
    case 'bdClient':
      return new BdClient({ siteUrl: sandbox.url, apiKey: sandbox.bdKey, rateLimit: null, ...options }) as ClientOf[M];
    case 'copernicaClient':
      return new CopernicaClient({ baseUrl: sandbox.url, token: sandbox.copernicaToken, rateLimit: null, ...options }) as ClientOf[M];
    default: {
      const secret = kind === 'copernica' ? sandbox.copernicaToken : sandbox.bdKey;
      const site: SiteApiOptions = { kind: kind as SiteApiOptions['kind'], url: sandbox.url, secret, rateLimit: null, log: () => undefined, ...options };
      return createSiteApi(site) as ClientOf[M];
    }
  }
}

/**
 * One sandbox and its client for a describe block (mocha before/after): the sandbox starts on a
 * free loopback port, is reset before each test, and closes after the suite, once every client
 * made for it is disposed of.
 */
export function withSandboxApi<K extends SandboxApiKind>(kind: K, options: SandboxApiOptions<K> = {}): SandboxApi<K> {
  const made: { dispose(): Promise<void> }[] = [];
  const fixture = {} as { sandbox: Sandbox; api: ClientOf[K] };
  const main = (): ClientOf[K] => {
    if (kind === 'none') return undefined as ClientOf[K];
    const settings = typeof options.api === 'function' ? options.api() : options.api;
    return makeClient(fixture.sandbox, kind as ClientKind, settings ?? {}) as ClientOf[K];
  };
  before(async () => {
    fixture.sandbox = await startSandbox({ port: 0 });
    if (!options.perTest) fixture.api = main();
  });
  beforeEach(() => {
    fixture.sandbox.reset();
    if (options.perTest) fixture.api = main();
  });
  if (options.perTest) {
    afterEach(async () => {
      await fixture.api?.dispose();
    });
  }
  after(async () => {
    if (!options.perTest) await fixture.api?.dispose();
    await Promise.all(made.map((client) => client.dispose()));
    await fixture.sandbox?.close();
  });
  return {
    get sandbox() {
      return fixture.sandbox;
    },
    get api() {
      return fixture.api;
    },
    make(other, settings = {}) {
      const client = makeClient(fixture.sandbox, other, settings);
      made.push(client);
      return client;
    },
  };
}
