// Issue 21: the same tools over MCP, served from the extension host on loopback with a random
// bearer token, off by default. VS Code starts it from the definition the extension provides,
// lists its tools among vscode.lm.tools and invokes them; a request without the token is refused.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { apiRequests, clearSites, closeAllEditors, control, extensionExports, sandboxInfo, useSites, waitFor } from './support/world';

const BD = 'MCP BD';
/** The server definition's id as VS Code makes it: the extension's id and the definition's label. */
const SERVER_ID = 'directory-records.directory-records/Directory Records';

const textOf = (result: vscode.LanguageModelToolResult): string => result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');

/** The MCP server's tools as VS Code lists them (not the extension's own directoryRecords_* tools). */
function mcpTools(): vscode.LanguageModelToolInformation[] {
  return vscode.lm.tools.filter((tool) => !tool.name.startsWith('directoryRecords_') && /directoryRecords_(findRecords|getRecord|listSites|summarizeClicks|openRecord|openTable|proposeChanges|proposeBulk)$/.test(tool.name));
}

describe('MCP server (in-host)', function () {
  this.timeout(90_000);

  before(async () => {
    await control().reset();
    await useSites([{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('directoryRecords.mcp').update('enabled', undefined, vscode.ConfigurationTarget.Global);
    await clearSites();
  });

  it('is off by default: no server runs and VS Code lists none of its tools', async () => {
    assert.equal(vscode.workspace.getConfiguration('directoryRecords.mcp').get('enabled'), false);
    assert.equal(await (await extensionExports()).testing!.mcpUrl(), undefined);
    assert.deepEqual(mcpTools().map((t) => t.name), []);
  });

  it('enabled, it starts on loopback; VS Code lists its read tools (no proposals unless allowed) and answers as the direct tools do', async () => {
    await vscode.workspace.getConfiguration('directoryRecords.mcp').update('enabled', true, vscode.ConfigurationTarget.Global);
    // The first start right after the definitions change can be a no-op: retried until the tools appear.
    const tools = await waitFor(
      'the MCP server\'s tools',
      async () => {
        await vscode.commands.executeCommand('workbench.mcp.startServer', SERVER_ID).then(undefined, () => undefined);
        const found = mcpTools();
        return found.length > 0 ? found : undefined;
      },
      60_000,
    );
    const url = await (await extensionExports()).testing!.mcpUrl();
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const names = tools.map((t) => t.name.replace(/^.*(directoryRecords_\w+)$/, '$1')).sort();
    assert.deepEqual(names, ['directoryRecords_findRecords', 'directoryRecords_getRecord', 'directoryRecords_listSites', 'directoryRecords_openRecord', 'directoryRecords_openTable', 'directoryRecords_summarizeClicks']);

    const viaMcp = async (tool: string, input: object): Promise<string> => textOf(await vscode.lm.invokeTool(tools.find((t) => t.name.endsWith(tool))!.name, { input, toolInvocationToken: undefined }));
    const direct = async (tool: string, input: object): Promise<string> => textOf(await vscode.lm.invokeTool(tool, { input, toolInvocationToken: undefined }));
    const find = { site: BD, text: 'jane', resource: 'contacts' };
    const get = { site: BD, resource: 'contacts', id: '1' };
    await control().clearRequests();
    const mcpFind = await viaMcp('directoryRecords_findRecords', find);
    assert.ok((await apiRequests()).length > 0, 'MCP\'s find read the site');
    assert.equal(mcpFind, await direct('directoryRecords_findRecords', find));
    assert.match(mcpFind, /j\*\*\*@example\.com/);
    const mcpGet = await viaMcp('directoryRecords_getRecord', get);
    assert.equal(mcpGet, await direct('directoryRecords_getRecord', get));
    assert.match(mcpGet, /"first_name": "Jane"/);
    for (const text of [mcpFind, mcpGet]) assert.ok(!text.includes(sandboxInfo().bdKey.slice(0, 8)));
  });

  it('a request without the bearer token, or with another, gets 401 and reaches no tool', async () => {
    const url = await (await extensionExports()).testing!.mcpUrl();
    assert.ok(url, 'the server runs');
    await control().clearRequests();
    const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'directoryRecords_getRecord', arguments: { site: BD, resource: 'contacts', id: '1' } } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const none = await fetch(url, { method: 'POST', headers, body: call });
    assert.equal(none.status, 401);
    const wrong = await fetch(url, { method: 'POST', headers: { ...headers, authorization: 'Bearer not-the-token' }, body: call });
    assert.equal(wrong.status, 401);
    assert.doesNotMatch(await wrong.text(), /Jane/);
    assert.deepEqual(await apiRequests(), [], 'nothing was read');
  });

  it('with allowProposals, it lists the proposing tools too, and a proposal through MCP is an unsaved edit: nothing sent', async () => {
    await vscode.workspace.getConfiguration('directoryRecords.mcp').update('allowProposals', true, vscode.ConfigurationTarget.Global);
    try {
      const propose = await waitFor(
        'the proposing tools over MCP',
        async () => {
          await vscode.commands.executeCommand('workbench.mcp.startServer', SERVER_ID).then(undefined, () => undefined);
          return mcpTools().find((t) => t.name.endsWith('directoryRecords_proposeChanges'));
        },
        60_000,
      );
      assert.ok(mcpTools().some((t) => t.name.endsWith('directoryRecords_proposeBulk')));
      await control().clearRequests();
      const text = textOf(await vscode.lm.invokeTool(propose.name, { input: { site: BD, resource: 'contacts', id: '9', fields: { city: 'Nuuk' } }, toolInvocationToken: undefined }));
      assert.match(text, /unsaved: nothing is sent until the user reviews and saves it/);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.path === `/${BD}/contacts/9.json`);
      assert.ok(doc?.isDirty, 'the record\'s editor holds the proposal');
      assert.deepEqual((await apiRequests()).filter((r) => r.method !== 'GET'), []);
    } finally {
      await vscode.workspace.getConfiguration('directoryRecords.mcp').update('allowProposals', undefined, vscode.ConfigurationTarget.Global);
      await closeAllEditors();
    }
  });

  it('disabled again, the server stops', async () => {
    const url = (await (await extensionExports()).testing!.mcpUrl())!;
    await vscode.workspace.getConfiguration('directoryRecords.mcp').update('enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor('the server to stop', async () => (await (await extensionExports()).testing!.mcpUrl()) === undefined);
    await assert.rejects(fetch(url, { method: 'POST', body: '{}' }));
  });
});
