import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import { errorText } from '../messages/errorText';
import { isWriteRefused } from '../sites/writeGate';
import type { CommandContext } from './commandContext';

/** A command's failure, in words, in the log and to the user; a cancel says nothing. */
export function reportFailure(ctx: CommandContext, what: string, error: unknown): void {
  if (isApiError(error, 'cancelled') || isWriteRefused(error, 'cancelled')) return;
  const message = errorText(error);
  ctx.log.error(`${what}: ${message}`);
  void vscode.window.showErrorMessage(message);
}
