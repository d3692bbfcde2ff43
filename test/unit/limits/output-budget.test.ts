import { describe, expect, it } from 'vitest';
import { OutputLimitError } from '../../../src/errors/output-limit-error.js';
import { createOutputBudget } from '../../../src/limits/output-budget.js';

describe('createOutputBudget', () => {
  it('lets points through up to the limit exactly, then refuses every further field', () => {
    const budget = createOutputBudget(10);
    budget.spend(4);
    budget.spend(6);
    budget.check();
    expect(budget.exceeded).toBe(false);
    expect(() => budget.spend(1)).toThrow(OutputLimitError);
    expect(budget.exceeded).toBe(true);
    // Once spent past, nothing more is completed, not even an empty field.
    expect(() => budget.spend(0)).toThrow(OutputLimitError);
    expect(() => budget.check()).toThrow(OutputLimitError);
  });

  it('refuses a single field larger than the whole budget, naming the variable and the limit', () => {
    const budget = createOutputBudget(5);
    const error = (() => {
      try {
        budget.spend(6);
      } catch (caught) {
        return caught as OutputLimitError;
      }
    })();
    expect(error?.code).toBe('OUTPUT_LIMIT_EXCEEDED');
    expect(error?.limit).toBe(5);
    expect(error?.message).toContain('more than 5 points (LIMIT_MAX_POINTS)');
  });

  it('renews the whole budget for the next event of a subscription, even once spent past', () => {
    const budget = createOutputBudget(5);
    expect(() => budget.spend(6)).toThrow(OutputLimitError);
    budget.renew();
    expect(budget.exceeded).toBe(false);
    budget.spend(5);
    expect(() => budget.spend(1)).toThrow(OutputLimitError);
  });
});
