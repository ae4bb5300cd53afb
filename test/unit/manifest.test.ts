import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../src/commandIds';

// package.json and src/commandIds.ts must name the same commands: one contributed but not
// registered fails when clicked ("command not found"); one registered but not contributed has
// no title and no menu. (registerCommands registers exactly Object.values(COMMANDS).)
// That every %key% has a string is checked in l10n.test.ts.

interface MenuEntry {
  readonly command?: string;
  readonly alt?: string;
  readonly submenu?: string;
}

interface ConfigurationSection {
  readonly properties: Readonly<Record<string, { readonly scope?: string }>>;
}

interface Manifest {
  readonly activationEvents?: readonly string[];
  readonly contributes: {
    readonly commands: readonly { readonly command: string; readonly title: string }[];
    readonly menus?: Readonly<Record<string, readonly MenuEntry[]>>;
    readonly keybindings?: readonly { readonly command: string }[];
    readonly views?: Readonly<Record<string, readonly { readonly id: string }[]>>;
    readonly configuration?: ConfigurationSection | readonly ConfigurationSection[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as Manifest;
const ids = Object.values(COMMANDS) as readonly string[];
const contributed = manifest.contributes.commands.map((c) => c.command);
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

describe('package.json against COMMANDS', () => {
  it('contributes exactly the commands in COMMANDS, each once', () => {
    assert.deepEqual(sorted(contributed), sorted(ids));
    assert.equal(contributed.length, new Set(contributed).size, 'a command is contributed twice');
    assert.equal(ids.length, new Set(ids).size, 'two COMMANDS entries share an id');
  });

  it('every command in contributes.menus (and its alt) is one of COMMANDS, so contributed', () => {
    const menus = Object.entries(manifest.contributes.menus ?? {});
    assert.ok(menus.length > 0, 'expected contributes.menus');
    const unknown = menus.flatMap(([menu, entries]) =>
      entries.flatMap((entry) => [entry.command, entry.alt]).filter((id): id is string => id !== undefined && !ids.includes(id)).map((id) => `${menu}: ${id}`),
    );
    assert.deepEqual(unknown, []);
    for (const [menu, entries] of menus) {
      for (const entry of entries) assert.ok(entry.command !== undefined || entry.submenu !== undefined, `${menu}: an entry with neither command nor submenu`);
    }
  });

  it('keybindings name only COMMANDS', () => {
    const unknown = (manifest.contributes.keybindings ?? []).map((k) => k.command).filter((id) => !ids.includes(id));
    assert.deepEqual(unknown, []);
  });

  it('activationEvents name only contributed commands and views, and no redundant onCommand', () => {
    const events = manifest.activationEvents ?? [];
    const views = Object.values(manifest.contributes.views ?? {}).flatMap((list) => list.map((v) => v.id));
    const onCommand = events.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
    assert.deepEqual(onCommand.filter((id) => !ids.includes(id)), [], 'onCommand: for a command that is not in COMMANDS');
    // Since VS Code 1.74 a contributed command activates the extension by itself.
    assert.deepEqual(onCommand.filter((id) => contributed.includes(id)), [], 'onCommand: for a contributed command is redundant');
    const onView = events.filter((e) => e.startsWith('onView:')).map((e) => e.slice('onView:'.length));
    assert.deepEqual(onView.filter((id) => !views.includes(id)), [], 'onView: for a view that is not contributed');
  });

  it('settings a cloned workspace must not change (sites and keys, pace, the CSV formula guard) are user-only (scope application)', () => {
    const configuration = manifest.contributes.configuration;
    const sections: readonly ConfigurationSection[] = configuration === undefined ? [] : 'properties' in configuration ? [configuration] : configuration;
    const scopes = new Map(sections.flatMap((section) => Object.entries(section.properties)).map(([key, value]) => [key, value.scope]));
    for (const key of ['directoryRecords.sites', 'directoryRecords.requestsPerMinute', 'directoryRecords.export.csvFormulaGuard', 'directoryRecords.agent.unmaskedSites', 'directoryRecords.mcp.enabled', 'directoryRecords.mcp.allowProposals']) {
      assert.ok(scopes.has(key), `${key} is contributed`);
      assert.equal(scopes.get(key), 'application', `${key}: a workspace's .vscode/settings.json could override it`);
    }
  });
});
