// Dependencies point down (style.md §12), checked on the import statements of every TypeScript file:
//   1. no import cycle between files;
//   2. no cycle between packages (each libs/<name>, workflows, activities, each apps/<name>), tests left out;
//   3. libs/ never imports workflows/, and apps/ imports only a workflow's contract (`*.types.ts`, `*.messages.ts`).
// Plain Node (no build, no dependency) so `npm run lint` runs it first. Exits 1 and lists what it found.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const DIRS = ['apps', 'libs', 'workflows', 'activities', 'scripts', 'bench', 'test'];
const SKIP = new Set(['node_modules', 'dist', '.data', '.tools', 'coverage']);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIP.has(entry.name)) {
      yield* files(path);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The file a relative specifier names, or null for packages and files outside the tree. */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) {
    return null;
  }
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) {
      return candidate;
    }
  }
  return null;
}

const rel = (path) => relative(ROOT, path).split(sep).join('/');
/** The package a file belongs to: libs/<name>, apps/<name>, or its top folder. */
const packageOf = (path) => {
  const [top, name] = rel(path).split('/');
  return top === 'libs' || top === 'apps' ? `${top}/${name}` : top;
};

const graph = new Map();
for (const dir of DIRS.map((d) => join(ROOT, d)).filter(existsSync)) {
  for (const file of files(dir)) {
    const text = readFileSync(file, 'utf8');
    const targets = new Set();
    for (const match of text.matchAll(SPECIFIER)) {
      const target = resolveSpecifier(file, match[1] ?? match[2]);
      if (target) {
        targets.add(target);
      }
    }
    graph.set(file, [...targets]);
  }
}

/** Strongly connected components with more than one node (or a node importing itself): the cycles. */
function cycles(nodes, edges) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (node) => {
    state.set(node, { index, low: index, onStack: true });
    index += 1;
    stack.push(node);
    for (const next of edges(node)) {
      if (!state.has(next)) {
        visit(next);
        state.get(node).low = Math.min(state.get(node).low, state.get(next).low);
      } else if (state.get(next).onStack) {
        state.get(node).low = Math.min(state.get(node).low, state.get(next).index);
      }
    }
    if (state.get(node).low === state.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        state.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edges(node).includes(node)) {
        found.push(component.sort());
      }
    }
  };
  for (const node of nodes) {
    if (!state.has(node)) {
      visit(node);
    }
  }
  return found;
}

/** Tests sit above everything they test; they count for file cycles only. */
const isTest = (path) => /(\.spec|\.test|\.test-support)\.tsx?$/.test(path) || rel(path).startsWith('test/');

const problems = [];
for (const component of cycles([...graph.keys()], (f) => graph.get(f) ?? [])) {
  problems.push(`import cycle between files: ${component.map(rel).join(' ↔ ')}`);
}

const packageEdges = new Map();
const via = new Map();
for (const [file, targets] of graph) {
  for (const target of isTest(file) ? [] : targets) {
    const [from, to] = [packageOf(file), packageOf(target)];
    if (from !== to) {
      packageEdges.set(from, new Set([...(packageEdges.get(from) ?? []), to]));
      via.set(`${from}→${to}`, via.get(`${from}→${to}`) ?? `${rel(file)} → ${rel(target)}`);
    }
  }
}
for (const component of cycles([...packageEdges.keys()], (p) => [...(packageEdges.get(p) ?? [])])) {
  const inside = new Set(component);
  const arrows = component.flatMap((p) =>
    [...(packageEdges.get(p) ?? [])].filter((q) => inside.has(q)).map((q) => `    ${via.get(`${p}→${q}`)}`),
  );
  problems.push(`import cycle between packages: ${component.join(' ↔ ')}\n${arrows.join('\n')}`);
}

for (const [file, targets] of graph) {
  const from = rel(file);
  if (isTest(file)) {
    continue;
  }
  for (const target of targets.map(rel).filter((t) => t.startsWith('workflows/'))) {
    if (from.startsWith('libs/')) {
      problems.push(`${from} imports ${target}: libs/ sits below workflows/ and never imports it`);
    } else if (from.startsWith('apps/') && !/^workflows\/[^/]+\.(types|messages)\.ts$/.test(target)) {
      problems.push(`${from} imports ${target}: apps/ may import only a workflow's *.types.ts and *.messages.ts`);
    }
  }
}

if (problems.length > 0) {
  console.error(`check-imports: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-imports: ${graph.size} files, no import cycle, no reach into workflows/ internals`);
