/**
 * The checks every action that changes Okta must pass against the sandbox: a dry run plans the change
 * and changes nothing (the org's state and System Log are compared before and after), a real run
 * reports changed: true and changes the org, and for an idempotent action a second identical run
 * reports changed: false, changes nothing, and its dry run plans nothing.
 */
import { describe, expect, it } from 'vitest';
import { type ActionKey, type ActionTypes, execute, manifest } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { useSandbox } from './sandbox.js';
import { SANDBOX_HOST, sandboxConnection } from './sandbox-actions.js';

export interface MutationScenario<Key extends ActionKey> {
  /** The action. Every action that changes Okta needs one scenario (test/catalog.test.ts checks). */
  key: Key;
  /** What the scenario is about, when an action has several. */
  title?: string;
  /** Builds the input from the seeded sandbox (and may set the org up first, through its API). */
  input: (sandbox: Sandbox) => Promise<ActionTypes[Key]['input']>;
  /** Extra checks of the real run's output. */
  expectOutput?: (output: ActionTypes[Key]['output'], sandbox: Sandbox) => void | Promise<void>;
}

function snapshot(sandbox: Sandbox) {
  return { version: sandbox.org.version, events: sandbox.org.log.events.length };
}

/** Registers the scenario tests of one file; each test gets a fresh sandbox. */
export function mutationScenarios(scenarios: Array<MutationScenario<ActionKey>>): void {
  const ctx = useSandbox();
  const run = (key: ActionKey, input: unknown, dryRun = false) =>
    execute(key, { connection: sandboxConnection(ctx.sandbox), input: input as never, dryRun }, SANDBOX_HOST);

  for (const scenario of scenarios) {
    const contract = manifest.actions.find((action) => action.key === scenario.key);
    describe(`${scenario.key}${scenario.title ? `: ${scenario.title}` : ''}`, () => {
      it('a dry run plans the change and changes nothing', async () => {
        const input = await scenario.input(ctx.sandbox);
        const before = snapshot(ctx.sandbox);
        const planned = await run(scenario.key, input, true);
        expect(planned, JSON.stringify(planned)).toMatchObject({
          ok: true,
          output: { dryRun: true, wouldChange: true },
        });
        if (planned.ok) {
          const output = planned.output as { plan: unknown[]; current: Record<string, unknown> };
          expect(output.plan.length).toBeGreaterThan(0);
          // What the dry run read is the state its plan starts from: lists included, never left out.
          if (planned.meta.requests > 0) expect(Object.keys(output.current).length).toBeGreaterThan(0);
        }
        expect(snapshot(ctx.sandbox)).toEqual(before);
      });

      it(`a real run changes Okta and says so${contract?.annotations.idempotent ? '; a repeat changes nothing' : ''}`, async () => {
        const input = await scenario.input(ctx.sandbox);
        const before = snapshot(ctx.sandbox);
        const first = await run(scenario.key, input);
        expect(first, JSON.stringify(first)).toMatchObject({ ok: true, output: { changed: true } });
        expect(snapshot(ctx.sandbox).version).toBeGreaterThan(before.version);
        if (first.ok && scenario.expectOutput)
          await scenario.expectOutput(first.output as never, ctx.sandbox);
        if (!contract?.annotations.idempotent) return;
        const settled = snapshot(ctx.sandbox);
        const again = await run(scenario.key, input);
        expect(again, JSON.stringify(again)).toMatchObject({ ok: true, output: { changed: false } });
        expect(snapshot(ctx.sandbox)).toEqual(settled);
        const replan = await run(scenario.key, input, true);
        expect(replan).toMatchObject({ ok: true, output: { dryRun: true, wouldChange: false, plan: [] } });
      });
    });
  }
}

/** A scenario, typed by its action key. */
export function mutation<Key extends ActionKey>(
  scenario: MutationScenario<Key>,
): MutationScenario<ActionKey> {
  return scenario as unknown as MutationScenario<ActionKey>;
}
