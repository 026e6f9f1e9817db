import { writeSync } from 'node:fs';
import { runApiMode } from './api-mode.js';
import { runDirectMode } from './direct-mode.js';
import { CliError, EXIT_CODES } from './errors.js';
import { helpText } from './help.js';
import { toCliOptions } from './options.js';
import { createDiagnosticLogger, createOutputLogger, type Logger } from './output.js';
import { parseArguments } from './parse-arguments.js';
import { buildRequestBody } from './request.js';
import { validateRequestBody } from './validate-request.js';

export interface CliContext {
  environment: NodeJS.ProcessEnv;
  /** Aborted with an `InterruptedError` on Ctrl-C or SIGTERM. */
  signal: AbortSignal;
  output?: Logger;
  diagnostics?: Logger;
  /** Writes text as is; `--help` goes to fd 1 and the final error line to fd 2. */
  write?: (fd: 1 | 2, text: string) => void;
}

/**
 * Runs the command line and returns its exit code (see `EXIT_CODES`). On failure it writes one
 * line, `mesos-launch: <reason>`, to stderr.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const write = context.write ?? writeSynchronously;

  try {
    const parsed = parseArguments(argv);
    if (parsed.help) {
      write(1, helpText());
      return EXIT_CODES.success;
    }

    const options = toCliOptions(parsed.flags, context.environment);
    const body = buildRequestBody(options.launch);
    const request = validateRequestBody(body);
    const output = context.output ?? createOutputLogger();
    const diagnostics = context.diagnostics ?? createDiagnosticLogger();
    const modeContext = { output, diagnostics, signal: context.signal };

    if (options.target.kind === 'api') {
      await runApiMode(options.launch, options.target, body, modeContext);
    } else {
      await runDirectMode(request, options.launch, options.target, modeContext);
    }

    return EXIT_CODES.success;
  } catch (error) {
    write(2, `mesos-launch: ${oneLine(describeError(error))}\n`);
    return error instanceof CliError ? error.exitCode : EXIT_CODES.launchFailed;
  }
}

function describeError(error: unknown): string {
  if (error instanceof CliError) {
    return error.message;
  }

  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' | ');
}

/** Writes with a synchronous system call, so the text is out before `process.exit` runs. */
function writeSynchronously(fd: 1 | 2, text: string): void {
  writeSync(fd, text);
}
