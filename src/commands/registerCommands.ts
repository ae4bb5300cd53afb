import * as vscode from 'vscode';
import type { ArgsHandler, CommandContext } from './commandContext';
import { COMMANDS, type CommandId } from '../commandIds';
import { parseCommandArgs } from './commandArgs';
import { FEATURES, type FeatureHandlers } from './commandFeatures';
import { reportFailure } from './reportFailure';

/** Runs a command as its registration does, with the arguments parsed for `mode`. */
export type RunCommand = (id: CommandId, args: readonly unknown[], mode: vscode.ExtensionMode) => Promise<unknown>;

/**
 * Registers every command in one place, loading none: a command's feature (commandFeatures.ts)
 * is loaded on its first use. Each parses its arguments with the one parser (commandArgs.ts)
 * for the extension's mode, and runs inside a wrapper that logs a failure and tells the user in
 * words, so no handler needs its own try/catch for that. Returns the registrations, and `run`
 * (the same path with a mode given) for the test harness.
 */
export function registerCommands(ctx: CommandContext, mode: vscode.ExtensionMode): { disposables: vscode.Disposable[]; run: RunCommand } {
  const featureOf = new Map<CommandId, string>(Object.entries(FEATURES).flatMap(([name, feature]) => feature.commands.map((id) => [id, name] as const)));
  const loaded = new Map<string, Promise<Partial<Record<CommandId, ArgsHandler>>>>();
  const handler = async (id: CommandId): Promise<ArgsHandler> => {
    const name = featureOf.get(id);
    if (!name) throw new Error(`No feature holds ${id}`);
    let handlers = loaded.get(name);
    if (!handlers) {
      handlers = FEATURES[name]!.load().then((build: FeatureHandlers) => build(ctx));
      loaded.set(name, handlers);
      // A failed load (a missing bundle) is tried again next time, not kept.
      handlers.catch(() => loaded.delete(name));
    }
    const found = (await handlers)[id];
    if (!found) throw new Error(`The ${name} feature has no handler for ${id}`);
    return found;
  };
  const run: RunCommand = async (id, args, runMode) => {
    try {
      return await (await handler(id))(parseCommandArgs(args, runMode));
    } catch (error) {
      reportFailure(ctx, id, error);
      return undefined;
    }
  };
  const disposables = (Object.values(COMMANDS) as CommandId[]).map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => run(id, args, mode)));
  return { disposables, run };
}
