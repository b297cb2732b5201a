// The files a process in the container can read: its mounted volumes and the files the kubelet
// manages (/etc/hosts, /etc/hostname, /etc/resolv.conf, the service account token directory).
//
// Volumes, as the kubelet's volume plugins lay them out:
//   configMap / secret   one file per key (or per `items` entry, at its path), mode `defaultMode`
//                        (0644) or the item's mode; a Secret's values base64-decoded
//   projected            the files of each source (configMap, secret, downwardAPI,
//                        serviceAccountToken) in one directory
//   downwardAPI          one file per item: a pod field (labels and annotations as key="value" lines)
//                        or a container resource
//   emptyDir             an empty directory
// A `subPath` mount shows one file (or directory) of the volume at mountPath.
//
// Mounted ConfigMaps and Secrets follow their objects after the kubelet's sync delay: the caller
// hands in the view at max(container start, now − delay) (files), while env stays at container
// start (env.ts) — seed 001's "volumes are the flexible way: updates reach running containers".

import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { CLUSTER_DOMAIN, resolvConf, resolvConfText } from './dns.ts';
import { podField, resourceField } from './env.ts';
import { containerOf, type Container } from './pod.ts';

export interface FileEntry {
  content: string;
  mode: number;
}

export interface FileSystem {
  files: Map<string, FileEntry>;
  dirs: Set<string>;
}

/** The kubelet's default mode for projected files (0644). */
const DEFAULT_MODE = 0o644;
/** The kubelet's ConfigMap/Secret sync delay the simulation applies to mounted files (ms). */
export const VOLUME_SYNC_DELAY_MS = 5_000;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

interface DownwardItem {
  path: string;
  mode?: number;
  fieldRef?: { fieldPath?: string };
  resourceFieldRef?: { containerName?: string; resource?: string; divisor?: string };
}

interface Volume {
  name: string;
  configMap?: { name?: string; items?: KeyToPath[]; defaultMode?: number };
  secret?: { secretName?: string; items?: KeyToPath[]; defaultMode?: number };
  projected?: { sources?: ProjectedSource[]; defaultMode?: number };
  downwardAPI?: { items?: DownwardItem[]; defaultMode?: number };
  emptyDir?: object;
}

interface ProjectedSource {
  configMap?: { name?: string; items?: KeyToPath[] };
  secret?: { name?: string; items?: KeyToPath[] };
  downwardAPI?: { items?: DownwardItem[] };
  serviceAccountToken?: { path: string };
}

/** Relative path → file, one volume's content. */
type VolumeFiles = Map<string, FileEntry>;

function keyFiles(data: Record<string, string> | undefined, items: KeyToPath[] | undefined, mode: number): VolumeFiles {
  const out: VolumeFiles = new Map();
  if (!data) return out;
  if (items?.length) {
    for (const i of items) if (i.key in data) out.set(i.path, { content: data[i.key], mode: i.mode ?? mode });
  } else {
    for (const [k, v] of Object.entries(data)) out.set(k, { content: v, mode });
  }
  return out;
}

function objectData(view: ReadView, kind: 'configmaps' | 'secrets', ns: string, name: string | undefined): Record<string, string> | undefined {
  const obj = name ? view.get(`v1/${kind}`, ns, name) : undefined;
  if (!obj) return undefined;
  const data = (obj.data as Record<string, string> | undefined) ?? {};
  if (kind === 'configmaps') return { ...data, ...((obj.binaryData as Record<string, string> | undefined) ?? {}) };
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

function downwardFiles(pod: KObject, container: Container, items: DownwardItem[], mode: number, view: ReadView): VolumeFiles {
  const out: VolumeFiles = new Map();
  for (const i of items) {
    const path = i.fieldRef?.fieldPath;
    const value = path ? podField(pod, path) : i.resourceFieldRef ? resourceField(pod, container, i.resourceFieldRef, view) : undefined;
    if (value !== undefined) out.set(i.path, { content: value, mode: i.mode ?? mode });
  }
  return out;
}

/** A token that looks like one (the simulation signs nothing). */
const tokenFor = (pod: KObject) => `rewind-simulated-token.${pod.metadata.namespace}.${(pod.spec as { serviceAccountName?: string }).serviceAccountName ?? 'default'}`;

function projectedFiles(pod: KObject, container: Container, v: NonNullable<Volume['projected']>, view: ReadView): VolumeFiles {
  const ns = pod.metadata.namespace ?? '';
  const mode = v.defaultMode ?? DEFAULT_MODE;
  const out: VolumeFiles = new Map();
  for (const s of v.sources ?? []) {
    const part = s.configMap
      ? keyFiles(objectData(view, 'configmaps', ns, s.configMap.name), s.configMap.items, mode)
      : s.secret
        ? keyFiles(objectData(view, 'secrets', ns, s.secret.name), s.secret.items, mode)
        : s.downwardAPI
          ? downwardFiles(pod, container, s.downwardAPI.items ?? [], mode, view)
          : s.serviceAccountToken
            ? new Map([[s.serviceAccountToken.path, { content: tokenFor(pod), mode: 0o600 }]])
            : new Map();
    for (const [k, f] of part) out.set(k, f);
  }
  return out;
}

function volumeFiles(pod: KObject, container: Container, v: Volume, view: ReadView): VolumeFiles {
  const ns = pod.metadata.namespace ?? '';
  if (v.configMap) return keyFiles(objectData(view, 'configmaps', ns, v.configMap.name), v.configMap.items, v.configMap.defaultMode ?? DEFAULT_MODE);
  if (v.secret) return keyFiles(objectData(view, 'secrets', ns, v.secret.secretName), v.secret.items, v.secret.defaultMode ?? DEFAULT_MODE);
  if (v.projected) return projectedFiles(pod, container, v.projected, view);
  if (v.downwardAPI) return downwardFiles(pod, container, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? DEFAULT_MODE, view);
  return new Map();
}

const join = (dir: string, rel: string) => `${dir.replace(/\/+$/, '')}/${rel}`.replace(/\/+/g, '/');

function addDirs(fs: FileSystem, path: string): void {
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i <= parts.length; i++) fs.dirs.add('/' + parts.slice(0, i).join('/'));
}

function mount(fs: FileSystem, mountPath: string, files: VolumeFiles, subPath?: string): void {
  addDirs(fs, mountPath);
  for (const [rel, f] of files) {
    if (subPath && rel !== subPath && !rel.startsWith(`${subPath}/`)) continue;
    const inside = subPath ? rel.slice(subPath.length).replace(/^\//, '') : rel;
    const path = inside ? join(mountPath, inside) : mountPath;
    if (inside) addDirs(fs, path.slice(0, path.lastIndexOf('/')) || '/');
    else fs.dirs.delete(mountPath);
    fs.files.set(path, f);
  }
}

/** /etc/hosts as the kubelet writes it (managedHostsFileContent), with hostAliases. */
function hostsFile(pod: KObject): string {
  const spec = (pod.spec ?? {}) as { hostname?: string; subdomain?: string; hostAliases?: { ip: string; hostnames?: string[] }[] };
  const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
  const hostname = spec.hostname ?? pod.metadata.name ?? '';
  const lines = ['# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters'];
  if (ip) lines.push(spec.subdomain ? `${ip}\t${hostname}.${spec.subdomain}.${pod.metadata.namespace}.svc.${CLUSTER_DOMAIN}\t${hostname}` : `${ip}\t${hostname}`);
  if (spec.hostAliases?.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of spec.hostAliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Everything the container sees. `pod` is the pod now (its IP, hostname); `view` the cluster state
 * whose ConfigMaps and Secrets the mounts show.
 */
export function containerFiles(pod: KObject, containerName: string, view: ReadView): FileSystem {
  const fs: FileSystem = { files: new Map(), dirs: new Set(['/']) };
  const container = containerOf(pod, containerName);
  if (!container) return fs;
  const spec = (pod.spec ?? {}) as { hostname?: string; volumes?: Volume[]; automountServiceAccountToken?: boolean };
  mount(fs, '/etc', new Map([
    ['hosts', { content: hostsFile(pod), mode: DEFAULT_MODE }],
    ['hostname', { content: `${spec.hostname ?? pod.metadata.name}\n`, mode: DEFAULT_MODE }],
    ['resolv.conf', { content: resolvConfText(resolvConf(pod, view)), mode: DEFAULT_MODE }],
  ]));
  if (spec.automountServiceAccountToken !== false) {
    mount(fs, SERVICE_ACCOUNT_DIR, new Map([
      ['namespace', { content: pod.metadata.namespace ?? '', mode: DEFAULT_MODE }],
      ['token', { content: tokenFor(pod), mode: DEFAULT_MODE }],
      ['ca.crt', { content: '-----BEGIN CERTIFICATE-----\n(simulated by Rewind)\n-----END CERTIFICATE-----\n', mode: DEFAULT_MODE }],
    ]));
  }
  for (const m of container.volumeMounts ?? []) {
    const v = (spec.volumes ?? []).find((x) => x.name === m.name);
    if (v) mount(fs, m.mountPath, volumeFiles(pod, container, v, view), m.subPath);
  }
  return fs;
}

/** The entries directly inside a directory, sorted (what `ls` lists), or undefined if it is not one. */
export function listDir(fs: FileSystem, dir: string): string[] | undefined {
  const path = dir === '/' ? '/' : dir.replace(/\/+$/, '');
  if (!fs.dirs.has(path)) return undefined;
  const prefix = path === '/' ? '/' : `${path}/`;
  const names = new Set<string>();
  for (const p of [...fs.files.keys(), ...fs.dirs]) if (p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split('/')[0]);
  return [...names].sort();
}

