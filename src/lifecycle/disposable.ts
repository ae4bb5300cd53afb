/** Anything that can be disposed: a vscode.Disposable, an EventEmitter, a listener, a client. */
export interface DisposableLike {
  dispose(): unknown;
}

/**
 * The base of everything that owns other disposables (as in VS Code's own sources and GitHub
 * Pull Requests): what a constructor `_register`s is disposed with it, once, last registered
 * first. Nothing here needs vscode, so the class works in plain Node too.
 */
export abstract class Disposable {
  private readonly registered: DisposableLike[] = [];
  private disposed = false;

  /** Disposed together with this object; registered after that, it is disposed at once. */
  protected _register<T extends DisposableLike>(value: T): T {
    if (this.disposed) value.dispose();
    else this.registered.push(value);
    return value;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Disposes everything registered, in reverse order, even when one of them throws; the first
   * error (or all of them, as an AggregateError) is thrown afterwards. A second call does nothing.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const value of this.registered.splice(0).reverse()) {
      try {
        value.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose');
  }
}

/** A disposable that runs `dispose` once (a timer to clear, a map to empty). */
export function toDisposable(dispose: () => void): DisposableLike {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      dispose();
    },
  };
}
