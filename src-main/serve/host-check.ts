import net from 'node:net';
import os from 'node:os';

/**
 * Which names `graft serve` answers to. A browser tricked by DNS rebinding sends the
 * attacker's name in `Host` (evil.example resolving to 127.0.0.1), so a request is served
 * only when its Host is a name this server really goes by, with the bound port.
 */
export interface HostPolicy {
  /** True when a `Host` header names this server. */
  allowsHost(hostHeader: string | undefined): boolean;
  /** True when an `Origin` is this server exactly: http, an allowed host, the bound port, and the request's own Host. */
  allowsOrigin(origin: string | undefined, hostHeader: string | undefined): boolean;
  /** The refusal for a Host it does not allow, saying how to allow it. */
  refusal(hostHeader: string | undefined): string;
}

/** The machine's own names and addresses (injectable for tests). */
export interface MachineNames {
  hostnames: string[];
  addresses: string[];
}

/** This machine's host name and every address of its network interfaces. */
export function machineNames(): MachineNames {
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  return { hostnames: [os.hostname()], addresses };
}

/** Lower case, no trailing dot, IPv6 without brackets or zone. */
function normalizeName(name: string): string {
  let host = name.trim().toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host.replace(/%.*$/, '');
}

/** Splits a Host header into name and port (80 when absent, as for http); null when malformed. */
export function parseHostHeader(value: string | undefined): { name: string; port: number } | null {
  if (!value) return null;
  const match = /^(\[[0-9a-f:.%a-z]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return null;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  if (port < 1 || port > 65535) return null;
  return { name: normalizeName(match[1]!), port };
}

function isLoopback(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (net.isIPv4(name)) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1';
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * Builds the policy for a server bound to `bindHost:port`. On loopback it answers only to
 * localhost and loopback addresses. Bound elsewhere (for remote use) it also answers to the
 * bound address, the machine's own names and addresses, and every name in `allowHosts`.
 */
export function hostPolicy(options: { bindHost: string; port: number; allowHosts?: readonly string[]; machine?: MachineNames }): HostPolicy {
  const bind = normalizeName(options.bindHost);
  const names = new Set((options.allowHosts ?? []).map(normalizeName));
  if (!isLoopback(bind)) {
    if (!WILDCARDS.has(bind)) names.add(bind);
    const machine = options.machine ?? machineNames();
    for (const name of [...machine.hostnames, ...machine.addresses]) names.add(normalizeName(name));
  }
  const allows = (parsed: { name: string; port: number } | null): parsed is { name: string; port: number } =>
    parsed !== null && parsed.port === options.port && (isLoopback(parsed.name) || names.has(parsed.name));
  return {
    allowsHost: (hostHeader) => allows(parseHostHeader(hostHeader)),
    allowsOrigin(origin, hostHeader) {
      // Non-browser clients send no Origin; a browser always does on a WebSocket.
      if (origin === undefined) return true;
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false;
      }
      if (url.protocol !== 'http:' || url.username || url.password || url.pathname !== '/') return false;
      const fromOrigin = parseHostHeader(url.host);
      const fromHost = parseHostHeader(hostHeader);
      return allows(fromOrigin) && fromHost !== null && fromOrigin.name === fromHost.name && fromOrigin.port === fromHost.port;
    },
    refusal(hostHeader) {
      const parsed = parseHostHeader(hostHeader);
      const shown = (hostHeader ?? '').slice(0, 200);
      if (!parsed) return `graft serve refuses a request without a valid Host header (got "${shown}").`;
      if (parsed.port !== options.port) return `graft serve listens on port ${options.port}, not ${parsed.port} (Host "${shown}").`;
      const hint = isLoopback(bind)
        ? `It listens on ${options.bindHost} only; to reach it by another name, start it with --host <address> --allow-host ${parsed.name}.`
        : `If this machine really goes by that name, start graft serve with --allow-host ${parsed.name}.`;
      return `graft serve does not answer to the name "${parsed.name}" (a defence against DNS rebinding). ${hint}`;
    },
  };
}
