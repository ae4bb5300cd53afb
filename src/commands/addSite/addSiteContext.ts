import type { ApiKind } from '../../api/resources';
import type { SiteConfig, WriteProfile } from '../../sites/siteConfig';
import type { SiteRegistry } from '../../sites/siteRegistry';
import type { Wrong } from '../siteKey';

/**
 * What Add Site had when its key check failed. Kept in memory only (the key never reaches
 * settings or state), so that Retry, or the next Add Site after the message was closed, asks
 * only for what was wrong instead of starting over.
 */
export interface UnfinishedSite {
  readonly site: SiteConfig;
  readonly key: string;
  readonly wrong: Wrong;
  readonly reason: string;
}

/** What outlives one Add Site: held by the site commands for as long as the extension runs. */
export interface AddSiteMemory {
  unfinished?: UnfinishedSite;
}

/** The answers of one Add Site, filled in by its steps. */
export interface AddSiteContext {
  readonly registry: SiteRegistry;
  readonly memory: AddSiteMemory;
  /** The kept site being continued (the resume step, or Retry): its answers are already in `site` and `key`. */
  resumed?: UnfinishedSite;
  kind?: ApiKind;
  name?: string;
  /** Normalised; a directory site's only. */
  url?: string;
  writeProfile?: WriteProfile;
  /** The site as answered, once the key step (or the kept site) made it. */
  site?: SiteConfig;
  /** Trimmed. */
  key?: string;
}
