import * as vscode from 'vscode';
import { resourceFor } from '../api/resources';
import { Disposable, toDisposable } from '../lifecycle/disposable';
import type { RecordsTreeModel, ResourceRef } from './recordsTreeModel';

/** How long a load goes on with only the view's progress bar before a notification offers Cancel. */
export const SLOW_LOAD_MS = 2000;

/** The error a cancelled first page keeps until a refresh (the tree shows it as "cancelled", with Load again). */
export class LoadCancelled extends Error {
  override readonly name = 'LoadCancelled';
}

interface Shown {
  readonly progress: vscode.Progress<{ message?: string }>;
  readonly close: () => void;
}

/**
 * Any page load (a first page, Load more, a refresh, a new filter or sort) that takes longer
 * than SLOW_LOAD_MS shows one notification progress naming what is loading, with Cancel;
 * Cancel stops every load it names. It closes by itself when they are done.
 */
export class LoadProgress extends Disposable {
  /** Loads past the delay, by resource; a token per load, so a newer load of one resource is not ended by an older one. */
  private readonly slow = new Map<string, { readonly ref: ResourceRef; readonly token: object }>();
  private shown: Shown | undefined;
  private opening = false;

  constructor(
    private readonly model: RecordsTreeModel,
    private readonly delayMs = SLOW_LOAD_MS,
  ) {
    super();
    this._register(model.onDidStartLoad(({ ref, done }) => this.watch(ref, done)));
    this._register(toDisposable(() => this.shown?.close()));
  }

  private watch(ref: ResourceRef, done: Promise<void>): void {
    const key = `${ref.site}\u0000${ref.model}`;
    const token = {};
    let finished = false;
    const timer = setTimeout(() => {
      if (finished || this.isDisposed) return;
      this.slow.set(key, { ref, token });
      this.update();
    }, this.delayMs);
    const end = (): void => {
      finished = true;
      clearTimeout(timer);
      if (this.slow.get(key)?.token !== token) return;
      this.slow.delete(key);
      this.update();
    };
    done.then(end, end);
  }

  private update(): void {
    if (this.slow.size === 0) {
      this.shown?.close();
      this.shown = undefined;
      return;
    }
    if (this.shown) {
      this.shown.progress.report({ message: this.describe() });
      return;
    }
    if (this.opening) return;
    this.opening = true;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading records'), cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          const cancelled = token.onCancellationRequested(() => {
            for (const { ref } of [...this.slow.values()]) this.model.cancel(ref, new LoadCancelled(vscode.l10n.t('Loading was cancelled.')));
          });
          this.opening = false;
          this.shown = {
            progress,
            close: () => {
              cancelled.dispose();
              resolve();
            },
          };
          // Loads may have ended (or others begun) while the notification was being shown.
          this.update();
        }),
    );
  }

  /** "Contacts of Sandbox Directory, Clicks of Sandbox Copernica". */
  private describe(): string {
    return [...this.slow.values()].map(({ ref }) => vscode.l10n.t('{0} of {1}', resourceFor(ref.model)?.plural ?? ref.model, ref.site)).join(', ');
  }
}
