import * as vscode from 'vscode';
import { decodeStoredDate, pairAt, parseStoredDate } from './dateText';
import { parseRecordUri, RECORD_SCHEME, SERVER_SCHEME } from './recordUri';

/**
 * Hovering a date value decodes it: "5 Sep 2022, 14:26:37 UTC — 16:26:37 your time — 3 years
 * ago". The JSON schema's hover beside it describes the field (its format included, once).
 */
export class DateHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const address = parseRecordUri(document.uri);
    if (!address) return undefined;
    const pair = pairAt(document.lineAt(position.line).text, position.character);
    if (!pair || !address.resource.fields.some((f) => f.name === pair.key && f.dateFormat)) return undefined;
    const stored = parseStoredDate(pair.value);
    if (!stored) return undefined;
    const decoded = decodeStoredDate(stored, { locale: vscode.env.language });
    const text = new vscode.MarkdownString(undefined, true);
    // Digits, a month's name and our own words: nothing Markdown would read (appendText would turn every space into &nbsp;).
    text.appendMarkdown(`$(calendar) **${vscode.l10n.t('Date')}:** ${vscode.l10n.t('{0} UTC — {1} your time — {2}', decoded.utc, decoded.local, decoded.relative)}`);
    return new vscode.Hover(text, new vscode.Range(position.line, pair.start, position.line, pair.end));
  }
}

export function registerDateHover(): vscode.Disposable {
  return vscode.languages.registerHoverProvider([{ scheme: RECORD_SCHEME }, { scheme: SERVER_SCHEME }], new DateHoverProvider());
}
