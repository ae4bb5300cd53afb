import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import type { CommandContext, CommandHandler } from './commandContext';
import { COMMANDS, type CommandId } from '../commandIds';
import { browseCommands } from './browseCommands';
import { bulkCommands } from './bulkCommands';
import { recordCommands } from './recordCommands';
import { siteCommands } from './siteCommands';
import { utilityCommands } from './utilityCommands';
import { exportCommands } from './exportCommands';
import { insightsCommands } from './insightsCommands';
import { errorText } from '../messages/errorText';
import { isWriteRefused } from '../sites/writeGate';

/**
 * Registers every command in one place. Each runs inside a wrapper that logs a failure and
 * tells the user in words, so no handler needs its own try/catch for that.
 */
export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const handlers: Record<CommandId, CommandHandler> = { ...siteCommands(ctx), ...browseCommands(ctx), ...recordCommands(ctx), ...utilityCommands(ctx), ...exportCommands(ctx), ...insightsCommands(ctx), ...bulkCommands(ctx) };
  return (Object.values(COMMANDS) as CommandId[]).map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        // A command's arguments are whatever its caller (a menu, a test, another extension) passed.
        return await (handlers[id] as (...given: unknown[]) => unknown)(...args);
      } catch (error) {
        if (isApiError(error, 'cancelled') || isWriteRefused(error, 'cancelled')) return undefined;
        const message = errorText(error);
        ctx.log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    }),
  );
}
