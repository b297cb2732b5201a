// What a container runs when its spec leaves the program to the image — as the runtime combines
// them: the spec's command replaces the image's ENTRYPOINT (and drops its CMD), the spec's args
// replace the CMD. Only the debugging images whose default matters are known: `kubectl debug -it
// POD --image=busybox:1.36` sends no command and gets busybox's `sh`, which attach then talks to.
//
// Worked example: {image: "busybox:1.36"} → ["sh"]; {image: "busybox", args: ["echo", "hi"]} →
// ["echo", "hi"]; {image: "nginx"} → [] (a server the simulation does not run).

import type { CommandedContainer } from './lifetime.ts';

interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
}

/** The ENTRYPOINT and CMD of the official shell images, by repository name. */
const IMAGES: Record<string, ImageConfig> = {
  busybox: { entrypoint: [], cmd: ['sh'] },
  alpine: { entrypoint: [], cmd: ['/bin/sh'] },
  ubuntu: { entrypoint: [], cmd: ['/bin/bash'] },
  debian: { entrypoint: [], cmd: ['bash'] },
};

/** "docker.io/library/busybox:1.36" or "busybox@sha256:…" → "busybox". */
function repository(image: string): string {
  const path = image.split('@')[0].replace(/:[^/:]*$/, '');
  return path.replace(/^(docker\.io\/)?(library\/)?/, '');
}

/** The argv the container's process runs: spec command and args over the image's defaults ([] when unknown). */
export function processArgv(c: CommandedContainer & { image?: string }): string[] {
  const image = IMAGES[repository(c.image ?? '')] ?? { entrypoint: [], cmd: [] };
  const command = c.command?.length ? c.command : image.entrypoint;
  const args = c.args?.length ? c.args : c.command?.length ? [] : image.cmd;
  return [...command, ...args];
}
