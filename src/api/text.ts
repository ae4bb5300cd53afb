/**
 * Text a person reads, kept as an English template with {0}-style placeholders plus its
 * arguments, so the editor can translate it (vscode.l10n.t looks the template up) while
 * this layer stays free of vscode. `npm run l10n` collects every msg`` template.
 */
export interface LocalisableText {
  readonly template: string;
  readonly args: readonly TextArg[];
}

export type TextArg = string | number | LocalisableText;

export function msg(strings: TemplateStringsArray, ...values: TextArg[]): LocalisableText {
  let template = strings[0] ?? '';
  values.forEach((_, i) => {
    template += `{${i}}${strings[i + 1] ?? ''}`;
  });
  return { template, args: values };
}

/** Renders the text, translating each template (and nested ones) with `translate`. */
export function renderText(text: LocalisableText, translate: (template: string, args: string[]) => string = fill): string {
  const args = text.args.map((arg) => (typeof arg === 'object' ? renderText(arg, translate) : String(arg)));
  return translate(text.template, args);
}

function fill(template: string, args: string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole);
}
