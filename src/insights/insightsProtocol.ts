// The messages between the Click Insights panel (extension host) and its webview script
// (media/clickInsights/main.ts). Types only, no vscode: the webview bundle imports it too.

import type { ClickInsights } from './clickAggregates';
import type { ClickRange, DayBounds } from './clickRange';
import type { FetchEstimate, FetchProgress } from './clickFetch';

export type InsightsStatus = 'loading' | 'confirm' | 'ready' | 'error' | 'cancelled';

/** One click in a Copernica link's or mailing's own list. */
export interface DrillRow {
  readonly id: string;
  readonly timestamp: string;
  readonly mailing: string;
  readonly link: string;
  readonly destination: string;
}

/** Everything the webview draws; sent whole on every change. */
export interface PanelView {
  readonly site: string;
  readonly kind: 'bd' | 'copernica';
  readonly resourceLabel: string;
  readonly range: ClickRange;
  readonly bounds: DayBounds | undefined;
  readonly status: InsightsStatus;
  readonly progress?: FetchProgress;
  readonly estimate?: FetchEstimate;
  readonly insights?: ClickInsights;
  /** ISO time the numbers were read from the site. */
  readonly fetchedAt?: string;
  readonly fromCache?: boolean;
  readonly error?: string;
  /** The newest click with a valid date (day undefined: none), the requests it took, and the range that holds it. */
  readonly newest?: { readonly day: string | undefined; readonly requests: number; readonly range: ClickRange; readonly bounds: DayBounds | undefined };
  readonly drill?: { readonly what: 'link' | 'mailing'; readonly key: string; readonly rows: readonly DrillRow[]; readonly total: number; readonly loading: boolean };
  /** Localised strings the script shows (the webview has no vscode.l10n). */
  readonly text: Readonly<Record<string, string>>;
}

export type HostMessage = { readonly type: 'view'; readonly view: PanelView };

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'setRange'; readonly range: ClickRange }
  | { readonly type: 'refresh' }
  | { readonly type: 'cancel' }
  | { readonly type: 'confirm'; readonly go: boolean }
  /** A bar's days, `end` excluded (absent: the one day). */
  | { readonly type: 'openDay'; readonly day: string; readonly end?: string }
  | { readonly type: 'openMember'; readonly member: string }
  | { readonly type: 'drill'; readonly what: 'link' | 'mailing'; readonly key: string }
  | { readonly type: 'exportCsv'; readonly name: string; readonly rows: readonly (readonly string[])[] }
  | { readonly type: 'drawn'; readonly ms: number };

/** What the webview keeps with setState, and the serializer restores the panel from. */
export interface PanelState {
  readonly site: string;
  readonly model: 'users_clicks' | 'ms_clicks';
  readonly range: ClickRange;
  readonly sorts?: Readonly<Record<string, { readonly column: number; readonly descending: boolean }>>;
}
