import { fork, type ChildProcess } from 'node:child_process';
import type { GuardedOutcome } from './evaluate-guarded.ts';
import type { EvaluationReply, EvaluationRequest, EvaluatorReady } from './evaluator-process.ts';
import type { ExpressionLimits } from './limits.ts';

const evaluatorPath = new URL('./evaluator-process.ts', import.meta.url).pathname;
// jsonata's own timeout stops most runaways between steps with a clearer error; the pool's
// timer, a little later, stops the rest (one long built-in call) by killing the process.
const HARD_STOP_GRACE_MS = 250;
const STDERR_KEPT = 4_000;

interface Task {
  expression: string;
  data: unknown;
  limits: ExpressionLimits;
  resolve: (outcome: GuardedOutcome) => void;
}

interface Slot {
  child: ChildProcess;
  stderr: string;
  /** The process has loaded: a task's time starts only then (a busy machine can take seconds to start one). */
  ready: boolean;
  task?: { id: number; work: Task; timer: NodeJS.Timeout };
}

const failed = (reason: string): GuardedOutcome => ({ ok: false, failure: 'evaluation', reason: `failed: ${reason}` });

/** An idle evaluator must not keep its parent alive; a busy one must. */
function holdOpen(child: ChildProcess, hold: boolean): void {
  for (const handle of [child, child.channel, child.stderr] as ({ ref(): void; unref(): void } | null | undefined)[])
    if (hold) handle?.ref();
    else handle?.unref();
}

/**
 * A few child processes that evaluate expressions, so that no expression can stall or crash the
 * process that asked (a Temporal worker, the API server). Processes rather than worker threads:
 * V8 aborts the whole process when one huge allocation (a 300-million-character string) passes
 * a heap cap, and only a process contains that. One that outruns its time is killed, one that
 * outgrows its heap dies, and either is replaced.
 */
export class ExpressionPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly heapMb: number;

  constructor(options: { size: number; heapMb: number }) {
    this.size = options.size;
    this.heapMb = options.heapMb;
  }

  run(expression: string, data: unknown, limits: ExpressionLimits): Promise<GuardedOutcome> {
    if (this.closed) return Promise.resolve(failed('the expression pool was closed'));
    return new Promise((resolve) => {
      this.queue.push({ expression, data, limits, resolve });
      this.dispatch();
    });
  }

  /** Stops every evaluator; queued and running evaluations fail. */
  close(): void {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.resolve(failed('the expression pool was closed'));
    for (const slot of [...this.slots]) this.retire(slot, failed('the expression pool was closed'));
  }

  private dispatch(): void {
    // All evaluators start together: a runaway expression in one must not make the next
    // evaluation wait for a process to start.
    while (!this.closed && this.slots.length < this.size) this.spawn();
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && !s.task);
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private start(slot: Slot, work: Task): void {
    const id = this.nextId++;
    const timer = setTimeout(
      () => this.retire(slot, { ok: false, failure: 'time', reason: `ran longer than ${work.limits.timeoutMs} ms` }),
      work.limits.timeoutMs + HARD_STOP_GRACE_MS,
    );
    slot.task = { id, work, timer };
    holdOpen(slot.child, true);
    const request: EvaluationRequest = { id, expression: work.expression, data: work.data, limits: work.limits };
    slot.child.send(request, (error) => {
      if (error) this.finish(slot, id, failed(`its data could not be sent: ${error.message}`));
    });
  }

  private spawn(): Slot {
    const child = fork(evaluatorPath, [], {
      // The parent's flags (how it runs TypeScript, say) but not its debugger port; the heap cap last wins.
      execArgv: [
        ...process.execArgv.filter((flag) => !flag.startsWith('--inspect')),
        `--max-old-space-size=${this.heapMb}`,
      ],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const slot: Slot = { child, stderr: '', ready: false };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      slot.stderr = (slot.stderr + chunk).slice(-STDERR_KEPT);
    });
    child.on('message', (reply: EvaluationReply | EvaluatorReady) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.dispatch();
      } else this.finish(slot, reply.id, reply.outcome);
    });
    child.on('error', (error) => this.retire(slot, failed(`its process failed: ${error.message}`)));
    child.on('exit', () => {
      const outOfMemory = /heap out of memory|heap limit/i.test(slot.stderr);
      this.retire(
        slot,
        outOfMemory
          ? { ok: false, failure: 'heap', reason: `used more than ${this.heapMb} MB of memory` }
          : failed('its process stopped'),
      );
    });
    holdOpen(child, false);
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot, id: number, outcome: GuardedOutcome): void {
    if (slot.task?.id !== id) return;
    clearTimeout(slot.task.timer);
    const { work } = slot.task;
    slot.task = undefined;
    holdOpen(slot.child, false);
    work.resolve(outcome);
    this.dispatch();
  }

  /** The slot's process is stopped or gone: its task fails with `outcome`, and a fresh one takes its place. */
  private retire(slot: Slot, outcome: GuardedOutcome): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    const task = slot.task;
    slot.task = undefined;
    if (task) {
      clearTimeout(task.timer);
      task.work.resolve(outcome);
    } else if (!slot.ready) {
      // A process that died while starting fails the oldest waiting evaluation rather than leave it hanging.
      this.queue.shift()?.resolve(outcome);
    }
    slot.child.kill('SIGKILL');
    this.dispatch();
  }
}
