import * as vscode from 'vscode';
import { Disposable } from '../lifecycle/disposable';
import type { RecordsChange } from '../records/recordsChange';
import type { SiteConnections } from '../sites/siteConnections';
import type { ClickRange } from './clickRange';
import type { ClickInsightsPanels, ClickModel, InsightsOutcome } from './clickInsightsPanel';
import { CLICK_INSIGHTS_VIEW_TYPE } from './insightsViewType';

/**
 * What activation holds of Click Insights: the serializer VS Code needs to bring panels back,
 * and nothing else. The panels' code (dist/clickInsightsPanel.js) is loaded on the first panel
 * shown or restored, as GitLens registers its webviews.
 */
export class InsightsRegistration extends Disposable {
  private panels: Promise<ClickInsightsPanels> | undefined;

  constructor(
    private readonly connections: SiteConnections,
    private readonly extensionUri: vscode.Uri,
  ) {
    super();
    this._register(
      vscode.window.registerWebviewPanelSerializer(CLICK_INSIGHTS_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => (await this.load()).restore(panel, state),
      }),
    );
  }

  /** Opens (or reveals) the panel of a site's clicks; resolves once the numbers are shown (or it failed). */
  async show(site: string, model: ClickModel, range: ClickRange | undefined, refresh = false): Promise<InsightsOutcome> {
    return (await this.load()).show(site, model, range, refresh);
  }

  /** A write changed records: kept numbers of that site's clicks are read again next time (nothing is kept before the first panel). */
  recordsChanged(change: RecordsChange): void {
    void this.panels?.then((panels) => panels.recordsChanged(change));
  }

  private load(): Promise<ClickInsightsPanels> {
    this.panels ??= import('./clickInsightsPanel').then((module) => this._register(new module.ClickInsightsPanels(this.connections, this.extensionUri)));
    return this.panels;
  }
}
