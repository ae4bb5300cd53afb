// The messages between the table's editor (extension host) and its webview (media/table/main.tsx).
// Plain TypeScript: the webview bundle imports it too.

/** A value as the API keeps it: a string, or null for a field cleared. */
export type CellValue = string | null;

export interface TableColumn {
  readonly key: string;
  /** The resource's field description (the column header's tooltip). */
  readonly description: string;
  readonly readOnly: boolean;
  /** The values the vendor names, offered as a list; others are allowed when `open`. */
  readonly values?: readonly { readonly value: string; readonly meaning?: string }[];
  /** The column holds API dates: shown decoded beside the raw value, which is what is edited. */
  readonly date?: boolean;
}

/** Where each column is, how wide, and whether it is hidden: remembered per resource. */
export interface ColumnLayout {
  readonly order: readonly string[];
  readonly widths: Readonly<Record<string, number>>;
  readonly hidden: readonly string[];
}

/** One loaded record: its id, the server's values, and the values edited in the table (changed cells only). */
export interface TableRow {
  readonly id: string;
  readonly server: Readonly<Record<string, CellValue>>;
  readonly edited: Readonly<Record<string, CellValue>>;
}

export interface TableView {
  readonly title: string;
  readonly primaryKey: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
  /** How many records the listing holds, when the site says. */
  readonly total: number | undefined;
  readonly more: boolean;
  readonly loading: boolean;
  readonly error?: string;
  /** The site is Read-only: nothing is editable. */
  readonly readOnlySite: boolean;
  readonly layout: ColumnLayout;
  /** What a row's context menu is given besides its id: Show Save History's `{ site, resource }`. */
  readonly row: { readonly site: string; readonly resource: string };
  /** Localised words, by key (the webview has no l10n of its own). */
  readonly text: Readonly<Record<string, string>>;
}

export interface CellEdit {
  readonly id: string;
  readonly field: string;
  readonly value: CellValue;
}

export type HostMessage =
  | { readonly type: 'view'; readonly view: TableView }
  /** A cell edit the rules refused: the reason, shown in the cell. */
  | { readonly type: 'refused'; readonly id: string; readonly field: string; readonly reason: string }
  | { readonly type: 'notice'; readonly text: string };

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'edit'; readonly cells: readonly CellEdit[] }
  | { readonly type: 'loadMore' }
  | { readonly type: 'revert'; readonly id: string; readonly field?: string }
  /** Show Save History of this row's record (its keyboard shortcut). */
  | { readonly type: 'history'; readonly id: string }
  | { readonly type: 'layout'; readonly layout: ColumnLayout }
  /** Copy: the range's text, tab-separated, for the host to put on the clipboard. */
  | { readonly type: 'copy'; readonly text: string }
  /** Paste `text` (else the clipboard's) with its top-left at this row and column (of the visible columns, in order). */
  | { readonly type: 'paste'; readonly rowIndex: number; readonly columns: readonly string[]; readonly text?: string };

/** What the webview keeps with setState, so a hidden tab comes back where it was. */
export interface TableWebviewState {
  readonly scrollTop: number;
  readonly active?: { readonly rowIdx: number; readonly idx: number };
}
