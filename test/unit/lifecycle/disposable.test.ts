import { strict as assert } from 'node:assert';
import { Disposable, toDisposable } from '../../../src/lifecycle/disposable';

class Owner extends Disposable {
  register<T extends { dispose(): unknown }>(value: T): T {
    return this._register(value);
  }

  get closed(): boolean {
    return this.isDisposed;
  }
}

describe('Disposable', () => {
  it('disposes what was registered, last first, once', () => {
    const order: string[] = [];
    const owner = new Owner();
    owner.register(toDisposable(() => order.push('a')));
    const b = owner.register({ dispose: () => order.push('b') });
    assert.equal(typeof b.dispose, 'function', '_register hands back what it was given');
    assert.equal(owner.closed, false);
    owner.dispose();
    owner.dispose();
    assert.deepEqual(order, ['b', 'a']);
    assert.equal(owner.closed, true);
  });

  it('disposes at once what is registered after it was disposed', () => {
    const owner = new Owner();
    owner.dispose();
    let disposed = 0;
    owner.register(toDisposable(() => disposed++));
    assert.equal(disposed, 1);
  });

  it('disposes the rest when one throws, then throws that error', () => {
    const owner = new Owner();
    let later = false;
    owner.register(toDisposable(() => (later = true)));
    owner.register(toDisposable(() => {
      throw new Error('boom');
    }));
    assert.throws(() => owner.dispose(), /boom/);
    assert.equal(later, true);
  });

  it('throws an AggregateError when several throw', () => {
    const owner = new Owner();
    for (const name of ['x', 'y']) owner.register(toDisposable(() => {
      throw new Error(name);
    }));
    assert.throws(() => owner.dispose(), (error: unknown) => error instanceof AggregateError && error.errors.length === 2);
  });

  it('toDisposable runs its function once', () => {
    let runs = 0;
    const d = toDisposable(() => runs++);
    d.dispose();
    d.dispose();
    assert.equal(runs, 1);
  });
});
