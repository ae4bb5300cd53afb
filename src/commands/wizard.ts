/**
 * One question of a wizard (as Azure Databases splits a command into `*Step.ts` prompt steps
 * and an execute step): it reads what earlier steps answered from the context and writes its
 * own answer there.
 */
export interface PromptStep<C> {
  /** Whether the step asks anything for these answers (the address only for a directory site, say); default yes. */
  shouldPrompt?(context: C): boolean;
  /** Asks, and stores the answer in the context; false when the person closed the prompt. */
  prompt(context: C): Promise<boolean>;
}

/** Runs the steps in order over one context; false as soon as one was closed (the wizard ends there). */
export async function runSteps<C>(context: C, steps: readonly PromptStep<C>[]): Promise<boolean> {
  for (const step of steps) {
    if (step.shouldPrompt && !step.shouldPrompt(context)) continue;
    if (!(await step.prompt(context))) return false;
  }
  return true;
}
