import { Upstream, type UpstreamOptions } from '../../src/upstream/client.js';

/**
 * Counts round trips by causality, not by the clock: every REST call waits
 * at a gate until the previous round's answers have all come back and the
 * code they woke up has run. A call made then belongs to the next round.
 * A busy machine slows every step but cannot move a call into another round,
 * as it could when rounds were read off overlapping timestamps.
 */
export class RoundGate {
  private readonly held: (() => void)[] = [];
  private inFlight = 0;
  private whenIdle: (() => void) | undefined;

  /** Holds `send` until the current round is released. */
  hold<T>(send: () => Promise<T>): Promise<T> {
    return new Promise<void>((release) => this.held.push(release)).then(() => {
      this.inFlight += 1;
      return send().finally(() => {
        this.inFlight -= 1;
        if (this.inFlight === 0) this.whenIdle?.();
      });
    });
  }

  /** Runs `run`, releasing its calls round by round; how many rounds it took. */
  async rounds<T>(run: () => Promise<T>): Promise<{ result: T; rounds: number }> {
    const running = run();
    let rounds = 0;
    for (;;) {
      await settled();
      if (this.held.length === 0) break;
      rounds += 1;
      const idle = new Promise<void>((resolve) => {
        this.whenIdle = resolve;
      });
      for (const release of this.held.splice(0)) release();
      await idle;
    }
    // Nothing is held and nothing is in flight: whatever is left to do makes no call.
    return { result: await running, rounds };
  }
}

/**
 * Lets the code woken by the last answers run to its next wait: promise
 * jobs, nextTicks and a few turns of the event loop, counted in turns, not ms.
 */
async function settled(): Promise<void> {
  for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** An Upstream whose every REST call goes through the gate. */
export class GatedUpstream extends Upstream {
  constructor(
    options: UpstreamOptions,
    private readonly gate: RoundGate,
  ) {
    super(options);
  }

  override call(...args: Parameters<Upstream['call']>): ReturnType<Upstream['call']> {
    return this.gate.hold(() => super.call(...args));
  }
}
