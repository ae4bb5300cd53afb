import * as vscode from 'vscode';
import { readOnlyFieldNames, storedFields } from '../../api/resources';
import type { PromptStep } from '../wizard';
import type { SetFieldContext } from './setFieldContext';

/** Set Field (1/2): which field, of those the resource lets change (custom columns seen included). */
export const fieldStep: PromptStep<SetFieldContext> = {
  async prompt(context) {
    const { resource, seen } = context;
    const readOnly = readOnlyFieldNames(resource);
    const fields = [
      ...storedFields(resource).filter((f) => !readOnly.has(f.name)).map((f) => ({ label: f.name, detail: f.description, field: f.name })),
      ...seen.map((name) => ({ label: name, detail: vscode.l10n.t('A column of this site that the vendor documentation does not list.'), field: name })),
    ];
    const picked = await vscode.window.showQuickPick(fields, { title: vscode.l10n.t('Set Field: which field of the {0}?', resource.plural.toLowerCase()), matchOnDetail: true, ignoreFocusOut: true });
    context.field = picked?.field;
    return picked !== undefined;
  },
};
