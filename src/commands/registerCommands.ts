import * as vscode from 'vscode';
import type { ArgsHandler, CommandContext } from './commandContext';
import { COMMANDS, type CommandId } from '../commandIds';
import { browseCommands } from './browseCommands';
import { bulkCommands } from './bulkCommands';
import { recordCommands } from './recordCommands';
import { siteCommands } from './siteCommands';
import { utilityCommands } from './utilityCommands';
import { exportCommands } from './exportCommands';
import { insightsCommands } from './insightsCommands';
import { parseCommandArgs, type CommandArgs } from './commandArgs';
import { reportFailure } from './reportFailure';

/** Runs a command as its registration does, with the arguments parsed for `mode`. */
export type RunCommand = (id: CommandId, args: readonly unknown[], mode: vscode.ExtensionMode) => Promise<unknown>;

/**
 * Registers every command in one place. Each parses its arguments with the one parser
 * (commandArgs.ts) for the extension's mode, and runs inside a wrapper that logs a failure and
 * tells the user in words, so no handler needs its own try/catch for that. Returns the
 * registrations, and `run` (the same path with a mode given) for the test harness.
 */
export function registerCommands(ctx: CommandContext, mode: vscode.ExtensionMode): { disposables: vscode.Disposable[]; run: RunCommand } {
  const insights = insightsCommands(ctx)[COMMANDS.showClickInsights] as (...args: unknown[]) => unknown;
  const handlers: Record<CommandId, ArgsHandler> = {
    ...siteCommands(ctx),
    ...browseCommands(ctx),
    ...recordCommands(ctx),
    ...utilityCommands(ctx),
    ...exportCommands(ctx),
    // Its handler takes (target, range, options): the row, else (tests only) what was given.
    [COMMANDS.showClickInsights]: (args: CommandArgs) => (args.node ? insights(args.node, ...args.given) : insights(...args.given)),
    ...bulkCommands(ctx),
  };
  const run: RunCommand = async (id, args, runMode) => {
    try {
      return await handlers[id](parseCommandArgs(args, runMode));
    } catch (error) {
      reportFailure(ctx, id, error);
      return undefined;
    }
  };
  const disposables = (Object.values(COMMANDS) as CommandId[]).map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => run(id, args, mode)));
  return { disposables, run };
}
