// `rewind curl URL [-H 'Host: x'] [-i] [-v]`: an HTTP request from outside the cluster to the
// simulated ingress controller (GET /apis/rewind.dev/v1/curl). It prints the body as curl does;
// -i adds the status line and headers; -v says which Ingress rule, Service and pod answered (on
// stderr, where curl's own -v chatter goes). Exit 22 on an HTTP error status, as curl --fail.

import { Command } from 'commander';
import { RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';

interface CurlFlags extends ClusterFlags {
  header: string[];
  include?: boolean;
  verbose?: boolean;
  fail?: boolean;
}

interface CurlResult {
  ingress?: string;
  rule?: string;
  service?: string;
  pod?: string;
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

export function run(argv: string[]): Promise<number> {
  const cmd = withClusterFlags(new Command('rewind curl'))
    .description('send an HTTP request to the ingress controller and print the answer')
    .argument('<url>', 'e.g. http://foo.example.com/path')
    .option('-H, --header <header>', "a header; only 'Host: name' matters", (v: string, all: string[]) => [...all, v], [])
    .option('-i, --include', 'print the status line and headers')
    .option('-v, --verbose', 'say which ingress rule, service and pod answered')
    .option('-f, --fail', 'exit 22 on an HTTP error status, printing nothing')
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<CurlFlags>();
  return runCommand(async () => {
    const host = flags.header.map((h) => /^host:\s*(.+)$/i.exec(h)?.[1]?.trim()).find((h) => h);
    const r = await RewindClient.fromFlags(flags).get<CurlResult>('/apis/rewind.dev/v1/curl', { url: cmd.args[0], host });
    if (flags.verbose) process.stderr.write(`* ingress ${r.ingress ?? '(none)'} rule ${r.rule ?? '(none)'} → service ${r.service ?? '(none)'} → pod ${r.pod ?? '(none)'}\n`);
    if (flags.fail && r.status >= 400) return 22;
    if (flags.include) process.stdout.write(`HTTP/1.1 ${r.status} ${r.reason}\r\n${r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    process.stdout.write(r.body);
    return 0;
  });
}
