import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./support/log-lines.ts', import.meta.url));
const LINES = 20_000;

/** Runs the child and returns its stdout split into lines. */
async function runChild(ending: 'exit' | 'return'): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, String(LINES), ending], {
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

  expect(code).toBe(0);
  return Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
}

describe('createLogger', () => {
  it.each(['exit', 'return'] as const)('keeps every line on %s', async (ending) => {
    const lines = await runChild(ending);

    expect(lines).toHaveLength(LINES);
    const indexes = lines.map((line) => (JSON.parse(line) as { index: number }).index);
    expect(indexes).toEqual(Array.from({ length: LINES }, (_, index) => index));
  });
});
