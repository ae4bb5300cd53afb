// What the e2e flows share about the sandbox sites they run against: the settings and environment
// that configure them, a fresh contact to work on, what the sandbox received, and opening a
// contact from the tree.
import type { Locator, Page } from 'playwright-core';
import { SandboxControl, type RecordedRequest } from '../../sandbox/control';
import type { E2EFlow, SandboxInfo } from './harness';
import {
  clickActivityBarItem,
  contactLabel,
  dismissHover,
  expandTreeItem,
  pickContact,
  treeRow,
  waitForActiveTab,
  waitForEditorText,
  waitForTreeItem,
  waitForView,
  waitUntil,
  type SandboxRecord,
} from './workbench';

/** A sandbox site in the user settings: its name, its kind (default Brilliant Directories) and any more of its settings (writeProfile, requestsPerMinute). */
export interface SandboxSite {
  readonly name: string;
  readonly kind?: 'brilliantDirectories' | 'copernica';
  readonly [setting: string]: unknown;
}

/**
 * Sites on the sandbox in the user settings, each with its key or token preloaded into
 * SecretStorage on activation (DIRECTORY_RECORDS_DEV_SECRETS, as `npm run demo` does), and
 * `settings`, more user settings.
 */
export function sandboxSites(sites: SandboxSite | readonly SandboxSite[], settings: Record<string, unknown> = {}): Pick<E2EFlow, 'settings' | 'env'> {
  const list = (Array.isArray(sites) ? sites : [sites]) as readonly SandboxSite[];
  return {
    settings: (sandbox: SandboxInfo) => ({
      ...settings,
      'directoryRecords.sites': list.map(({ name, kind = 'brilliantDirectories', ...more }) => ({ name, kind, url: sandbox.url, ...more })),
    }),
    env: (sandbox: SandboxInfo) => ({
      DIRECTORY_RECORDS_DEV_SECRETS: JSON.stringify(Object.fromEntries(list.map(({ name, kind }) => [name, kind === 'copernica' ? sandbox.copernicaToken : sandbox.bdKey]))),
    }),
  };
}

/** The requests as `METHOD /path`, for assertion messages. */
export const show = (requests: RecordedRequest[]): string[] => requests.map((r) => `${r.method} ${r.path}`);
export const writes = (requests: RecordedRequest[]): RecordedRequest[] => requests.filter((r) => r.method !== 'GET');

/** Resets the sandbox and picks a contact on the tree's first page (newest first). */
export async function freshContact(sandbox: SandboxInfo): Promise<{ control: SandboxControl; contact: SandboxRecord; id: string; label: string }> {
  const control = new SandboxControl(sandbox.url);
  await control.reset();
  const contact = await pickContact((id) => control.getRecord('contacts', id), 238);
  return { control, contact, id: contact['contact_id']!, label: contactLabel(contact) };
}

/** Shows the Sites view with `site` and its Contacts expanded; returns the Contacts row. */
export async function showContacts(page: Page, site: string): Promise<Locator> {
  await clickActivityBarItem(page, 'Directory Records');
  await waitForView(page, 'Sites');
  await expandTreeItem(page, 'Sites', site);
  // The site row's tooltip, shown under the mouse after that click, would cover Contacts.
  await dismissHover(page);
  await expandTreeItem(page, 'Sites', 'Contacts');
  await dismissHover(page);
  return treeRow(page, 'Sites', 'Contacts');
}

/** Opens the contact from the tree (a click on its row) and waits for its JSON in the editor. */
export async function openContact(page: Page, site: string, label: string, id: string): Promise<void> {
  await showContacts(page, site);
  await (await waitForTreeItem(page, 'Sites', label)).click();
  await waitForActiveTab(page, `${id}.json`);
  await waitForEditorText(page, (t) => t.includes(`"contact_id": "${id}"`), `contact ${id}`);
}

/**
 * Waits until the sandbox has received no new request for `quietMs` (opening a record reads it,
 * and opening it from the tree may read it once more), so a later clearRequests() starts clean.
 */
export async function requestsSettled(page: Page, control: SandboxControl, { quietMs = 1000, timeoutMs = 15_000 } = {}): Promise<void> {
  let count = -1;
  let since = Date.now();
  await waitUntil(
    page,
    `no new sandbox request for ${quietMs} ms`,
    async () => {
      const now = (await control.requests()).length;
      if (now !== count) {
        count = now;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    { timeoutMs },
  );
}
