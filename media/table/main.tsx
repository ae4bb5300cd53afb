// The table's webview: react-data-grid (an ARIA grid: role="grid", aria-rowcount, arrow-key
// navigation, Enter/F2 to edit, virtualised rows) over what the editor sends (TableView). Every
// edit goes to the editor, which validates it and answers with a new view or the refusal; the
// webview keeps no records of its own. No inline styles in the page (the CSP forbids them);
// React sets element styles through the DOM, which the CSP allows.

import { StrictMode, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { DataGrid, Row, type CellKeyDownArgs, type CellKeyboardEvent, type Column, type DataGridHandle, type RenderEditCellProps } from 'react-data-grid';
import 'react-data-grid/lib/styles.css';
import './style.css';
import { apiDateFormat, parseApiDate } from '../../src/api/dates';
import { formatTsv } from '../../src/table/tsv';
import type { CellValue, ColumnLayout, HostMessage, TableColumn, TableView, TableWebviewState, WebviewMessage } from '../../src/table/tableProtocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): TableWebviewState | undefined;
  setState(state: TableWebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const ROW_HEIGHT = 24;

interface GridRow {
  readonly id: string;
  readonly index: number;
  readonly values: Readonly<Record<string, CellValue>>;
  readonly server: Readonly<Record<string, CellValue>>;
  /** Fields whose edited value differs from the server's. */
  readonly changed: ReadonlySet<string>;
}

interface Refusal {
  readonly id: string;
  readonly field: string;
  readonly reason: string;
}

interface Position {
  readonly rowIdx: number;
  readonly idx: number;
}

function fill(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? whole : typeof v === 'number' ? v.toLocaleString() : v;
  });
}

function shown(value: CellValue | undefined): string {
  return value ?? '';
}

function gridRows(view: TableView): GridRow[] {
  return view.rows.map((row, index) => {
    const changed = new Set(Object.entries(row.edited).filter(([field, value]) => shown(value) !== shown(row.server[field])).map(([field]) => field));
    return { id: row.id, index, server: row.server, values: { ...row.server, ...row.edited }, changed };
  });
}

/** Columns in the remembered order (new ones after), the key first, hidden ones left out. */
function orderedColumns(view: TableView, layout: ColumnLayout): TableColumn[] {
  const byKey = new Map(view.columns.map((c) => [c.key, c]));
  const keys = [...layout.order.filter((k) => byKey.has(k)), ...view.columns.map((c) => c.key).filter((k) => !layout.order.includes(k))];
  const hidden = new Set(layout.hidden);
  const visible = keys.filter((k) => k !== view.primaryKey && !hidden.has(k));
  return [byKey.get(view.primaryKey)!, ...visible.map((k) => byKey.get(k)!)].filter(Boolean);
}

/** Dates in the page's language (VS Code's display language, from the page's lang). */
const dates = apiDateFormat(document.documentElement.lang || undefined);

function CellEditor({ row, column, onRowChange, onClose, options }: RenderEditCellProps<GridRow> & { options: TableColumn['values'] }): ReactNode {
  const listId = `values-${column.key}`;
  return (
    <>
      <input
        className="cell-editor"
        autoFocus
        aria-label={column.key}
        list={options ? listId : undefined}
        value={shown(row.values[column.key])}
        onChange={(event) => onRowChange({ ...row, values: { ...row.values, [column.key]: event.target.value } })}
        onBlur={() => onClose(true, false)}
      />
      {options ? (
        <datalist id={listId}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.meaning ?? o.value}
            </option>
          ))}
        </datalist>
      ) : null}
    </>
  );
}

function App(): ReactNode {
  const [view, setView] = useState<TableView | undefined>(undefined);
  const [refusal, setRefusal] = useState<Refusal | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [active, setActive] = useState<Position | undefined>(vscode.getState()?.active);
  const [anchor, setAnchor] = useState<Position | undefined>(undefined);
  const [layout, setLayout] = useState<ColumnLayout | undefined>(undefined);
  const grid = useRef<DataGridHandle>(null);
  const shift = useRef(false);
  const askedMore = useRef(false);
  const restoredScroll = useRef(false);
  const pasteTimer = useRef<number | undefined>(undefined);
  // A resize reports every pixel: the layout is sent once it stops.
  const resizeTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    const onMessage = (event: MessageEvent<HostMessage>): void => {
      const message = event.data;
      if (message.type === 'view') {
        askedMore.current = false;
        setView(message.view);
        setLayout((current) => current ?? message.view.layout);
      } else if (message.type === 'refused') {
        setRefusal({ id: message.id, field: message.field, reason: message.reason });
      } else if (message.type === 'notice') {
        setNotice(message.text);
      }
    };
    const onKey = (event: KeyboardEvent): void => {
      shift.current = event.shiftKey;
    };
    window.addEventListener('message', onMessage);
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('keyup', onKey, true);
    vscode.postMessage({ type: 'ready' });
    return () => {
      window.removeEventListener('message', onMessage);
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('keyup', onKey, true);
    };
  }, []);

  const t = useCallback((key: string, ...args: (string | number)[]) => fill(view?.text[key] ?? key, ...args), [view]);
  const rows = useMemo(() => (view ? gridRows(view) : []), [view]);
  const visible = useMemo(() => (view && layout ? orderedColumns(view, layout) : []), [view, layout]);

  const range = useMemo(() => {
    if (!active) return undefined;
    const from = anchor ?? active;
    return { top: Math.min(from.rowIdx, active.rowIdx), bottom: Math.max(from.rowIdx, active.rowIdx), left: Math.min(from.idx, active.idx), right: Math.max(from.idx, active.idx) };
  }, [active, anchor]);

  const postLayout = useCallback((next: ColumnLayout) => {
    setLayout(next);
    vscode.postMessage({ type: 'layout', layout: next });
  }, []);

  const columns = useMemo((): Column<GridRow>[] => {
    if (!view || !layout) return [];
    return visible.map((column, idx): Column<GridRow> => {
      const key = column.key === view.primaryKey;
      const editable = !column.readOnly && !view.readOnlySite;
      return {
        key: column.key,
        name: column.key,
        frozen: key,
        resizable: true,
        draggable: !key,
        width: layout.widths[column.key] ?? (key ? 190 : 160),
        editable,
        cellClass: (row) => {
          const classes = [];
          if (row.changed.has(column.key)) classes.push('cell-changed');
          if (refusal && refusal.id === row.id && refusal.field === column.key) classes.push('cell-refused');
          if (!editable) classes.push('cell-readonly');
          const several = range && (range.top !== range.bottom || range.left !== range.right);
          if (several && row.index >= range.top && row.index <= range.bottom && idx >= range.left && idx <= range.right) classes.push('cell-in-range');
          return classes.join(' ');
        },
        renderHeaderCell: () => (
          <span title={column.description}>
            {column.key}
            {column.readOnly ? <span className="readonly-mark"> ({t('readOnly')})</span> : null}
          </span>
        ),
        renderCell: ({ row }) => {
          const value = shown(row.values[column.key]);
          const isRefused = refusal && refusal.id === row.id && refusal.field === column.key;
          if (key) {
            return (
              <span>
                {value}
                {row.changed.size > 0 ? <span className="row-mark"> ● {t('changedRow', row.changed.size)}</span> : null}
              </span>
            );
          }
          // A date column shows the date in the page's locale; the raw value the API keeps (what is edited) is its tooltip and is said too.
          const date = column.date ? parseApiDate(row.values[column.key]) : undefined;
          return (
            <span title={date ? value : undefined}>
              {date ? <><span aria-hidden="true">{dates.format(date)}</span><span className="sr-only">{dates.format(date)} ({value})</span></> : value}
              {row.changed.has(column.key) ? <span className="sr-only"> ({t('changed')}, {t('was', shown(row.server[column.key]) || t('empty'))})</span> : null}
              {isRefused ? <span className="refused-reason"> ⚠ {refusal.reason}</span> : null}
            </span>
          );
        },
        renderEditCell: editable ? (props) => <CellEditor {...props} options={column.values} /> : undefined,
        // Every view the editor sends has new row objects: an editor open on one stays open.
        editorOptions: { closeOnExternalRowChange: false },
      };
    });
  }, [view, layout, visible, refusal, range, t]);

  useEffect(() => {
    // The scroll position kept while the tab was hidden, once the rows are there.
    if (restoredScroll.current || !grid.current?.element || rows.length === 0) return;
    restoredScroll.current = true;
    const top = vscode.getState()?.scrollTop ?? 0;
    if (top > 0) grid.current.element.scrollTop = top;
  }, [rows]);

  const keep = useCallback((next: Partial<TableWebviewState>) => {
    const now = vscode.getState() ?? { scrollTop: 0 };
    vscode.setState({ ...now, ...next });
  }, []);

  if (!view || !layout) return <p aria-live="polite">Loading…</p>;

  const selectionTsv = (): string => {
    if (!range) return '';
    const out: string[][] = [];
    for (let r = range.top; r <= range.bottom; r++) {
      const row = rows[r];
      if (row) out.push(visible.slice(range.left, range.right + 1).map((c) => shown(row.values[c.key])));
    }
    return formatTsv(out);
  };

  const paste = (text?: string): void => {
    if (!active) return;
    const top = range ? range.top : active.rowIdx;
    const left = range ? range.left : active.idx;
    vscode.postMessage({ type: 'paste', rowIndex: top, columns: visible.slice(left).map((c) => c.key), ...(text !== undefined ? { text } : {}) });
  };

  const onCellKeyDown = (args: CellKeyDownArgs<GridRow>, event: CellKeyboardEvent): void => {
    if (args.mode !== 'ACTIVE') return;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 'c') {
      event.preventGridDefault();
      event.preventDefault();
      vscode.postMessage({ type: 'copy', text: selectionTsv() });
    } else if (mod && event.key.toLowerCase() === 'v') {
      event.preventGridDefault();
      // The paste event brings the clipboard's text; where it does not come, the editor reads the clipboard.
      window.clearTimeout(pasteTimer.current);
      pasteTimer.current = window.setTimeout(() => paste(), 300);
    } else if (event.altKey && !mod && event.key.toLowerCase() === 'h' && args.row) {
      // Alt+H: the row's Show Save History, as its context menu (Shift+F10) offers it.
      event.preventGridDefault();
      event.preventDefault();
      vscode.postMessage({ type: 'history', id: args.row.id });
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && args.row && args.column) {
      const column = visible[args.column.idx];
      if (column && !column.readOnly && !view.readOnlySite) {
        event.preventGridDefault();
        vscode.postMessage({ type: 'edit', cells: [{ id: args.row.id, field: column.key, value: '' }] });
      }
    }
  };

  const onPaste = (event: React.ClipboardEvent): void => {
    if (!(event.target instanceof HTMLElement) || event.target.closest('input')) return;
    window.clearTimeout(pasteTimer.current);
    event.preventDefault();
    paste(event.clipboardData.getData('text/plain'));
  };

  const activeRow = active ? rows[active.rowIdx] : undefined;
  const activeColumn = active ? visible[active.idx] : undefined;
  const changedRows = rows.filter((r) => r.changed.size > 0).length;
  const status = view.error ?? (view.total !== undefined ? t('loaded', rows.length, view.total) : t('loadedUnknown', rows.length)) + (view.loading ? ` — ${t('loading')}` : '');

  return (
    <div className="table-app" onPaste={onPaste}>
      <div className="toolbar" role="toolbar" aria-label={view.title}>
        <span className="status" role="status" aria-live="polite">
          {status}
          {changedRows > 0 ? ` · ${t('changedRows', changedRows)}` : ''}
        </span>
        <button type="button" disabled={!activeRow || !activeColumn || !activeRow.changed.has(activeColumn.key)} onClick={() => activeRow && activeColumn && vscode.postMessage({ type: 'revert', id: activeRow.id, field: activeColumn.key })}>
          {t('revertCell')}
        </button>
        <button type="button" disabled={!activeRow || activeRow.changed.size === 0} onClick={() => activeRow && vscode.postMessage({ type: 'revert', id: activeRow.id })}>
          {t('revertRow')}
        </button>
        <button type="button" disabled={!activeColumn || activeColumn.key === view.primaryKey} onClick={() => activeColumn && postLayout({ ...layout, hidden: [...layout.hidden, activeColumn.key] })}>
          {t('hide')}
        </button>
        <button type="button" disabled={layout.hidden.length === 0} onClick={() => postLayout({ ...layout, hidden: [] })}>
          {t('showAll')}
        </button>
      </div>
      {view.readOnlySite ? <p className="notice">{t('readOnlySite')}</p> : null}
      <p className="help" id="table-help">
        {t('help')}
      </p>
      <div className="alert" role="alert">
        {refusal ? `${refusal.field}: ${refusal.reason}` : (notice ?? '')}
      </div>
      <DataGrid
        ref={grid}
        className="rdg-vscode grid"
        aria-label={view.title}
        aria-describedby="table-help"
        columns={columns}
        rows={rows}
        rowKeyGetter={(row) => row.id}
        rowHeight={ROW_HEIGHT}
        headerRowHeight={ROW_HEIGHT + 4}
        rowClass={(row) => (row.changed.size > 0 ? 'row-changed' : undefined)}
        // VS Code's webview/context menu reads the row from here (package.json: webviewSection == tableRow).
        renderers={{ renderRow: (key, props) => <Row key={key} {...props} data-vscode-context={JSON.stringify({ webviewSection: 'tableRow', ...view.row, id: props.row.id, preventDefaultContextMenuItems: true })} /> }}
        onRowsChange={(next, data) => {
          const field = data.column.key;
          const cells = data.indexes.flatMap((i) => {
            const row = next[i];
            return row && shown(row.values[field]) !== shown(rows[i]?.values[field]) ? [{ id: row.id, field, value: row.values[field] ?? '' }] : [];
          });
          if (cells.length > 0) {
            setRefusal(undefined);
            vscode.postMessage({ type: 'edit', cells });
          }
        }}
        onActivePositionChange={({ rowIdx, column }) => {
          if (!column || rowIdx < 0) return;
          const position = { rowIdx, idx: column.idx };
          setActive(position);
          if (!shift.current) setAnchor(undefined);
          else setAnchor((current) => current ?? active);
          keep({ active: position });
        }}
        onCellKeyDown={onCellKeyDown}
        onColumnResize={(column, width) => {
          const next = { ...layout, widths: { ...layout.widths, [column.key]: Math.round(width) } };
          setLayout(next);
          window.clearTimeout(resizeTimer.current);
          resizeTimer.current = window.setTimeout(() => vscode.postMessage({ type: 'layout', layout: next }), 400);
        }}
        onColumnsReorder={(source, target) => {
          const keys = visible.map((c) => c.key).filter((k) => k !== view.primaryKey);
          const from = keys.indexOf(source);
          const to = keys.indexOf(target);
          if (from < 0 || to < 0) return;
          keys.splice(to, 0, ...keys.splice(from, 1));
          postLayout({ ...layout, order: [...keys, ...layout.hidden.filter((k) => !keys.includes(k))] });
        }}
        onScroll={(event) => {
          const element = event.currentTarget;
          keep({ scrollTop: element.scrollTop });
          // Near the end: the next page (one request); the editor says when it is in.
          if (view.more && !view.loading && !askedMore.current && element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT * 20) {
            askedMore.current = true;
            vscode.postMessage({ type: 'loadMore' });
          }
        }}
      />
    </div>
  );
}

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
document.getElementById('app')!.setAttribute('aria-busy', 'false');
