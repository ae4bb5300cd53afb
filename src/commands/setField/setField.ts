import * as vscode from 'vscode';
import type { ResourceDescriptor } from '../../api/resources';
import { renderText } from '../../api/text';
import { setFieldProblem } from '../../bulk/bulkPlan';
import { runSteps } from '../wizard';
import { fieldStep } from './fieldStep';
import type { SetFieldContext } from './setFieldContext';
import { valueStep } from './valueStep';

/**
 * Set Field's questions: the field, then the value (checked as typed). A test's answers
 * (CommandArgs.given) are checked the same way and skip the prompts. Undefined when closed.
 */
export async function askFieldAndValue(resource: ResourceDescriptor, seen: readonly string[], given: { readonly field?: string; readonly value?: string }): Promise<{ field: string; value: string } | undefined> {
  const problemOf = (field: string, value: string): string | undefined => {
    const problem = setFieldProblem(resource, field, value, seen);
    return problem && renderText(problem, (template, args) => vscode.l10n.t(template, ...args));
  };
  if (given.field !== undefined && given.value !== undefined) {
    const problem = problemOf(given.field, given.value);
    if (problem) throw new Error(problem);
    return { field: given.field, value: given.value };
  }
  const context: SetFieldContext = { resource, seen, problemOf };
  if (!(await runSteps(context, [fieldStep, valueStep]))) return undefined;
  return { field: context.field!, value: context.value! };
}
