// What bench section (c) and its in-host half (bench/host/measure.ts) say to each other through
// files: the harness (scripts/lib/benchHost.mjs) writes a plan before each fresh extension host,
// the host writes one report. The browser reports nothing, so files are the only channel.

/** Env var (set on code-server, inherited by every extension host) naming the plan file. */
export const PLAN_ENV = 'DIRECTORY_RECORDS_BENCH_PLAN';

/** The extension under test. */
export const EXTENSION_ID = 'directory-records.directory-records';

/**
 * Two do-nothing extensions loaded beside ours (extensionDevelopmentPath), activated through the same
 * API: the first absorbs the host's first-activation costs, the second is the baseline.
 */
export const TRIVIAL_PUBLISHER = 'directory-records-bench';
export const TRIVIAL_NAMES = ['trivial-warmup', 'trivial-baseline'] as const;
export const TRIVIAL_IDS = TRIVIAL_NAMES.map((name) => `${TRIVIAL_PUBLISHER}.${name}`);

export type HostMode = 'activation' | 'full';

export interface HostPlan {
  /** 1-based, in the order the hosts are started. */
  readonly index: number;
  readonly mode: HostMode;
  /** Where the host writes its HostReport (atomically: temporary name, then rename). */
  readonly resultsFile: string;
  /** The workbench's user data folder, the same for every host (so the extension's global storage, with its code cache, is kept from one host to the next). */
  readonly userDataDir: string;
}

export interface ActivationReport {
  /** The first trivial extension: absorbs one-off costs of the first API activation. */
  readonly warmupTrivialMs: number;
  /** Ours: `await getExtension(id).activate()` on a not-yet-active extension. */
  readonly ms: number;
  /** The second trivial extension, activated right after ours: the baseline. */
  readonly trivialMs: number;
  /** Time inside require() of dist/extension.js (seen through a Module._load hook); undefined if not seen. */
  readonly codeLoadMs: number | undefined;
  /** Time in the module's activate() (its returned promise included). */
  readonly activateCallMs: number | undefined;
  readonly trivialCodeLoadMs: number | undefined;
  readonly trivialActivateCallMs: number | undefined;
  /** Median of the last three setContext round trips to the workbench just before measuring. */
  readonly roundTripMs: number;
  /** require() of an empty file, the floor of any module load in this process. */
  readonly emptyRequireMs: number;
  /** How long the host waited for other extensions' start-up activations to settle first. */
  readonly quietWaitMs: number;
  readonly quiet: boolean;
  /** Extensions active when ours was activated (context; ours must not be among them). */
  readonly activeBefore: number;
  /** Size of dist/extension.js just before it was activated: must be the bundle the section built. */
  readonly bundleBytes: number;
  /** Whether dist/extension.js was loaded from the code cache an earlier host left ('read') or compiled ('compiled'). */
  readonly codeCache: 'read' | 'compiled';
}

/** process.memoryUsage() of the extension host, bytes (median of five samples). */
export interface MemorySample {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** One Load more: the command, then VS Code fetching the node's children again (all of them). */
export interface LoadStep {
  readonly records: number;
  /** Until the command resolved (the page is in the model). */
  readonly commandMs: number;
  /** Until VS Code had the node's children with the new page (fetched from the provider). */
  readonly shownMs: number;
  /** getTreeItem calls VS Code made for this step. */
  readonly treeItems: number;
  /** Elements getChildren handed VS Code in this step: the extension host makes one tree node of each. */
  readonly nodes: number;
  readonly heapUsed: number;
  readonly rss: number;
}

export interface FullReport {
  readonly siteApiLoadMs: number;
  /** ms inside Module._load for dist/siteCommands.js: a command feature's first use. */
  readonly featureLoadMs: number;
  /** Size of dist/siteApi.js just before its first load. */
  readonly siteApiBytes: number;
  /** What triggered the first load of dist/siteApi.js (the first request the extension made). */
  readonly siteApiLoadTrigger: string;
  readonly setApiKeyMs: number;
  readonly expand: {
    /** model → requests seen in the sandbox log during expand site → expand each resource → children returned. */
    readonly perResource: Record<string, number>;
    /** Records in each resource's first page as the tree returned it. */
    readonly firstPageRecords: Record<string, number>;
    /** Requests not attributable to one resource (should be none). */
    readonly other: string[];
    readonly pageSize: number;
    /** Requests during expanding each resource once its count was already shown (after the prefetch). */
    readonly afterCountShown: number;
    readonly ms: number;
  };
  readonly save: {
    readonly requests: { method: string; path: string; status: number }[];
    readonly putFields: string[];
    readonly putBodyBytes: number;
    /** The PUT body re-encoded from the log equals what the client's encoding of the changed fields gives. */
    readonly putBodyMatchesClientEncoding: boolean;
    readonly wholeRecordBytes: number;
    readonly wholeRecordFields: number;
    readonly field: string;
    readonly ms: number;
  };
  readonly memory: {
    readonly gcForced: boolean;
    readonly pageSize: number;
    readonly loads: number;
    readonly loadRequests: number;
    readonly recordsShown: number;
    readonly loadMs: number;
    readonly loadTrace: LoadStep[];
    /** Time VS Code's calls spent inside the provider during the loads, and how many tree items it asked for. */
    readonly providerDuringLoads: { getChildrenMs: number; getTreeItemMs: number; getTreeItemCalls: number; nodesCreated: number };
    readonly firstPage: MemorySample;
    readonly loaded: MemorySample;
    readonly collapsed: MemorySample;
    /** After expanding the collapsed node again. */
    readonly reexpanded: MemorySample;
    /** Whether VS Code asked the provider for the node's children again on that expand. */
    readonly reexpandFetched: boolean;
    /** Requests made by that expand (1 = the trimmed resource fetched its first page again). */
    readonly reexpandRequests: number;
    /** Records VS Code got (or, when it did not ask, still shows from before the collapse). */
    readonly reexpandRecords: number;
    /** After the extension's Refresh of the node, which tells VS Code it changed. */
    readonly refreshed: MemorySample;
    /** Load-then-Refresh, repeated: the heap before the first and after the last (same sampling). */
    readonly repeats: { readonly count: number; readonly loads: number; readonly rowsShown: number; readonly start: MemorySample; readonly end: MemorySample };
  };
}

export interface HostReport {
  readonly index: number;
  readonly mode: HostMode;
  readonly pid: number;
  readonly vscodeVersion: string;
  readonly nodeVersion: string;
  readonly activation?: ActivationReport;
  readonly full?: FullReport;
  /** Set when the measurement itself failed in the host; the harness reports it as broken. */
  readonly error?: string;
  readonly log: string[];
}

/** What scripts/lib/benchHost.mjs writes when it is done (or gives up). */
export interface HarnessSummary {
  readonly ok: boolean;
  readonly error?: string;
  readonly codeServerVersion?: string;
  readonly hosts: HostReport[];
  readonly logDir: string;
  readonly seconds: number;
}

/** The harness's input, written by the section to a JSON file named on the command line. */
export interface HarnessConfig {
  readonly summaryFile: string;
  readonly modes: HostMode[];
  readonly hostTimeoutMs: number;
  readonly fullHostTimeoutMs: number;
  readonly entry: string;
}

/**
 * The pause before each timed Load more, as a person reading the new rows makes. VS Code's
 * extension host passes a tree's change events through a 200 ms debounce that fires the first
 * at once and holds any that follow within 200 ms; loads sent back to back therefore take turns,
 * one shown at once and the next held ~200 ms, whatever the extension does (the per-load trace
 * of the earlier runs alternated 60–90 / 260–310 ms). Waiting past that window times our work.
 */
export const PAUSE_BEFORE_LOAD_MS = 300;
