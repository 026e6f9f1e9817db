import { pino, type Logger } from 'pino';
import { createOutputLogger } from '../../../cli/output.js';

/** Creates a stdout logger that keeps each line, parsed, in `lines`. */
export function captureOutput(): { output: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const output = createOutputLogger({
    write(line: string) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });

  return { output, lines };
}

export const silentLogger: Logger = pino({ level: 'silent' });
