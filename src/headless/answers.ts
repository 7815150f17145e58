// How `baton exec` answers the run's questions: `--yes` where the question allows it, otherwise on
// the terminal (secrets without echo). With no terminal the question cannot be answered, and the
// caller is told at once, so a headless run fails with "input needed" instead of hanging.
import { createInterface, type Interface } from 'node:readline/promises';
import { Writable, type Readable } from 'node:stream';
import type { Run } from '../engine/runner.js';
import { activeQuestions, type Question } from '../engine/state.js';

/** Where answers come from. */
export interface AnswerOptions {
  /** `--yes`: take each question's `assumeYes` answer, where it has one. */
  yes: boolean;
  /** Ask on a terminal; when absent, unanswerable questions go to `onInputNeeded`. */
  terminal?: { input: Readable; output: NodeJS.WritableStream };
  /** Lines about answers given by `--yes` (plain mode prints them; JSON mode has the events). */
  say?: (line: string) => void;
  onInputNeeded: (question: Question, hint: string) => void;
}

/** The answering side of `baton exec`. */
export interface Answerer {
  /** Stop answering for good. */
  stop(): void;
  /** Let go of the terminal (an interactive action takes it); it is taken again for the next question. */
  release(): void;
}

/** Answer a run's questions as they come, one at a time. */
export function answerQuestions(run: Run, options: AnswerOptions): Answerer {
  const handled = new Set<string>();
  let busy = false;
  let stopped = false;
  let prompt: AbortController | undefined;
  let promptFor: string | undefined;
  let rl: Interface | undefined;
  let muted = false;

  const terminal = () => {
    if (!rl && options.terminal) {
      const target = options.terminal.output;
      const output = new Writable({
        write(chunk, _encoding, done) {
          if (!muted) target.write(chunk);
          done();
        },
      });
      rl = createInterface({ input: options.terminal.input, output, terminal: Boolean((options.terminal.input as { isTTY?: boolean }).isTTY) });
      // In raw mode Ctrl-C reaches readline, not the process: pass it on, so it stops the run.
      rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    }
    return rl;
  };

  const next = () => {
    if (stopped) return;
    const open = activeQuestions(run.getState());
    if (promptFor && !open.some((q) => q.id === promptFor)) prompt?.abort();
    if (busy) return;
    const question = open.find((q) => !handled.has(q.id));
    if (!question) return;
    busy = true;
    handled.add(question.id);
    void handle(question).finally(() => {
      busy = false;
      setImmediate(next);
    });
  };

  const handle = async (question: Question): Promise<void> => {
    if (options.yes && question.assumeYes !== undefined) {
      const result = run.dispatch({ type: 'answer', questionId: question.id, value: question.assumeYes, via: 'yes-flag' });
      if (result.accepted && question.kind !== 'check') options.say?.(`  ? ${question.text} → ${question.assumeYes} (--yes)`);
      return;
    }
    const lines = terminal();
    if (!lines || !options.terminal) {
      options.onInputNeeded(question, inputHint(question, options.yes));
      return;
    }
    const out = options.terminal.output;
    out.write(`\n? ${question.text}\n`);
    for (const line of question.detail) out.write(`    ${line}\n`);
    for (;;) {
      prompt = new AbortController();
      promptFor = question.id;
      let typed: string;
      try {
        typed = await ask(lines, promptText(question), prompt.signal, Boolean(question.input?.secret), out, (m) => (muted = m));
      } catch {
        return; // withdrawn, or the terminal closed
      } finally {
        promptFor = undefined;
      }
      const value = chosenValue(question, typed.trim());
      let note: string | undefined;
      if (question.acceptsNote && value !== undefined) {
        try {
          note = (await ask(lines, value === 'failed' ? '  what is wrong? ' : '  note (optional): ', prompt.signal, false, out, (m) => (muted = m))).trim();
        } catch {
          return;
        }
      }
      const result = run.dispatch({
        type: 'answer',
        questionId: question.id,
        value: value ?? typed,
        via: 'operator',
        ...(note ? { note } : {}),
      });
      if (result.accepted) return;
      if (result.reason === 'that question is no longer asked') return;
      out.write(`  ${result.reason}\n`);
    }
  };

  const unsubscribe = run.subscribe(() => next());
  setImmediate(next);
  const release = () => {
    prompt?.abort();
    rl?.close();
    rl = undefined;
  };
  return {
    stop: () => {
      stopped = true;
      unsubscribe();
      release();
    },
    release,
  };
}

/** What to pass so a headless run can answer this question next time. */
export function inputHint(question: Question, yes: boolean): string {
  switch (question.kind) {
    case 'variable':
      return question.fromEnv
        ? `set ${question.fromEnv} in the environment, or pass --var ${question.variable}=VALUE`
        : `pass --var ${question.variable}=VALUE`;
    case 'unknown-outcome':
      return 'answer on a terminal, or pass --on-unknown rerun|mark-done|skip';
    case 'take-over':
      return 'answer on a terminal, or pass --take-over if that run is really gone';
    case 'type-name':
    case 'confirm':
    case 'requires':
      if (question.assumeYes === undefined) {
        return `in a protected environment --yes does not answer this: answer on a terminal${question.kind === 'requires' ? '' : ', or pass --i-know-what-i-am-doing (recorded)'}`;
      }
      return yes ? 'answer on a terminal' : 'pass --yes, or answer on a terminal';
    default:
      return yes ? 'answer on a terminal' : 'pass --yes, or answer on a terminal';
  }
}

function promptText(question: Question): string {
  if (question.options) return `  ${question.options.map((o) => `[${o.key}] ${o.label}`).join('  ')} › `;
  if (question.input?.expected !== undefined) return `  type ${question.input.expected}: `;
  const hints = [question.input?.choices ? question.input.choices.join('/') : undefined, question.input?.default ? `default ${question.input.default}` : undefined].filter(Boolean);
  return `  ${hints.length > 0 ? `(${hints.join(', ')}) ` : ''}› `;
}

/** An option's value from its key, value or label; the typed text for typed answers. */
function chosenValue(question: Question, typed: string): string | undefined {
  if (!question.options) return typed;
  const lowered = typed.toLowerCase();
  return question.options.find((o) => o.key === lowered || o.value === lowered || o.label.toLowerCase() === lowered)?.value ?? (lowered === 'yes' ? question.options.find((o) => o.key === 'y')?.value : undefined);
}

async function ask(
  rl: Interface,
  text: string,
  signal: AbortSignal,
  secret: boolean,
  out: NodeJS.WritableStream,
  mute: (on: boolean) => void,
): Promise<string> {
  if (!secret) return rl.question(text, { signal });
  out.write(text);
  mute(true);
  try {
    return await rl.question('', { signal });
  } finally {
    mute(false);
    out.write('\n');
  }
}
