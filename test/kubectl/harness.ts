// End-to-end harness: a real `rewind serve` on a temporary data dir, driven by the real kubectl.
//
//   const rw = await startRewind(t);            // one server per test file; stopped at teardown
//   const r = await rw.kubectl('get', 'ns');    // { code, stdout, stderr }
//   t.match(r.stdout, /kube-system\s+Active/);
//   await rw.restart();                          // same data dir, new process
//
// kubectl runs with this server's kubeconfig and a cache dir inside the temp dir, so discovery and
// OpenAPI caches never leak between runs (kubectl-surface.md §0.10). REWIND_NODE_OPTIONS passes
// node flags to the server (e.g. `--cpu-prof` to profile it under the suite).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const READY = /^Rewind API ready at (https?:\/\/\S+) \(export KUBECONFIG=(\S+)\)$/m;

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The part of tap's Test the harness needs (teardown). */
interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface Rewind {
  /** Temporary directory: the server's data (`data/`), kubectl's cache and any files a test writes. */
  readonly dir: string;
  readonly url: string;
  readonly kubeconfig: string;
  /** Run kubectl to completion; `input` goes to its stdin, `env` adds variables (e.g. EDITOR). */
  kubectl(...args: (string | KubectlOptions)[]): Promise<Result>;
  /** Start kubectl without waiting for it (for `get -w`); stop it with `.kill()`. */
  spawnKubectl(...args: string[]): Running;
  /** Write a file under `dir` and return its path. */
  file(name: string, content: string): string;
  /** Stop the server cleanly (SIGTERM) and start it again on the same data dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface KubectlOptions {
  input?: string;
  env?: Record<string, string>;
}

export async function startRewind(t: Teardown, extraArgs: string[] = []): Promise<Rewind> {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-kubectl-'));
  let server = await launch(join(dir, 'data'), extraArgs);
  const common = () => ['--kubeconfig', server.kubeconfig, '--cache-dir', join(dir, 'kube-cache')];
  const rw: Rewind = {
    dir,
    get url() {
      return server.url;
    },
    get kubeconfig() {
      return server.kubeconfig;
    },
    kubectl: (...args) => {
      const opts = (typeof args[args.length - 1] === 'object' ? args.pop() : {}) as KubectlOptions;
      return run(KUBECTL, [...common(), ...(args as string[])], opts);
    },
    spawnKubectl: (...args) => running(spawn(KUBECTL, [...common(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })),
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    restart: async () => {
      await server.stop();
      server = await launch(join(dir, 'data'), extraArgs);
    },
    stop: () => server.stop(),
  };
  t.teardown(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return rw;
}

interface Launched {
  url: string;
  kubeconfig: string;
  stop(): Promise<void>;
}

/** Spawn `rewind serve --port 0` and resolve once it prints its ready line. */
function launch(data: string, extraArgs: string[]): Promise<Launched> {
  // The server is the product, not a test process: it must not get the loader hooks tap adds to
  // NODE_OPTIONS of every child it spawns (they break bin/rewind's own tsx registration), so env(1)
  // sets NODE_OPTIONS afresh between tap and node.
  const nodeOptions = `NODE_OPTIONS=${process.env.REWIND_NODE_OPTIONS ?? ''}`;
  const child = spawn('env', [nodeOptions, process.execPath, REWIND, 'serve', '--port', '0', '--data', data, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const m = READY.exec(out);
      if (m) resolve({ url: m[1], kubeconfig: m[2], stop });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.once('exit', (code) => reject(new Error(`rewind serve exited with ${code} before it was ready:\n${out}\n${err}`)));
  });
}

/** Run a command to completion (kubectl, or any other). */
export function run(cmd: string, args: string[], opts: KubectlOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A kubectl left running (`get -w`): everything it printed so far, and a wait for more. */
export interface Running {
  /** stdout so far. */
  readonly stdout: string;
  /** Resolve with all of stdout once it matches `pattern`; reject if kubectl exits first. */
  waitFor(pattern: RegExp): Promise<string>;
  kill(): void;
}

function running(child: ChildProcess): Running {
  let stdout = '';
  let exited = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c;
    wake();
  });
  child.once('exit', () => {
    exited = true;
    wake();
  });
  return {
    get stdout() {
      return stdout;
    },
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) resolve(stdout);
          else if (exited) reject(new Error(`kubectl exited before printing ${pattern}:\n${stdout}`));
          else waiters.push(check);
        };
        check();
      }),
    kill: () => child.kill(),
  };
}
