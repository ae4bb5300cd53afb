import * as vscode from 'vscode';
import { profileOf, type SiteConfig, type WriteProfile } from '../sites/siteConfig';
import type { SiteConnections } from '../sites/siteConnections';
import { Disposable, toDisposable } from '../lifecycle/disposable';

/**
 * The status bar item for the site in front of the user (the active record's, or the one
 * selected in the tree): its name, write profile and how much of its rate limit the last
 * minute used. Clicking it offers the site's actions.
 */
export class SiteStatusItem extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('directoryRecords.site', vscode.StatusBarAlignment.Left, 50));
  private siteName: string | undefined;
  /** While requests are inside the window the count falls as time passes, so it is redrawn. */
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly connections: SiteConnections,
    private readonly actionsCommand: string,
  ) {
    super();
    this.item.name = vscode.l10n.t('Directory Records site');
    this._register(connections.onDidChange(() => this.render()));
    this._register(connections.onDidRequest((site) => site === this.siteName && this.render()));
    this._register(toDisposable(() => this.stopTicker()));
  }

  /** Shows the named site, or hides the item for undefined. */
  show(siteName: string | undefined): void {
    this.siteName = siteName;
    this.render();
  }

  get shownSite(): string | undefined {
    return this.siteName;
  }

  /** What the item says now, for tests and the accessibility name. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const site = this.siteName === undefined ? undefined : this.connections.find(this.siteName);
    if (!site) {
      this.stopTicker();
      this.item.hide();
      return;
    }
    const profile = profileOf(site);
    const budget = this.connections.budgetOf(site);
    this.item.command = { command: this.actionsCommand, title: vscode.l10n.t('Site actions'), arguments: [{ type: 'site', site: site.name }] };
    this.item.text = `${PROFILE_ICON[profile]} ${site.name} · ${profileName(profile)} · ${budget.used}/${budget.limit}`;
    this.item.tooltip = tooltip(site, profile, budget.used, budget.limit);
    this.item.accessibilityInformation = { label: vscode.l10n.t('Site {0}, {1}, {2} of {3} requests used this minute', site.name, profileName(profile), budget.used, budget.limit) };
    this.item.backgroundColor = profile === 'readOnly' ? undefined : profile === 'confirm' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    if (budget.used > 0 && !this.ticker) this.ticker = setInterval(() => this.render(), 5000);
    if (budget.used === 0) this.stopTicker();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

const PROFILE_ICON: Record<WriteProfile, string> = { normal: '$(globe)', confirm: '$(shield)', readOnly: '$(lock)' };

function profileName(profile: WriteProfile): string {
  return profile === 'readOnly' ? vscode.l10n.t('Read-only') : profile === 'confirm' ? vscode.l10n.t('confirm writes') : vscode.l10n.t('normal');
}

function tooltip(site: SiteConfig, profile: WriteProfile, used: number, limit: number): vscode.MarkdownString {
  const why =
    profile === 'readOnly'
      ? vscode.l10n.t('Read-only: its records open read-only and nothing is created, changed or deleted on the site.')
      : profile === 'confirm'
        ? vscode.l10n.t('Confirm writes: every save, create and delete first shows what will be sent, and is sent only after you confirm.')
        : vscode.l10n.t('Normal: saving a record (Ctrl+S) and the record commands write to the site. Auto Save never does.');
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(site.name)}** — ${escape(site.kind === 'copernica' ? 'Copernica' : site.url ?? '')}\n\n`);
  md.appendMarkdown(`${escape(why)}\n\n`);
  md.appendMarkdown(escape(vscode.l10n.t('{0} of {1} requests used in the last minute (this site\'s rate limit).', used, limit)));
  md.appendMarkdown(`\n\n${escape(vscode.l10n.t('Click for the site\'s actions.'))}`);
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
