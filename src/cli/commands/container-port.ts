/**
 * `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`, as docker/cli's runPort:
 * the container's NetworkSettings.Ports (published only while it runs),
 * `PORT/PROTO -> HOST:PORT` lines in natural order, or the host addresses of
 * one port. A container with nothing published prints nothing.
 */
import type { CommandDef } from '../command.js';
import { ClientError } from '../../engine/errors.js';

/** Go's net.JoinHostPort: an IPv6 host goes in brackets. */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** sortorder.NaturalLess: runs of digits compare as numbers, the rest byte by byte. */
export function naturalLess(a: string, b: string): boolean {
  const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (isDigit(a[i]) && isDigit(b[j])) {
      let ei = i;
      let ej = j;
      while (isDigit(a[ei])) ei++;
      while (isDigit(b[ej])) ej++;
      const na = a.slice(i, ei).replace(/^0+/, '');
      const nb = b.slice(j, ej).replace(/^0+/, '');
      if (na.length !== nb.length) return na.length < nb.length;
      if (na !== nb) return na < nb;
      // Equal values: fewer leading zeros first.
      if (ei - i !== ej - j) return ei - i < ej - j;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] !== b[j]) return a[i]! < b[j]!;
    i++;
    j++;
  }
  return a.length - i < b.length - j;
}

export const port: CommandDef = {
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  short: 'List port mappings or a specific mapping for the container',
  flags: [],
  args: { kind: 'range', min: 1, max: 2 },
  async handler(ctx) {
    const [name, wanted] = ctx.args as [string, string?];
    const ports = await (await ctx.engine()).containers.ports(name);
    const out: string[] = [];
    if (wanted !== undefined) {
      const slash = wanted.indexOf('/');
      const num = slash === -1 ? wanted : wanted.slice(0, slash);
      const proto = slash === -1 || wanted.slice(slash + 1) === '' ? 'tcp' : wanted.slice(slash + 1);
      if (!/^\d+$/.test(num) || Number(num) > 65535) {
        const why = /^\d+$/.test(num) ? 'value out of range' : 'invalid syntax';
        throw new ClientError(`Error: invalid port (${num}): strconv.ParseUint: parsing ${JSON.stringify(num)}: ${why}`, 'INVALID_PORT');
      }
      const frontends = ports[`${num}/${proto}`];
      if (!frontends || frontends.length === 0) throw new ClientError(`Error: No public port '${wanted}' published for ${name}`, 'NO_PUBLIC_PORT');
      for (const f of frontends) out.push(joinHostPort(f.HostIp, f.HostPort));
    } else {
      for (const [from, frontends] of Object.entries(ports)) {
        for (const f of frontends ?? []) out.push(`${from} -> ${joinHostPort(f.HostIp, f.HostPort)}`);
      }
    }
    if (out.length === 0) return;
    out.sort((x, y) => (naturalLess(x, y) ? -1 : naturalLess(y, x) ? 1 : 0));
    ctx.io.out.write(`${out.join('\n')}\n`);
  },
};
