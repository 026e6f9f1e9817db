/**
 * Summarises V8 `.cpuprofile` files (from `node --cpu-prof`): self time by function and by file.
 * Run alone as `npx tsx bench/e2e/profile-summary.ts FILE.cpuprofile... [--top N]`.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function or file. */
export interface SelfTime {
  name: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: SelfTime[];
  files: SelfTime[];
  /**
   * Each sample charged to the innermost function of the project's own code on its stack, so the
   * time spent in libraries and native code lands on the project function that called them.
   */
  projectFunctions: SelfTime[];
  /**
   * Each sample charged to the package of the innermost frame from the project or node_modules,
   * so Node internals and native code land on the package that called them.
   */
  packages: SelfTime[];
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function summarizeProfile(path: string): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = parentMap(profile.nodes);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byProjectFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;

  profile.samples.forEach((nodeId, index) => {
    const deltaUs = Math.max(0, profile.timeDeltas[index] ?? 0);
    const frame = nodes.get(nodeId)?.callFrame;
    if (frame === undefined) {
      return;
    }

    totalUs += deltaUs;
    add(byFunction, frameName(frame), deltaUs);
    add(byFile, shortFile(frame.url), deltaUs);
    add(byProjectFunction, projectFrameName(nodeId, nodes, parents) ?? frameName(frame), deltaUs);
    add(byPackage, packageOf(nodeId, nodes, parents) ?? frameName(frame), deltaUs);
  });

  return {
    totalMs: totalUs / 1000,
    functions: ranked(byFunction, totalUs),
    files: ranked(byFile, totalUs),
    projectFunctions: ranked(byProjectFunction, totalUs),
    packages: ranked(byPackage, totalUs),
  };
}

function parentMap(nodes: ProfileNode[]): Map<number, number> {
  const parents = new Map<number, number>();
  for (const node of nodes) {
    for (const child of node.children ?? []) {
      parents.set(child, node.id);
    }
  }

  return parents;
}

/** Names the innermost frame from the repository outside node_modules, if any. */
function projectFrameName(
  nodeId: number,
  nodes: Map<number, ProfileNode>,
  parents: Map<number, number>,
): string | undefined {
  for (let id: number | undefined = nodeId; id !== undefined; id = parents.get(id)) {
    const frame = nodes.get(id)?.callFrame;
    if (frame !== undefined && isProjectFile(frame.url)) {
      return frameName(frame);
    }
  }

  return undefined;
}

/** Names the package of the innermost project or node_modules frame: `project` or its name. */
function packageOf(
  nodeId: number,
  nodes: Map<number, ProfileNode>,
  parents: Map<number, number>,
): string | undefined {
  for (let id: number | undefined = nodeId; id !== undefined; id = parents.get(id)) {
    const url = nodes.get(id)?.callFrame.url ?? '';
    const file = shortFile(url);
    const dependency = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    if (dependency) {
      return dependency[1];
    }

    if (isProjectFile(url)) {
      return `project ${file.split('/').slice(0, -1).join('/')}`;
    }
  }

  return undefined;
}

function isProjectFile(url: string): boolean {
  if (!url.startsWith('file://') && !url.startsWith('/')) {
    return false;
  }

  const file = shortFile(url);
  return !file.startsWith('/') && !file.startsWith('node_modules/');
}

function frameName(frame: ProfileNode['callFrame']): string {
  return `${frame.functionName || '(anonymous)'} ${shortFile(frame.url)}:${frame.lineNumber + 1}`;
}

function add(times: Map<string, number>, key: string, us: number): void {
  times.set(key, (times.get(key) ?? 0) + us);
}

/** A path relative to the repository, `node_modules/<package>/...` kept, or the V8 pseudo-name. */
function shortFile(url: string): string {
  if (url === '') {
    return '(native)';
  }

  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path;
}

function ranked(times: Map<string, number>, totalUs: number): SelfTime[] {
  return [...times.entries()]
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

export function formatSummary(label: string, summary: ProfileSummary, top: number): string {
  const line = (entry: SelfTime): string =>
    `    ${entry.selfMs.toFixed(0).padStart(7)} ms ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.name}`;

  return [
    `${label}: ${summary.totalMs.toFixed(0)} ms sampled`,
    '  self time by function:',
    ...summary.functions.slice(0, top).map(line),
    '  self time by file:',
    ...summary.files.slice(0, top).map(line),
    '  time by innermost project function (library and native callees included):',
    ...summary.projectFunctions.slice(0, top).map(line),
    '  time by package (Node internals and native callees included):',
    ...summary.packages.slice(0, top).map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const files = topAt >= 0 ? args.filter((_arg, i) => i !== topAt && i !== topAt + 1) : args;
  if (files.length === 0) {
    process.stderr.write('usage: profile-summary.ts FILE.cpuprofile... [--top N]\n');
    process.exitCode = 2;
    return;
  }

  for (const file of files) {
    process.stdout.write(`${formatSummary(file, await summarizeProfile(file), top)}\n\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
