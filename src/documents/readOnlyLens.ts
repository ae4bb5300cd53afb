import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { Disposable } from '../lifecycle/disposable';
import { profileOf } from '../sites/siteConfig';
import type { SiteConnections } from '../sites/siteConnections';
import { parseRecordUri, RECORD_SCHEME } from './recordUri';

/**
 * A line at the top of a record of a Read-only site, where the user types: VS Code's own notice
 * ("the file is read-only") says neither why nor how to change it. Clicking it opens Edit Site.
 */
export class ReadOnlyLens extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly connections: SiteConnections) {
    super();
    // A profile changed in the settings (or through Edit Site): the lens comes or goes at once.
    this._register(connections.onDidChange(() => this.changed.fire()));
    this._register(vscode.languages.registerCodeLensProvider({ scheme: RECORD_SCHEME }, this));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const address = parseRecordUri(document.uri);
    const site = address && this.connections.find(address.site);
    if (!site || profileOf(site) !== 'readOnly') return [];
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: vscode.l10n.t("Read-only site: changes can't be saved. Change it in Edit Site…"),
        tooltip: vscode.l10n.t('"{0}" has the write profile Read-only: nothing is written to the site. Edit Site… changes its profile.', site.name),
        command: COMMANDS.editSite,
        arguments: [site.name],
      }),
    ];
  }
}
