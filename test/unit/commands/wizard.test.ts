import { strict as assert } from 'node:assert';
import { runSteps, type PromptStep } from '../../../src/commands/wizard';

interface Answers {
  kind?: string;
  url?: string;
  key?: string;
  asked: string[];
}

/** A step that answers `value` (undefined: the person closed the prompt) and records that it was asked. */
function step(field: 'kind' | 'url' | 'key', value: string | undefined, shouldPrompt?: (c: Answers) => boolean): PromptStep<Answers> {
  return {
    shouldPrompt,
    async prompt(context) {
      context.asked.push(field);
      context[field] = value;
      return value !== undefined;
    },
  };
}

describe('wizard steps (runSteps)', () => {
  const urlWhenDirectory = (c: Answers) => c.kind === 'directory';

  it('asks each step in order, a step deciding from what the earlier ones answered', async () => {
    const directory: Answers = { asked: [] };
    assert.equal(await runSteps(directory, [step('kind', 'directory'), step('url', 'https://a.example', urlWhenDirectory), step('key', 'k')]), true);
    assert.deepEqual(directory.asked, ['kind', 'url', 'key']);
    assert.equal(directory.url, 'https://a.example');

    const account: Answers = { asked: [] };
    assert.equal(await runSteps(account, [step('kind', 'account'), step('url', 'https://a.example', urlWhenDirectory), step('key', 'k')]), true);
    assert.deepEqual(account.asked, ['kind', 'key'], 'the address is not asked of an account');
    assert.equal(account.url, undefined);
  });

  it('ends at the first closed prompt and asks nothing after it', async () => {
    const context: Answers = { asked: [] };
    assert.equal(await runSteps(context, [step('kind', 'directory'), step('url', undefined, urlWhenDirectory), step('key', 'k')]), false);
    assert.deepEqual(context.asked, ['kind', 'url']);
    assert.equal(context.key, undefined);
  });
});
