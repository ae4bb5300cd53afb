import * as vscode from 'vscode';
import type { PromptStep } from '../wizard';
import type { SetFieldContext } from './setFieldContext';

/** Set Field (2/2): the value, checked as it is typed; empty clears the field. */
export const valueStep: PromptStep<SetFieldContext> = {
  async prompt(context) {
    const field = context.field!;
    context.value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Set {0} to', field),
      prompt: vscode.l10n.t('The new value for every record (empty clears the field). A preview lists each change before anything is sent.'),
      ignoreFocusOut: true,
      validateInput: (typed) => context.problemOf(field, typed),
    });
    return context.value !== undefined;
  },
};
